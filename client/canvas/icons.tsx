import type { ReactNode } from 'react';

/** Toolbar icons as inline SVG (24×24, stroked), so they render without an icon font. */
const PATHS: Record<string, ReactNode> = {
  'tool.select': <path d="M5 3l14 8-6 2-2 6z" />,
  'tool.hand': (
    <path d="M8 13V5.5a1.5 1.5 0 0 1 3 0V12m0-7.5V4a1.5 1.5 0 0 1 3 0v8m0-6.5a1.5 1.5 0 0 1 3 0V13m0-4.5a1.5 1.5 0 0 1 3 0V15a6 6 0 0 1-6 6h-2a6 6 0 0 1-5-2.7L4.3 14a1.5 1.5 0 0 1 2.5-1.7L8 14" />
  ),
  'tool.task': (
    <>
      <rect x="3" y="6" width="18" height="12" rx="2" />
      <path d="M7 10h8M7 14h5" />
    </>
  ),
  'tool.note': <path d="M4 4h16v11l-5 5H4zM15 20v-5h5" />,
  'tool.dependency': (
    <>
      <rect x="2" y="3" width="8" height="6" rx="1.5" />
      <rect x="14" y="15" width="8" height="6" rx="1.5" />
      <path d="M10 6h3a3 3 0 0 1 3 3v6m-2.5-2.5L16 15l2.5-2.5" />
    </>
  ),
  'tool.laser': (
    <>
      <path d="M4 20l9-9" />
      <circle cx="16" cy="8" r="3" fill="currentColor" fillOpacity="0.35" />
      <path d="M16 2v1.5M22 8h-1.5M20.2 3.8l-1 1M20.2 12.2l-1-1" />
    </>
  ),
  'tool.comment': <path d="M21 12a8 8 0 0 1-11.6 7.1L4 20l1-4.6A8 8 0 1 1 21 12z" />,
  'history.undo': <path d="M9 14L4 9l5-5M4 9h10.5a5.5 5.5 0 0 1 0 11H11" />,
  'history.redo': <path d="M15 14l5-5-5-5M20 9H9.5a5.5 5.5 0 0 0 0 11H13" />,
  'edit.duplicate': (
    <>
      <rect x="8" y="8" width="13" height="13" rx="2" />
      <path d="M4 16V5a1 1 0 0 1 1-1h11" />
    </>
  ),
  'edit.delete': <path d="M4 7h16M10 11v6M14 11v6M6 7l1 13h10l1-13M9 7V4h6v3" />,
  'arrange.front': (
    <>
      <rect x="8" y="8" width="12" height="12" rx="1.5" fill="currentColor" fillOpacity="0.25" />
      <path d="M4 15V5a1 1 0 0 1 1-1h10" />
    </>
  ),
  'arrange.back': (
    <>
      <rect x="4" y="4" width="12" height="12" rx="1.5" fill="currentColor" fillOpacity="0.25" />
      <path d="M20 9v10a1 1 0 0 1-1 1H9" />
    </>
  ),
  'arrange.snap': <path d="M4 9h16M4 15h16M9 4v16M15 4v16" />,
  'view.zoomIn': <path d="M12 5v14M5 12h14" />,
  'view.zoomOut': <path d="M5 12h14" />,
  'view.zoomToFit': <path d="M4 9V4h5M20 9V4h-5M4 15v5h5M20 15v5h-5" />,
};

export function ActionIcon({ id }: { id: string }) {
  return (
    <svg viewBox="0 0 24 24" width="20" height="20" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
      {PATHS[id] ?? <circle cx="12" cy="12" r="3" />}
    </svg>
  );
}
