import type { CanvasStore } from '../store.ts';
import { panBy, wheelZoomFactor, zoomAround } from '../viewport.ts';

/**
 * Wheel and trackpad: Ctrl/Cmd+wheel (and pinch, which browsers report as ctrl+wheel) zooms
 * around the pointer; a plain wheel or two-finger scroll pans (Shift turns vertical into
 * horizontal). Non-passive so the page itself never zooms or scrolls.
 */
export function bindWheel(el: HTMLElement, store: CanvasStore): () => void {
  const onWheel = (e: WheelEvent) => {
    if (e.target instanceof HTMLElement && e.target.closest('.pv-toolbar-wrap, .pv-zoom, .pv-text-editor')) return;
    e.preventDefault();
    const scale = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? 400 : 1;
    const dx = e.deltaX * scale;
    const dy = e.deltaY * scale;
    const { viewport, setViewport } = store.getState();
    if (e.ctrlKey || e.metaKey) {
      const rect = el.getBoundingClientRect();
      setViewport(zoomAround(viewport, viewport.zoom * wheelZoomFactor(dy), { x: e.clientX - rect.left, y: e.clientY - rect.top }));
    } else if (e.shiftKey && dx === 0) {
      setViewport(panBy(viewport, -dy, 0));
    } else {
      setViewport(panBy(viewport, -dx, -dy));
    }
  };
  el.addEventListener('wheel', onWheel, { passive: false });
  return () => el.removeEventListener('wheel', onWheel);
}
