import { useSyncExternalStore } from 'react';
import type { BoardSession } from '../board/session.ts';
import type { PlanModel } from '../plan/planModel.ts';
import { DependencyFields } from './DependencyFields.tsx';
import { TaskFields } from './TaskFields.tsx';

/**
 * Right-hand panel for the one selected task or link, in every view. Every change is one
 * document transaction with the local origin (undoable); remote edits show live. View-only
 * links see the details read-only.
 */
export function TaskInspector({
  session,
  plan,
  selection,
  onClose,
}: {
  session: BoardSession;
  plan: PlanModel;
  selection: readonly string[];
  /** Shown as a close button when given (docked in the timeline and board views). */
  onClose?: () => void;
}) {
  // Re-render on every plan change (the parent may not).
  useSyncExternalStore(plan.subscribe, plan.getVersion);
  const id = selection.length === 1 ? (selection[0] ?? null) : null;
  if (!id) return null;
  const task = plan.board.tasks.get(id);
  if (task) return <TaskFields key={task.id} session={session} plan={plan} task={task} onClose={onClose} />;
  const dep = plan.board.deps.get(id);
  if (dep && plan.board.tasks.has(dep.from) && plan.board.tasks.has(dep.to)) return <DependencyFields key={dep.id} session={session} plan={plan} dep={dep} onClose={onClose} />;
  return null;
}
