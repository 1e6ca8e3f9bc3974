import { DEFAULT_TASK_SIZE } from '../../shared/schema/entities.ts';
import type { SpatialIndex } from '../canvas/spatialIndex.ts';

const GAP = 40;

/**
 * Where a task made outside the canvas (timeline, board) should appear on the canvas: the
 * first free card-sized place to the right of `near`, row by row, so new cards never land on
 * top of existing ones.
 */
export function freeCanvasSpot(index: SpatialIndex, near: { x: number; y: number } | null): { x: number; y: number } {
  const { w, h } = DEFAULT_TASK_SIZE;
  const origin = near ?? { x: 0, y: 0 };
  for (let row = 0; row < 50; row++) {
    for (let col = 0; col < 12; col++) {
      const x = origin.x + col * (w + GAP);
      const y = origin.y + row * (h + GAP);
      if (index.search({ x: x - GAP / 2, y: y - GAP / 2, w: w + GAP, h: h + GAP }).length === 0) return { x, y };
    }
  }
  return { x: origin.x, y: origin.y + 50 * (h + GAP) };
}
