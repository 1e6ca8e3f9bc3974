import type { PresencePublisher } from '../board/session.ts';
import type { CanvasStore } from '../canvas/store.ts';
import type { Point } from '../canvas/viewport.ts';
import { LaserTrail } from './laserTrail.ts';

/** How often a live trail is re-sent while it fades (the presence publisher throttles too). */
const REPUBLISH_MS = 50;

/**
 * The laser tool (K): while the pointer is held down with the laser tool, its positions go
 * into a trail that is published in awareness (never the document, so viewers may use it
 * too). The trail keeps being re-sent as it fades, and is withdrawn (null) once it is gone.
 * Returns the cleanup.
 */
export function bindLaser(el: HTMLElement, store: CanvasStore, toCanvas: (e: PointerEvent) => Point, presence: PresencePublisher): () => void {
  const trail = new LaserTrail();
  let down = false;
  let timer: ReturnType<typeof setInterval> | null = null;

  const publish = () => {
    const points = trail.snapshot(performance.now());
    presence.setLaser(points.length > 0 ? { points } : null);
    if (points.length === 0 && !down && timer !== null) {
      clearInterval(timer);
      timer = null;
    }
  };
  const sample = (e: PointerEvent) => {
    const p = toCanvas(e);
    trail.add(p.x, p.y, performance.now());
    publish();
    timer ??= setInterval(publish, REPUBLISH_MS);
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
    if (timer !== null) clearInterval(timer);
    trail.clear();
    presence.setLaser(null);
  };
}
