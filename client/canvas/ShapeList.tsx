import { memo } from 'react';
import type Konva from 'konva';
import type { Dependency, Shape, Task } from '../../shared/schema/entities.ts';
import type { Detail } from './lod.ts';
import { TaskCard } from './shapes/TaskCard.tsx';
import { NoteShape } from './shapes/NoteShape.tsx';
import { DependencyArrow } from './shapes/DependencyArrow.tsx';
import { BatchShapes } from './BatchShapes.tsx';
import { BatchArrows } from './BatchArrows.tsx';
import type { CardPlanInfo, LinkTone } from '../plan/cardInfo.ts';
import type { AreaInvalidator } from './panCache.ts';
import type { FitPicture } from './fitPicture.ts';

export interface ArrowItem {
  dep: Dependency;
  from: Task;
  to: Task;
}

interface Props {
  shapes: readonly Shape[];
  arrows: readonly ArrowItem[];
  selection: ReadonlySet<string>;
  detail: Detail;
  editingId: string | null;
  registerShape(id: string, node: Konva.Group | null): void;
  registerArrow(id: string, node: Konva.Group | null): void;
  /** Scheduled dates, progress and badges per task id. */
  planInfo: ReadonlyMap<string, CardPlanInfo>;
  /** Critical or looping links, drawn in their colour. */
  linkTones: ReadonlyMap<string, LinkTone>;
  /** Where the batched nodes ask for their changed areas to be redrawn (stable). */
  invalidate: AreaInvalidator;
  /** The zoom-to-fit view's batches painted ahead of time (stable), copied when current. */
  fitPicture?: FitPicture;
  /**
   * Zoomed out: the full-detail cards and arrows still mounted from before the zoom-out, none of
   * them selected (useRetiredDetail.ts). Rendered with their full-detail props, so React skips
   * them; draw culling keeps them hidden.
   */
  retiredShapes?: readonly Shape[];
  retiredArrows?: readonly ArrowItem[];
}

const NONE: readonly never[] = [];

/**
 * The drawn shapes and arrows. Memoized as a whole: panning and zooming change only the
 * stage transform, so as long as the (tile-quantized) set of visible shapes is unchanged
 * React skips this subtree entirely instead of walking thousands of children. Zoomed out,
 * unselected shapes are drawn in one batch node; selected ones stay nodes (transformer, drag).
 */
export const ShapeList = memo(function ShapeList({ shapes, arrows, selection, detail, editingId, registerShape, registerArrow, planInfo, linkTones, invalidate, fitPicture, retiredShapes = NONE, retiredArrows = NONE }: Props) {
  const batched = detail === 'low' ? shapes.filter((s) => !selection.has(s.id)) : [];
  const single = detail === 'low' ? shapes.filter((s) => selection.has(s.id)) : shapes;
  return (
    <>
      {batched.length > 0 && <BatchShapes shapes={batched} invalidate={invalidate} picture={fitPicture} />}
      {[...single.map((s) => [s, detail] as const), ...(detail === 'low' ? retiredShapes : NONE).map((s) => [s, 'full'] as const)].map(([s, shown]) =>
        s.kind === 'task' ? (
          <TaskCard key={s.id} shape={s} detail={shown} editing={editingId === s.id} register={registerShape} info={planInfo.get(s.id)} />
        ) : (
          <NoteShape key={s.id} shape={s} detail={shown} editing={editingId === s.id} register={registerShape} />
        ),
      )}
      {detail === 'low' && <BatchArrows arrows={arrows.filter((a) => !selection.has(a.dep.id))} tones={linkTones} invalidate={invalidate} picture={fitPicture} />}
      {[
        ...(detail === 'low' ? arrows.filter((a) => selection.has(a.dep.id)) : arrows).map((a) => [a, detail === 'full'] as const),
        ...(detail === 'low' ? retiredArrows : NONE).map((a) => [a, true] as const),
      ].map(([{ dep, from, to }, showLabel]) => (
        <DependencyArrow key={dep.id} dep={dep} from={from} to={to} selected={selection.has(dep.id)} showLabel={showLabel} register={registerArrow} tone={linkTones.get(dep.id) ?? 'normal'} />
      ))}
    </>
  );
});
