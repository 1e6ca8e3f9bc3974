import type * as Y from 'yjs';
import { commentsModelFor } from './commentsModel.ts';
import { commentsUiFor } from './commentsUi.ts';

/** Id of the oldest open thread on a task, or null. */
export function firstOpenThreadOn(doc: Y.Doc, taskId: string): string | null {
  return commentsModelFor(doc).getSnapshot().threads.find((t) => !t.resolved && t.anchor.kind === 'task' && t.anchor.taskId === taskId)?.id ?? null;
}

/** Opens the Comments panel on a task's first open thread (what a click on a count does). */
export function openTaskComments(doc: Y.Doc, taskId: string): void {
  commentsUiFor(doc).getState().openPanel(firstOpenThreadOn(doc, taskId));
}
