import type { BoardSnapshot } from '../../shared/doc/read.ts';
import type { BoardSession, ConnectionStatus } from '../board/session.ts';

/**
 * Hooks for end-to-end tests on `window.planvas`. The board page sets `session`, `readBoard`,
 * `status` and `unsynced` while a board is open and removes them when it closes. Other
 * modules add their own keys by augmenting the global `PlanvasTestHooks` (the canvas adds
 * `canvas`, see client/canvas/testHooks.ts) and merge into the object, never replace it.
 *
 * @example
 *   await page.waitForFunction(() => window.planvas?.status?.() === 'connected');
 *   const count = await page.evaluate(() => window.planvas!.readBoard!().tasks.size);
 */
declare global {
  interface PlanvasTestHooks {
    session?: BoardSession;
    /** The whole board through the validating read layer. */
    readBoard?: () => BoardSnapshot;
    /** What the header's connection badge shows. */
    status?: () => ConnectionStatus;
    /** True when local edits have not reached the server yet. */
    unsynced?: () => boolean;
    /** The live schedule as plain data (what the timeline and cards show). */
    schedule?: () => PlainSchedule;
  }
  interface Window {
    planvas?: PlanvasTestHooks;
  }
}

export interface PlainSchedule {
  projectFinish: string;
  tasks: Record<string, { start: string; finish: string; critical: boolean; totalFloat: number }>;
  cycles: Array<{ tasks: string[]; dependencies: string[] }>;
}

export type ShellTestHooks = Required<Pick<PlanvasTestHooks, 'session' | 'readBoard' | 'status' | 'unsynced' | 'schedule'>>;

export function setTestHooks(hooks: ShellTestHooks): void {
  window.planvas = { ...window.planvas, ...hooks };
}

/** Removes the given hooks, but only where they are still the ones this page set. */
export function clearTestHooks(hooks: ShellTestHooks): void {
  const current = window.planvas;
  if (!current) return;
  const next: PlanvasTestHooks = { ...current };
  for (const key of Object.keys(hooks) as Array<keyof ShellTestHooks>) {
    if (next[key] === hooks[key]) delete next[key];
  }
  window.planvas = next;
}
