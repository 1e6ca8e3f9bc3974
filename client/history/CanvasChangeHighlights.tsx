import { useEffect, useMemo, useRef, useState } from 'react';
import type { BoardSnapshot } from '../../shared/doc/read.ts';
import type { BoardSession } from '../board/session.ts';
import type { PreviewRow } from './previewRows.ts';
import { changeLabel } from './versionDrawing.ts';

interface Box {
  id: string;
  kind: 'added' | 'removed' | 'changed';
  label: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

interface Placement {
  /** Canvas -> overlay: overlayX = (x - vx) * zoom + dx. */
  vx: number;
  vy: number;
  zoom: number;
  dx: number;
  dy: number;
}

/**
 * Outlines, over the live canvas, every task that differs from the previewed version: green
 * added since, amber changed (a field, or its scheduled dates: `rows` come from previewRows,
 * so the canvas and the list agree), and a dashed red ghost where a task was that is gone now. An
 * HTML layer that never takes a pointer event and never writes anything: it follows the
 * canvas through the viewport this tab publishes (presence), so it needs no hook into the
 * canvas code.
 */
export function CanvasChangeHighlights({ session, version, live, rows }: { session: BoardSession; version: BoardSnapshot; live: BoardSnapshot; rows: readonly PreviewRow[] }) {
  const layerRef = useRef<HTMLDivElement>(null);
  const [placement, setPlacement] = useState<Placement | null>(null);

  const boxes = useMemo<Box[]>(() => {
    const out: Box[] = [];
    for (const { id, change } of rows) {
      if (!change) continue;
      const task = change.kind === 'removed' ? version.tasks.get(id) : live.tasks.get(id);
      if (!task) continue;
      out.push({ id, kind: change.kind, label: changeLabel(change), x: task.x, y: task.y, w: task.w, h: task.h });
    }
    return out;
  }, [version, live, rows]);

  useEffect(() => {
    let frame = 0;
    let last = '';
    const tick = () => {
      frame = requestAnimationFrame(tick);
      const layer = layerRef.current;
      const canvas = layer?.parentElement?.querySelector<HTMLElement>('.pv-canvas');
      const viewport = session.presence.getLocal().viewport;
      if (!layer || !canvas || !viewport) return;
      const a = canvas.getBoundingClientRect();
      const b = layer.getBoundingClientRect();
      const next: Placement = { vx: viewport.x, vy: viewport.y, zoom: viewport.zoom, dx: a.left - b.left, dy: a.top - b.top };
      const key = `${next.vx},${next.vy},${next.zoom},${next.dx},${next.dy}`;
      if (key !== last) {
        last = key;
        setPlacement(next);
      }
    };
    frame = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(frame);
  }, [session]);

  return (
    <div className="history-highlights" ref={layerRef} aria-hidden="true" data-testid="history-highlights">
      {placement &&
        boxes.map((box) => (
          <div
            key={box.id}
            className={`history-highlight ${box.kind}`}
            data-task-id={box.id}
            data-change={box.kind}
            style={{
              left: (box.x - placement.vx) * placement.zoom + placement.dx - 4,
              top: (box.y - placement.vy) * placement.zoom + placement.dy - 4,
              width: box.w * placement.zoom + 8,
              height: box.h * placement.zoom + 8,
            }}
          >
            <span className="history-highlight-label">{box.label}</span>
          </div>
        ))}
    </div>
  );
}
