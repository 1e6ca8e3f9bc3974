import { useCallback } from 'react';
import type { BoardSession } from '../board/session.ts';
import type { BoardModel } from '../canvas/boardModel.ts';
import type { CanvasStore } from '../canvas/store.ts';
import { commentsModelFor } from './commentsModel.ts';
import { commentsUiFor } from './commentsUi.ts';
import { VIEWERS_CANNOT_COMMENT } from './CommentsPanel.tsx';

/**
 * The Comment tool (C): a click on a task card starts a thread on the task, a click anywhere
 * else drops a pin there; the first message is written in the Comments panel. Then the tool
 * goes back to Select, as the shape tools do.
 */
export function useCommentTool(session: BoardSession, store: CanvasStore, model: BoardModel) {
  return useCallback(
    (point: { x: number; y: number }) => {
      const ui = commentsUiFor(session.doc);
      if (session.readOnly && !commentsModelFor(session.doc).getSnapshot().viewersMayComment) {
        store.getState().setNotice(VIEWERS_CANNOT_COMMENT);
        store.getState().setTool('select');
        return;
      }
      const task = model.topAt(point.x, point.y, true);
      ui.getState().startDraft(task ? { kind: 'task', taskId: task.id } : { kind: 'point', x: Math.round(point.x), y: Math.round(point.y) });
      store.getState().setTool('select');
    },
    [session, store, model],
  );
}
