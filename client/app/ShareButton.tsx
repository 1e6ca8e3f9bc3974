import { useCallback, useEffect, useRef, useState } from 'react';
import { boardPagePath } from '../../shared/protocol/api.ts';
import { useDismiss } from './useDismiss.ts';

interface ShareLink {
  kind: 'view' | 'edit';
  label: string;
  hint: string;
  url: string;
}

/**
 * The Share dialog (a popover under the button, as in Figma and Miro): the view-only link
 * for stakeholders first and highlighted, then the edit link for collaborators, each with a
 * Copy button. This browser knows both links if it created the board; someone who opened an
 * edit or a view link knows only that one.
 */
export function ShareButton({ boardId, editToken, viewToken }: { boardId: string; editToken?: string; viewToken?: string }) {
  const [open, setOpen] = useState(false);
  const rootRef = useRef<HTMLDivElement>(null);

  useDismiss(open, rootRef, useCallback(() => setOpen(false), []));

  const links: ShareLink[] = [];
  if (viewToken) {
    links.push({
      kind: 'view',
      label: 'View-only link',
      hint: 'For stakeholders and reviews: they watch every change live, follow a presenter and see who is here, but cannot change anything.',
      url: location.origin + boardPagePath(boardId, viewToken),
    });
  }
  if (editToken) {
    links.push({
      kind: 'edit',
      label: 'Edit link',
      hint: 'For your team: anyone with this link can change the plan. Share it only with people who should.',
      url: location.origin + boardPagePath(boardId, editToken),
    });
  }

  return (
    <div className="share" ref={rootRef}>
      <button type="button" className="button primary small" aria-haspopup="dialog" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
        Share
      </button>
      {open && (
        <div className="popover share-popover" role="dialog" aria-label="Share this board">
          <div>
            <h3>Share this board</h3>
            <p className="muted small-text">There are no accounts: whoever has a link gets what the link allows.</p>
          </div>
          {links.map((link) => (
            <CopyField key={link.kind} {...link} />
          ))}
          {links.length < 2 && (
            <p className="muted small-text">
              {editToken
                ? 'The view-only link is shown to whoever created the board (in the browser they created it in).'
                : 'You opened a view-only link, so that is the only link you can share.'}
            </p>
          )}
        </div>
      )}
    </div>
  );
}

function CopyField({ kind, label, hint, url }: ShareLink) {
  const [copied, setCopied] = useState<'copied' | 'select' | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(null), 2000);
    return () => clearTimeout(timer);
  }, [copied]);

  async function copy() {
    try {
      await navigator.clipboard.writeText(url);
      setCopied('copied');
    } catch {
      // No clipboard permission (or not a secure context): copy the selected text the old way,
      // and leave it selected so Ctrl/Cmd+C works if even that is refused.
      const input = inputRef.current;
      input?.focus();
      input?.select();
      const ok = typeof document.execCommand === 'function' && document.execCommand('copy');
      setCopied(ok ? 'copied' : 'select');
    }
  }

  return (
    <div className={`copy-field${kind === 'view' ? ' recommended' : ''}`} data-link={kind}>
      <label>
        <span className="field-label">
          {label}
          {kind === 'view' && <span className="tag share-badge">For stakeholders</span>}
        </span>
        <span className="copy-row">
          <input ref={inputRef} className="input mono" readOnly value={url} aria-label={label} onFocus={(e) => e.currentTarget.select()} />
          <button type="button" className={`button small${kind === 'view' ? ' primary' : ''}`} onClick={() => void copy()}>
            {copied === 'copied' ? 'Copied' : 'Copy'}
          </button>
        </span>
      </label>
      <span className="muted small-text" aria-live="polite">
        {copied === 'copied' ? 'Copied to the clipboard.' : copied === 'select' ? 'Press Ctrl+C (⌘C) to copy the selected link.' : hint}
      </span>
    </div>
  );
}
