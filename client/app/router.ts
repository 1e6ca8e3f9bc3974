import { useSyncExternalStore } from 'react';
import { isValidId } from '../../shared/ids.ts';

/**
 * A tiny history router: two routes do not need a library. `parseRoute` is pure (tested);
 * `useRoute` re-renders on back/forward and on `navigate`.
 */
export type Route =
  | { name: 'home' }
  | { name: 'board'; id: string; token: string | null }
  | { name: 'not-found'; path: string };

/** Parses a location's path and query string into a route. */
export function parseRoute(pathname: string, search: string): Route {
  const path = pathname.replace(/\/+$/, '') || '/';
  if (path === '/' || path === '/index.html') return { name: 'home' };
  const board = /^\/b\/([^/]+)$/.exec(path);
  if (board) {
    let id: string;
    try {
      id = decodeURIComponent(board[1] ?? '');
    } catch {
      return { name: 'not-found', path: pathname };
    }
    if (!isValidId(id)) return { name: 'not-found', path: pathname };
    const token = new URLSearchParams(search).get('token');
    return { name: 'board', id, token: token && token.trim() ? token.trim() : null };
  }
  return { name: 'not-found', path: pathname };
}

const NAVIGATE_EVENT = 'planvas:navigate';

/** Pushes (or replaces) a same-origin path and tells `useRoute` subscribers. */
export function navigate(path: string, options: { replace?: boolean } = {}): void {
  if (options.replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(NAVIGATE_EVENT, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(NAVIGATE_EVENT, onChange);
  };
}

function currentHref(): string {
  return location.pathname + location.search;
}

/** The current route; re-renders when the location changes. */
export function useRoute(): Route {
  const href = useSyncExternalStore(subscribe, currentHref);
  const [pathname = '/', query = ''] = href.split('?');
  return parseRoute(pathname, query ? `?${query}` : '');
}

/** Handles a click on an in-app link without a page load (modifier clicks keep browser behaviour). */
export function onLinkClick(event: React.MouseEvent<HTMLAnchorElement>, path: string): void {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  navigate(path);
}
