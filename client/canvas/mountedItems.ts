import type { Shape } from '../../shared/schema/entities.ts';
import type { BoardModel } from './boardModel.ts';
import type { ArrowItem } from './ShapeList.tsx';
import { spanOf } from './batchDiff.ts';
import { rectsIntersect } from './geometry.ts';
import type { Rect } from './viewport.ts';

/**
 * What the canvas mounts for a culling rectangle (culling.ts): the shapes in it in draw order,
 * plus the selected ones wherever they are, and every live link with an end among those shapes or
 * a span crossing the rectangle. BoardCanvas renders this for the view; the fit picture
 * (fitPictureScheduler.ts) asks for it at the zoom-to-fit view, so the two hold the very same
 * cards and links. The result is shared: callers must not change it.
 */
export function mountedItems(model: BoardModel, cull: Rect, selectedIds: readonly string[]): MountedItems {
  // The last two results per model (the view's and the fit picture's) are kept while the model
  // is unchanged: zoom to fit then finds what the fit picture computed in idle time.
  const key = `${cull.x},${cull.y},${cull.w},${cull.h}|${selectedIds.join(',')}`;
  const kept = (recent.get(model) ?? []).filter((e) => e.version === model.version);
  const hit = kept.find((e) => e.key === key);
  if (hit) return hit.items;
  const items = collect(model, cull, selectedIds);
  recent.set(model, [{ version: model.version, key, items }, ...kept].slice(0, 2));
  return items;
}

export interface MountedItems {
  readonly visible: readonly Shape[];
  readonly arrows: readonly ArrowItem[];
}

const recent = new WeakMap<BoardModel, Array<{ version: number; key: string; items: MountedItems }>>();

function collect(model: BoardModel, cull: Rect, selectedIds: readonly string[]): MountedItems {
  const shapes: Shape[] = model.shapesIn(cull);
  const drawn = new Set(shapes.map((s) => s.id));
  for (const id of selectedIds) {
    const s = model.shape(id);
    if (s && !drawn.has(id)) {
      shapes.push(s);
      drawn.add(id);
    }
  }
  const arrows: ArrowItem[] = [];
  for (const dep of model.liveDeps()) {
    const from = model.tasks.get(dep.from)!;
    const to = model.tasks.get(dep.to)!;
    if (drawn.has(dep.from) || drawn.has(dep.to) || rectsIntersect(spanOf(from, to), cull)) arrows.push({ dep, from, to });
  }
  return { visible: shapes, arrows };
}
