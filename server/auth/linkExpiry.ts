/** setTimeout's longest delay (about 24.8 days); a longer one fires at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Calls `fn` once at `expiresAt` (epoch ms): a connection opened with an expiring link is
 * closed when the link expires, as a new connection would be refused from then on. Handles
 * expiries beyond setTimeout's range (links may last a year) by re-arming. Returns a cancel
 * function; the timer never keeps the process alive.
 *
 * @example const cancel = onLinkExpiry(claims.expiresAt, () => peer.close(CloseCode.linkRevoked, 'link expired'))
 */
export function onLinkExpiry(expiresAt: number, fn: () => void, now: () => number = Date.now): () => void {
  let timer: NodeJS.Timeout | null = null;
  const arm = () => {
    const left = expiresAt - now();
    if (left <= 0) {
      timer = null;
      fn();
      return;
    }
    timer = setTimeout(arm, Math.min(left, MAX_TIMER_MS));
    timer.unref();
  };
  arm();
  return () => {
    if (timer) clearTimeout(timer);
    timer = null;
  };
}
