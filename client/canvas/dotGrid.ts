import { GRID_SIZE } from './store.ts';

/** Dot spacing on screen: the grid, coarsened when zoomed out so dots never get dense. */
export function gridSpacing(zoom: number): number {
  let step = GRID_SIZE * zoom;
  if (!(step > 0) || !Number.isFinite(step)) return GRID_SIZE;
  while (step < 12) step *= 5;
  return step;
}

export interface DotGridStyle {
  width: string;
  height: string;
  backgroundSize: string;
  transform: string;
}

/**
 * The dot grid is its own element, one step larger than the canvas on every side, moved with a
 * transform: a pan then only moves a composited layer. (As the container's background, every
 * frame of a pan changed `background-position` and repainted the dots over the whole canvas:
 * ~15 % of the frames of a 5k-card pan took two display frames for that alone.) The dots stay
 * where the background put them: at (vp.x, vp.y) plus whole steps.
 */
export function dotGridStyle(vp: { x: number; y: number; zoom: number }): DotGridStyle {
  const step = gridSpacing(vp.zoom);
  const offset = (v: number) => (Number.isFinite(v) ? ((v % step) + step) % step : 0) - step;
  return {
    width: `calc(100% + ${2 * step}px)`,
    height: `calc(100% + ${2 * step}px)`,
    backgroundSize: `${step}px ${step}px`,
    transform: `translate(${offset(vp.x)}px, ${offset(vp.y)}px)`,
  };
}
