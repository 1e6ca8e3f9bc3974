import { onLinkClick } from './router.ts';

/** The Planvas mark; a link home. */
export function Logo({ compact = false }: { compact?: boolean }) {
  return (
    <a className="logo" href="/" onClick={(e) => onLinkClick(e, '/')} title="All boards" aria-label="Planvas home">
      <svg width="22" height="22" viewBox="0 0 24 24" aria-hidden="true">
        <rect x="2" y="3" width="9" height="7" rx="2" fill="#6366f1" />
        <rect x="13" y="14" width="9" height="7" rx="2" fill="#22c55e" />
        <path d="M11 6.5h3.5a2 2 0 0 1 2 2V14" fill="none" stroke="#94a3b8" strokeWidth="1.8" strokeLinecap="round" />
      </svg>
      {!compact && <span>Planvas</span>}
    </a>
  );
}
