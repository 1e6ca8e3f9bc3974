import type { ActionContext } from '../../actions/types.ts';
import { actionForKey, runAction } from '../../actions/registry.ts';
import { copyText, cutText, pasteText } from '../../actions/clipboard.ts';

/** True when the event comes from somewhere the user types (shortcuts must not fire there). */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT';
}

/**
 * Document-level keyboard and clipboard wiring: keydown runs the matching registry action;
 * copy/cut/paste use the browser's clipboard events (text/plain JSON), so pasting works into
 * another board, tab or browser. Returns a cleanup function.
 */
export function bindKeyboard(getCtx: () => ActionContext, onSpace: (held: boolean) => void): () => void {
  const keydown = (e: KeyboardEvent) => {
    if (isTypingTarget(e.target) || e.defaultPrevented) return;
    if (e.code === 'Space' || e.key === ' ') {
      e.preventDefault();
      if (!e.repeat) onSpace(true);
      return;
    }
    const ctx = getCtx();
    if (ctx.store.getState().editingId) return;
    const action = actionForKey(e);
    if (!action) return;
    e.preventDefault();
    runAction(action.id, ctx);
  };
  const keyup = (e: KeyboardEvent) => {
    if (e.code === 'Space' || e.key === ' ') onSpace(false);
  };
  const blur = () => onSpace(false);
  const copy = (e: ClipboardEvent) => {
    if (isTypingTarget(e.target) || !e.clipboardData) return;
    const text = copyText(getCtx());
    if (text === null) return;
    e.clipboardData.setData('text/plain', text);
    e.preventDefault();
  };
  const cut = (e: ClipboardEvent) => {
    if (isTypingTarget(e.target) || !e.clipboardData) return;
    const text = cutText(getCtx());
    if (text === null) return;
    e.clipboardData.setData('text/plain', text);
    e.preventDefault();
  };
  const paste = (e: ClipboardEvent) => {
    if (isTypingTarget(e.target) || !e.clipboardData) return;
    const ids = pasteText(getCtx(), e.clipboardData.getData('text/plain'));
    if (ids !== null) e.preventDefault();
  };
  document.addEventListener('keydown', keydown);
  document.addEventListener('keyup', keyup);
  window.addEventListener('blur', blur);
  document.addEventListener('copy', copy);
  document.addEventListener('cut', cut);
  document.addEventListener('paste', paste);
  return () => {
    document.removeEventListener('keydown', keydown);
    document.removeEventListener('keyup', keyup);
    window.removeEventListener('blur', blur);
    document.removeEventListener('copy', copy);
    document.removeEventListener('cut', cut);
    document.removeEventListener('paste', paste);
  };
}
