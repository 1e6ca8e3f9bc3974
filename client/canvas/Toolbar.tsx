import { useStore } from 'zustand';
import { NOTE_COLORS, TASK_COLORS } from '../../shared/schema/entities.ts';
import { getAction, recolor, runAction } from '../actions/registry.ts';
import { formatShortcut } from '../actions/shortcuts.ts';
import type { ActionContext } from '../actions/types.ts';
import { useUndoState } from './useUndoState.ts';
import { ActionIcon } from './icons.tsx';
import { useComments } from '../comments/commentsModel.ts';
import type * as Y from 'yjs';


interface Props {
  ctx: ActionContext;
  undoManager: Y.UndoManager;
}

/** Floating toolbar at the top centre; every button is a registry action. */
export function Toolbar({ ctx, undoManager }: Props) {
  const { store, readOnly } = ctx;
  const tool = useStore(store, (s) => s.tool);
  const snapOn = useStore(store, (s) => s.snapToGrid);
  // A viewer sees the Comment tool only where the board lets viewers comment.
  const { viewersMayComment } = useComments(ctx.doc);
  const canComment = !readOnly || viewersMayComment;
  useStore(store, (s) => s.selection);
  useUndoState(undoManager);
  const selected = [...store.getState().selection].map((id) => ctx.model.shape(id)).filter((s) => s !== undefined);
  const hasTask = selected.some((s) => s.kind === 'task');
  const hasNote = selected.some((s) => s.kind === 'note');

  const button = (id: string, active = false) => {
    const action = getAction(id);
    if (action.edits && readOnly) return null;
    const tip = action.shortcuts[0] ? `${action.label} (${formatShortcut(action.shortcuts[0])})` : action.label;
    return (
      <button
        key={id}
        type="button"
        className={`pv-tool${active ? ' pv-active' : ''}`}
        data-action={id}
        aria-label={action.label}
        aria-pressed={action.group === 'tool' || id === 'arrange.snap' ? active : undefined}
        data-tip={tip}
        disabled={!action.enabled(ctx)}
        onClick={() => runAction(id, ctx)}
      >
        <ActionIcon id={id} />
      </button>
    );
  };

  return (
    <div className="pv-toolbar-wrap" onPointerDown={(e) => e.stopPropagation()} onMouseDown={(e) => e.preventDefault()}>
      <div className="pv-toolbar" role="toolbar" aria-label="Canvas tools">
        {(['select', 'hand', 'task', 'note', 'dependency', 'laser', 'comment'] as const).filter((t) => t !== 'comment' || canComment).map((t) => button(`tool.${t}`, tool === t))}
        {!readOnly && (
          <>
            <span className="pv-sep" />
            {button('history.undo')}
            {button('history.redo')}
            <span className="pv-sep" />
            {button('edit.duplicate')}
            {button('edit.delete')}
            {button('arrange.front')}
            {button('arrange.back')}
            <span className="pv-sep" />
            {button('arrange.snap', snapOn)}
          </>
        )}
      </div>
      {!readOnly && (hasTask || hasNote) && (
        <div className="pv-swatches" role="group" aria-label="Colour">
          {hasTask && <Swatches colors={TASK_COLORS} kind="task" ctx={ctx} />}
          {hasTask && hasNote && <span className="pv-sep" />}
          {hasNote && <Swatches colors={NOTE_COLORS} kind="note" ctx={ctx} />}
        </div>
      )}
    </div>
  );
}

function Swatches({ colors, kind, ctx }: { colors: readonly string[]; kind: 'task' | 'note'; ctx: ActionContext }) {
  return (
    <>
      {colors.map((c) => (
        <button
          key={c}
          type="button"
          className="pv-swatch"
          style={{ background: c }}
          data-color={c}
          data-kind={kind}
          aria-label={`${kind} colour ${c}`}
          title={`${kind === 'task' ? 'Task' : 'Note'} colour ${c}`}
          onClick={() => recolor(ctx, c, kind)}
        />
      ))}
    </>
  );
}
