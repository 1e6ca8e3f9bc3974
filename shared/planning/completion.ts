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
