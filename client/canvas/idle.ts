/**
 * requestIdleCallback where the browser has it (not every browser does), else a plain timeout.
 * `timeout`: run by then even if the page never goes idle. Returns the cancel function.
 */
export function whenIdle(fn: () => void, timeout: number): () => void {
  if (typeof requestIdleCallback === 'function') {
    const id = requestIdleCallback(fn, { timeout });
    return () => cancelIdleCallback(id);
  }
  const id = setTimeout(fn, 0);
  return () => clearTimeout(id);
}
