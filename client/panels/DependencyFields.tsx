import { deleteEntities } from '../../shared/doc/ops.ts';
import { updateDependency } from '../../shared/doc/planOps.ts';
import { DEPENDENCY_TYPES, type Dependency, type DependencyType } from '../../shared/schema/entities.ts';
import type { BoardSession } from '../board/session.ts';
import type { PlanModel } from '../plan/planModel.ts';
import { InspectorHeading, NumberField } from './fields.tsx';

export const LINK_TYPE_LABELS: Record<DependencyType, string> = {
  FS: 'Finish to start (FS)',
  SS: 'Start to start (SS)',
  FF: 'Finish to finish (FF)',
  SF: 'Start to finish (SF)',
};

/** A link's type and lag (or lead, negative), as on MS Project's Task Dependency dialog. */
export function DependencyFields({ session, plan, dep, onClose }: { session: BoardSession; plan: PlanModel; dep: Dependency; onClose?: () => void }) {
  const readOnly = session.readOnly;
  const title = (id: string) => plan.board.tasks.get(id)?.title || 'Untitled task';
  const inCycle = plan.schedule().cycles.some((c) => c.dependencies.includes(dep.id));
  const write = (patch: { type?: DependencyType; lag?: number }) => updateDependency(session.doc, dep.id, patch, session.localOrigin);
  return (
    <aside className="inspector" aria-label="Link details" data-readonly={readOnly || undefined}>
      <InspectorHeading title="Link" onClose={onClose} />
      <p className="link-ends">
        <strong>{title(dep.from)}</strong> → <strong>{title(dep.to)}</strong>
      </p>
      {inCycle && (
        <p className="field-hint error" role="alert">
          This link is part of a loop of dependencies; the scheduler ignores it until the loop is broken.
        </p>
      )}
      <label className="field">
        <span className="field-label">Type</span>
        <select className="input" disabled={readOnly} value={dep.type} onChange={(e) => write({ type: e.target.value as DependencyType })}>
          {DEPENDENCY_TYPES.map((t) => (
            <option key={t} value={t}>
              {LINK_TYPE_LABELS[t]}
            </option>
          ))}
        </select>
      </label>
      <NumberField label="Lag (working days; negative = lead)" value={dep.lag} min={-10000} max={10000} step={1} disabled={readOnly} onCommit={(lag) => write({ lag })} />
      {!readOnly && (
        <button type="button" className="button danger" onClick={() => deleteEntities(session.doc, [dep.id], session.localOrigin)}>
          Delete link
        </button>
      )}
    </aside>
  );
}
