import { useSyncExternalStore } from 'react';

/** The views of a board, as tabs; all live on the same document. */
export const BOARD_VIEWS = [
  { key: 'canvas', label: 'Canvas' },
  { key: 'timeline', label: 'Timeline' },
  { key: 'board', label: 'Board' },
  { key: 'dashboard', label: 'Dashboard' },
] as const;

export type BoardView = (typeof BOARD_VIEWS)[number]['key'];

/** The view in the URL fragment ('#timeline'), so a reload or a shared link keeps it. */
export function parseBoardView(hash: string): BoardView {
  const key = hash.replace(/^#/, '');
  return BOARD_VIEWS.some((v) => v.key === key) ? (key as BoardView) : 'canvas';
}

export function setBoardView(view: BoardView): void {
  const url = new URL(window.location.href);
  url.hash = view === 'canvas' ? '' : view;
  history.replaceState(history.state, '', url.pathname + url.search + (view === 'canvas' ? '' : `#${view}`));
  window.dispatchEvent(new HashChangeEvent('hashchange'));
}

function subscribe(listener: () => void): () => void {
  window.addEventListener('hashchange', listener);
  return () => window.removeEventListener('hashchange', listener);
}

/** The current view tab, re-rendering when it changes. */
export function useBoardView(): BoardView {
  return useSyncExternalStore(subscribe, () => parseBoardView(window.location.hash));
}
