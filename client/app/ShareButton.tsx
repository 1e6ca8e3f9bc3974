import { useCallback, useRef, useState } from 'react';
import { boardPagePath } from '../../shared/protocol/api.ts';
import { useDismiss } from './useDismiss.ts';

interface ShareLink {
  label: string;
  hint: string;
  url: string;
}

/**
 * Shows the links this browser knows for the board: the creator has both, someone who opened
 * an edit or a view link has only that one.
 */
export function ShareButton({ boardId, editToken, viewToken }: { boardId: string; editToken?: string; viewToken?: string }) {
  const [open, setOpen] = useState(false);
  const rootRef = useRef<HTMLDivElement>(null);

  useDismiss(open, rootRef, useCallback(() => setOpen(false), []));

  const links: ShareLink[] = [];
  if (editToken) links.push({ label: 'Edit link', hint: 'Anyone with this link can edit.', url: location.origin + boardPagePath(boardId, editToken) });
  if (viewToken) links.push({ label: 'View-only link', hint: 'Anyone with this link can watch, not edit.', url: location.origin + boardPagePath(boardId, viewToken) });

  return (
    <div className="share" ref={rootRef}>
      <button type="button" className="button primary small" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
        Share
      </button>
      {open && (
        <div className="popover share-popover" role="dialog" aria-label="Share this board">
          <h3>Share this board</h3>
          {links.map((link) => (
            <CopyField key={link.label} {...link} />
          ))}
          {links.length < 2 && (
            <p className="muted small-text">
              {editToken ? 'The view-only link is known to whoever created the board.' : 'You have a view-only link.'}
            </p>
          )}
        </div>
      )}
    </div>
  );
}

function CopyField({ label, hint, url }: ShareLink) {
  const [copied, setCopied] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  async function copy() {
    try {
      await navigator.clipboard.writeText(url);
    } catch {
      // No clipboard permission (or not a secure context): select it for Ctrl/Cmd+C.
      inputRef.current?.select();
      document.execCommand?.('copy');
    }
    setCopied(true);
    setTimeout(() => setCopied(false), 1500);
  }
  return (
    <div className="copy-field">
      <label>
        <span className="field-label">{label}</span>
        <span className="copy-row">
          <input ref={inputRef} className="input mono" readOnly value={url} onFocus={(e) => e.currentTarget.select()} />
          <button type="button" className="button small" onClick={copy}>
            {copied ? 'Copied' : 'Copy'}
          </button>
        </span>
      </label>
      <span className="muted small-text">{hint}</span>
    </div>
  );
}
