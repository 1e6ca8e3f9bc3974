import { useCallback, useEffect, useRef, useState } from 'react';
import { boardPagePath, type BoardRole } from '../../shared/protocol/api.ts';
import type { MintLinkResponse } from '../../shared/protocol/links.ts';
import { mintLink } from '../sync/api.ts';
import { LINK_EXPIRY_CHOICES, formatExpiry, resetBoardLink } from './linkActions.ts';
import { useDismiss } from './useDismiss.ts';

interface ShareLink {
  kind: BoardRole;
  label: string;
  hint: string;
  url: string;
}

/**
 * The Share dialog (a popover under the button, as in Figma and Miro): the view-only link
 * for stakeholders first and highlighted, then the edit link for collaborators, each with a
 * Copy button. This browser knows both links if it created the board; someone who opened an
 * edit or a view link knows only that one.
 *
 * Whoever has the edit link also manages the links: the view link can be copied with an
 * expiry (a review that should not stay open for ever), and either link can be reset (the old
 * one stops working at once; people on the board with it are disconnected).
 */
export function ShareButton({ boardId, editToken, viewToken }: { boardId: string; editToken?: string; viewToken?: string }) {
  const [open, setOpen] = useState(false);
  const rootRef = useRef<HTMLDivElement>(null);
  // Links this dialog reset; the props catch up once the page re-reads the board's entry.
  const [replaced, setReplaced] = useState<Partial<Record<BoardRole, string>>>({});
  const [justReset, setJustReset] = useState<BoardRole | null>(null);
  const edit = replaced.edit ?? editToken;
  const view = replaced.view ?? viewToken;

  useDismiss(open, rootRef, useCallback(() => setOpen(false), []));

  const links: ShareLink[] = [];
  if (view) {
    links.push({
      kind: 'view',
      label: 'View-only link',
      hint: 'For stakeholders and reviews: they watch every change live, follow a presenter and see who is here, but cannot change anything.',
      url: location.origin + boardPagePath(boardId, view),
    });
  }
  if (edit) {
    links.push({
      kind: 'edit',
      label: 'Edit link',
      hint: 'For your team: anyone with this link can change the plan. Share it only with people who should.',
      url: location.origin + boardPagePath(boardId, edit),
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
            <LinkField
              // A reset link is a new field: its expiry choice and messages start over.
              key={`${link.kind}:${link.url}`}
              link={link}
              boardId={boardId}
              editToken={edit}
              note={justReset === link.kind ? 'This is the new link: the old one no longer opens the board.' : null}
              onReset={(token) => {
                setReplaced((r) => ({ ...r, [link.kind]: token }));
                setJustReset(link.kind);
              }}
            />
          ))}
          {links.length < 2 && (
            <p className="muted small-text">
              {edit
                ? 'The view-only link is shown to whoever created the board (in the browser they created it in).'
                : 'You opened a view-only link, so that is the only link you can share.'}
            </p>
          )}
        </div>
      )}
    </div>
  );
}

/** One link: copy (the view link with an optional expiry) and, for whoever may edit, reset. */
function LinkField(props: { link: ShareLink; boardId: string; editToken?: string; note: string | null; onReset(token: string): void }) {
  const { link, boardId, editToken, note, onReset } = props;
  const [expiry, setExpiry] = useState<number | null>(null);
  const [minted, setMinted] = useState<MintLinkResponse | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const canManage = editToken !== undefined;

  async function chooseExpiry(seconds: number | null) {
    setExpiry(seconds);
    setMinted(null);
    setError(null);
    if (seconds === null || !editToken) return;
    setBusy(true);
    const result = await mintLink(boardId, editToken, link.kind, seconds);
    setBusy(false);
    if (result.ok) setMinted(result.value);
    else {
      setExpiry(null);
      setError(`Could not make an expiring link. ${result.message}`);
    }
  }

  async function reset() {
    if (!editToken) return;
    setBusy(true);
    setError(null);
    const oldToken = new URL(link.url).searchParams.get('token') ?? undefined;
    const result = await resetBoardLink(boardId, editToken, link.kind, oldToken);
    setBusy(false);
    setConfirming(false);
    if (result.ok) onReset(result.value.token);
    else setError(`The link was not reset. ${result.message}`);
  }

  const url = minted ? minted.url : link.url;
  const expiresNote = minted?.expiresAt ? `Expires ${formatExpiry(minted.expiresAt)}.` : null;

  return (
    <div className="link-field">
      <CopyField kind={link.kind} label={link.label} hint={expiresNote ?? note ?? link.hint} url={url} disabled={busy && expiry !== null && !minted} />
      {canManage && (
        <div className="link-manage">
          {link.kind === 'view' && (
            <label className="link-expiry">
              <span className="muted small-text">Link expires</span>
              <select
                className="input small"
                value={expiry === null ? '' : String(expiry)}
                disabled={busy}
                aria-label="View-only link expires"
                onChange={(e) => void chooseExpiry(e.currentTarget.value === '' ? null : Number(e.currentTarget.value))}
              >
                {LINK_EXPIRY_CHOICES.map((choice) => (
                  <option key={choice.label} value={choice.seconds === null ? '' : String(choice.seconds)}>
                    {choice.label}
                  </option>
                ))}
              </select>
            </label>
          )}
          {!confirming && (
            <button type="button" className="button small danger link-reset" disabled={busy} onClick={() => setConfirming(true)}>
              Reset link…
            </button>
          )}
        </div>
      )}
      {confirming && (
        <div className="link-reset-confirm" role="group" aria-label={`Reset the ${link.label.toLowerCase()}`}>
          <p className="small-text">
            Anyone with the old link loses access; people on the board now with it are disconnected.
            {link.kind === 'edit' ? ' You keep working here with the new link.' : ''}
          </p>
          <div className="modal-actions">
            <button type="button" className="button small" disabled={busy} onClick={() => setConfirming(false)}>
              Cancel
            </button>
            <button type="button" className="button small danger-solid" disabled={busy} onClick={() => void reset()}>
              {busy ? 'Resetting…' : 'Reset link'}
            </button>
          </div>
        </div>
      )}
      {error && (
        <p className="small-text link-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

function CopyField({ kind, label, hint, url, disabled }: ShareLink & { disabled?: boolean }) {
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
          <button type="button" className={`button small${kind === 'view' ? ' primary' : ''}`} disabled={disabled} onClick={() => void copy()}>
            {copied === 'copied' ? 'Copied' : 'Copy'}
          </button>
        </span>
      </label>
      <span className="muted small-text link-hint" aria-live="polite">
        {copied === 'copied' ? 'Copied to the clipboard.' : copied === 'select' ? 'Press Ctrl+C (⌘C) to copy the selected link.' : hint}
      </span>
    </div>
  );
}
