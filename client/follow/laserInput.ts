import type { PresencePublisher } from '../board/session.ts';
import type { CanvasStore } from '../canvas/store.ts';
import type { Point } from '../canvas/viewport.ts';
import { LASER_TRAIL_MS } from '../../shared/protocol/presence.ts';
import { LaserTrail } from './laserTrail.ts';

/**
 * The laser tool (K): while the pointer is held down with the laser tool, its positions go
 * into a trail that is published in awareness (never the document, so viewers may use it
 * too). The trail is sent only when a new point is sampled (the presence publisher throttles
 * it): each point carries its age at that moment and receivers fade it from when they got it.
 * One timer withdraws the trail (null) LASER_TRAIL_MS after the last point, when it has faded
 * everywhere. Returns the cleanup.
 */
export function bindLaser(el: HTMLElement, store: CanvasStore, toCanvas: (e: PointerEvent) => Point, presence: PresencePublisher): () => void {
  const trail = new LaserTrail();
  let down = false;
  let clearTimer: ReturnType<typeof setTimeout> | null = null;

  const withdraw = () => {
    clearTimer = null;
    trail.clear();
    presence.setLaser(null);
  };
  const sample = (e: PointerEvent) => {
    const p = toCanvas(e);
    const now = performance.now();
    trail.add(p.x, p.y, now);
    presence.setLaser({ points: trail.snapshot(now) });
    if (clearTimer !== null) clearTimeout(clearTimer);
    clearTimer = setTimeout(withdraw, LASER_TRAIL_MS);
  };
  const onDown = (e: PointerEvent) => {
    if (e.button !== 0 || store.getState().tool !== 'laser') return;
    down = true;
    sample(e);
    window.addEventListener('pointermove', onMove);
    window.addEventListener('pointerup', onUp);
    window.addEventListener('pointercancel', onUp);
  };
  const onMove = (e: PointerEvent) => {
    if (down) sample(e);
  };
  const onUp = () => {
    down = false;
    window.removeEventListener('pointermove', onMove);
    window.removeEventListener('pointerup', onUp);
    window.removeEventListener('pointercancel', onUp);
  };
  el.addEventListener('pointerdown', onDown);
  return () => {
    onUp();
    el.removeEventListener('pointerdown', onDown);
    if (clearTimer !== null) clearTimeout(clearTimer);
    clearTimer = null;
    trail.clear();
    presence.setLaser(null);
  };
}
