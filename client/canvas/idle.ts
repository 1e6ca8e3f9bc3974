/** What an idle callback is told: how much of the idle period is left (null: no idle period, see whenIdle). */
export interface IdleDeadline {
  timeRemaining(): number;
  didTimeout: boolean;
}

/**
 * requestIdleCallback where the browser has it, else (Safari) a plain timeout, which is not idle
 * time: the callback then gets a null deadline. `timeout`: run by then even if the page never
 * goes idle (none: optional work, wait for idle time however long). Returns the cancel function.
 */
export function whenIdle(fn: (deadline: IdleDeadline | null) => void, timeout?: number): () => void {
  if (typeof requestIdleCallback === 'function') {
    const id = requestIdleCallback(fn, timeout === undefined ? undefined : { timeout });
    return () => cancelIdleCallback(id);
  }
  const id = setTimeout(() => fn(null), 0);
  return () => clearTimeout(id);
}
