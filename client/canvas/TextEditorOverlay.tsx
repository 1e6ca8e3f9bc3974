import { useLayoutEffect, useRef, type KeyboardEvent } from 'react';
import { useStore } from 'zustand';
import { setNoteText, updateShape } from '../../shared/doc/ops.ts';
import type { BoardSession } from '../board/session.ts';
import type { BoardModel } from './boardModel.ts';
import type { CanvasStore } from './store.ts';
import { NOTE_FONT, NOTE_PADDING } from './shapes/NoteShape.tsx';
import { TASK_PADDING, TASK_TITLE_FONT, taskTitleHeight } from './shapes/TaskCard.tsx';

interface Props {
  session: BoardSession;
  store: CanvasStore;
  model: BoardModel;
}

/**
 * The standard Konva way to edit text: an HTML textarea positioned and scaled over the
 * shape. Task titles: Enter commits. Notes: Enter is a new line, Ctrl/Cmd+Enter commits.
 * Escape and blur commit too (as in tldraw and Miro: leaving the editor never throws away
 * what was typed; Ctrl/Cmd+Z undoes it). Note text is written through setNoteText (a diff into the
 * Y.Text), so someone else's concurrent typing elsewhere in the note survives.
 */
export function TextEditorOverlay({ session, store, model }: Props) {
  const editingId = useStore(store, (s) => s.editingId);
  const viewport = useStore(store, (s) => s.viewport);
  const shape = editingId ? model.shape(editingId) : undefined;
  const ref = useRef<HTMLTextAreaElement>(null);
  const shapeId = shape?.id;

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el || !shapeId) return;
    // At once (layout effect), so the very next keystroke lands in the editor. The editor is
    // only ever opened after any mousedown of the gesture (dblclick, pointerup, Enter), so
    // nothing moves the focus away again.
    el.focus();
    el.select();
  }, [shapeId]);

  if (!shape || session.readOnly) return null;
  const isTask = shape.kind === 'task';
  const pad = (isTask ? TASK_PADDING : NOTE_PADDING) * viewport.zoom;
  const initial = isTask ? shape.title : shape.text;

  const commit = (value: string) => {
    if (store.getState().editingId !== shape.id) return;
    store.getState().setEditing(null);
    if (value === initial) return;
    if (isTask) updateShape(session.doc, shape.id, { title: value.replace(/\s*\n\s*/g, ' ') }, session.localOrigin);
    else setNoteText(session.doc, shape.id, value, session.localOrigin);
    session.undoManager.stopCapturing();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    e.stopPropagation();
    if (e.key === 'Escape') {
      e.preventDefault();
      commit(e.currentTarget.value);
    } else if (e.key === 'Enter' && (isTask ? !e.shiftKey : e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      commit(e.currentTarget.value);
    }
  };

  return (
    <textarea
      key={shape.id}
      ref={ref}
      className="pv-text-editor"
      data-testid="text-editor"
      defaultValue={initial}
      placeholder={isTask ? 'Task title' : 'Write something…'}
      onKeyDown={onKeyDown}
      onBlur={(e) => commit(e.currentTarget.value)}
      style={{
        left: shape.x * viewport.zoom + viewport.x,
        top: shape.y * viewport.zoom + viewport.y,
        width: shape.w * viewport.zoom,
        // A task's editor covers only its title block, so assignee, status and dates stay visible.
        height: (isTask ? Math.max(taskTitleHeight(shape) + TASK_PADDING * 2, 44) : shape.h) * viewport.zoom,
        padding: pad,
        fontSize: (isTask ? TASK_TITLE_FONT : NOTE_FONT) * viewport.zoom,
        fontWeight: isTask ? 600 : 400,
        lineHeight: isTask ? 1.3 : 1.35,
        background: shape.color,
        borderRadius: (isTask ? 10 : 4) * viewport.zoom,
      }}
    />
  );
}
