import { useCallback, useEffect, useRef, useState } from 'react';
import type { CanvasSvg } from '../export/canvasSvg.ts';

interface View {
  zoom: number;
  /** Where the drawing's top-left corner sits in the frame, in CSS px. */
  x: number;
  y: number;
}

const MIN_ZOOM = 0.02;
const MAX_ZOOM = 4;
/** Browsers lay out at most ~33 million CSS px: a peer's far-flung card must not break the picture. */
const MAX_IMAGE_SIDE = 16_000_000;
const FIT_PADDING = 24;
/** Room kept under the fitted picture for the legend and zoom buttons. */
const TOOLS_HEIGHT = 48;
const BUTTON_STEP = 1.25;

/**
 * The version's canvas as a picture: fitted to the frame, zoomed with the wheel (around the
 * pointer) or the buttons, panned by dragging. The drawing is an <img> of an SVG Blob: an image
 * runs no script and loads nothing, so nothing a peer wrote in the version can act here (the
 * SVG builder escapes text as well). It shows and writes nothing else.
 */
export function BoardPreview({ drawing, name, compare }: { drawing: CanvasSvg | null; name: string; compare: boolean }) {
  const frameRef = useRef<HTMLDivElement>(null);
  const url = useSvgUrl(drawing?.svg);
  const [frame, setFrame] = useState<{ w: number; h: number } | null>(null);
  const [view, setView] = useState<View | null>(null);
  const drag = useRef<{ pointer: number; x: number; y: number } | null>(null);
  const [panning, setPanning] = useState(false);

  useEffect(() => {
    const el = frameRef.current;
    if (!el) return;
    const measure = () => setFrame({ w: el.clientWidth, h: el.clientHeight });
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  // A new drawing size (another version, or comparing adds ghosts around it): fit again.
  const sizeKey = drawing ? `${drawing.width}x${drawing.height}` : '';
  useEffect(() => setView(null), [sizeKey]);

  const fit = frame && drawing ? fitView(drawing, frame) : null;
  const current = view ?? fit;

  const zoomAt = useCallback(
    (factor: number, px: number, py: number) => {
      if (!current || !drawing) return;
      const min = Math.min(MIN_ZOOM, fit?.zoom ?? MIN_ZOOM);
      const max = Math.min(MAX_ZOOM, MAX_IMAGE_SIDE / Math.max(drawing.width, drawing.height));
      const zoom = Math.min(max, Math.max(min, current.zoom * factor));
      if (zoom === current.zoom) return;
      const k = zoom / current.zoom;
      setView({ zoom, x: px - (px - current.x) * k, y: py - (py - current.y) * k });
    },
    [current, drawing, fit?.zoom],
  );

  // The wheel zooms the picture, not the page: a non-passive listener may prevent the scroll.
  useEffect(() => {
    const el = frameRef.current;
    if (!el) return;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const r = el.getBoundingClientRect();
      zoomAt(Math.exp(-e.deltaY * (e.deltaMode === 1 ? 0.05 : 0.0015)), e.clientX - r.left, e.clientY - r.top);
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, [zoomAt]);

  const onPointerDown = (e: React.PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0 || !current) return;
    e.currentTarget.setPointerCapture(e.pointerId);
    drag.current = { pointer: e.pointerId, x: e.clientX, y: e.clientY };
    setPanning(true);
  };
  const onPointerMove = (e: React.PointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    if (!d || d.pointer !== e.pointerId || !current) return;
    drag.current = { ...d, x: e.clientX, y: e.clientY };
    setView({ ...current, x: current.x + e.clientX - d.x, y: current.y + e.clientY - d.y });
  };
  const endDrag = (e: React.PointerEvent<HTMLDivElement>) => {
    if (drag.current?.pointer !== e.pointerId) return;
    drag.current = null;
    setPanning(false);
  };
  const centre = () => (frame ? ([frame.w / 2, frame.h / 2] as const) : ([0, 0] as const));

  return (
    <div className="history-board" data-testid="history-board">
      <div
        className={`history-board-frame${panning ? ' is-panning' : ''}`}
        ref={frameRef}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={endDrag}
        onPointerCancel={endDrag}
      >
        {!drawing && <p className="history-empty">The canvas of this version is empty.</p>}
        {drawing && url && current && (
          <img
            className="history-board-image"
            src={url}
            alt={`The canvas as it was in “${name}”`}
            draggable={false}
            data-testid="history-board-image"
            data-shapes={drawing.shapes}
            style={{ left: current.x, top: current.y, width: drawing.width * current.zoom, height: drawing.height * current.zoom }}
          />
        )}
      </div>
      {drawing && current && (
        <div className="history-board-tools">
          {compare && (
            <span className="history-board-legend" aria-label="Legend">
              <span className="changed">changed</span>
              <span className="added">added since</span>
              <span className="removed">removed since</span>
            </span>
          )}
          <span className="history-board-zoom" role="group" aria-label="Zoom">
            <button type="button" className="button small" aria-label="Zoom out" data-testid="history-board-zoom-out" onClick={() => zoomAt(1 / BUTTON_STEP, ...centre())}>
              −
            </button>
            <button type="button" className="button small" title="Fit to the frame" data-testid="history-board-fit" onClick={() => setView(null)}>
              {percent(current.zoom)}
            </button>
            <button type="button" className="button small" aria-label="Zoom in" data-testid="history-board-zoom-in" onClick={() => zoomAt(BUTTON_STEP, ...centre())}>
              +
            </button>
          </span>
        </div>
      )}
    </div>
  );
}

/** The whole drawing centred in the frame above the tools, never enlarged past 100 %. */
function fitView(drawing: CanvasSvg, frame: { w: number; h: number }): View {
  const room = { w: Math.max(1, frame.w - FIT_PADDING * 2), h: Math.max(1, frame.h - FIT_PADDING - TOOLS_HEIGHT) };
  const zoom = Math.min(1, room.w / drawing.width, room.h / drawing.height);
  return { zoom, x: (frame.w - drawing.width * zoom) / 2, y: FIT_PADDING + (room.h - drawing.height * zoom) / 2 };
}

/** "86%", "0.4%" for a huge board shown whole. */
function percent(zoom: number): string {
  return zoom >= 0.1 ? `${Math.round(zoom * 100)}%` : `${(zoom * 100).toPrecision(1)}%`;
}

/** A Blob URL of the SVG, revoked when the SVG changes or the preview closes. */
function useSvgUrl(svg: string | undefined): string | null {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!svg) {
      setUrl(null);
      return;
    }
    const next = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml;charset=utf-8' }));
    setUrl(next);
    return () => URL.revokeObjectURL(next);
  }, [svg]);
  return url;
}
