/** The status key that means finished, whatever the board calls it ('Done' by default). */
export const DONE_STATUS = 'done';

/**
 * A task is complete when it is 100 % done or has been moved to Done (on the Kanban board,
 * people drag a card to Done without touching its progress). Complete tasks are never late,
 * overdue or at risk.
 */
export function isComplete(task: { status: string }, progress: number): boolean {
  return progress >= 100 || task.status === DONE_STATUS;
}

/** The status key of work under way ('In progress' by default). */
export const IN_PROGRESS_STATUS = 'in-progress';

/**
 * The status an imported task starts in, from its % complete (files from MS Project or a
 * spreadsheet carry progress, not a Kanban column): Done at 100 %, In progress above 0, else
 * the board's first status — each only when the board still has that status.
 *
 * @example statusForProgress(50, DEFAULT_STATUSES) // 'in-progress'
 */
export function statusForProgress(progress: number, statuses: readonly { key: string }[]): string {
  const has = (key: string) => statuses.some((s) => s.key === key);
  if (progress >= 100 && has(DONE_STATUS)) return DONE_STATUS;
  if (progress > 0 && has(IN_PROGRESS_STATUS)) return IN_PROGRESS_STATUS;
  return statuses[0]?.key ?? '';
}
