import { memo } from 'react';
import { Shape as KonvaShape } from 'react-konva';
import type { LinkTone } from '../plan/cardInfo.ts';
import { arrowPoints } from './geometry.ts';
import type { ArrowItem } from './ShapeList.tsx';
import { LINK_TONE_COLORS } from './shapes/linkStyle.ts';


/**
 * Level of detail for dependency arrows on a zoomed-out board: every (unselected) arrow drawn
 * by ONE Konva node, one stroke per colour, instead of one listening node per arrow (10k arrow
 * nodes made each frame of a zoomed-out pan cost hundreds of milliseconds). Not listening:
 * arrows are selected when zoomed in.
 */
export const BatchArrows = memo(function BatchArrows({ arrows, tones }: { arrows: readonly ArrowItem[]; tones: ReadonlyMap<string, LinkTone> }) {
  return (
    <KonvaShape
      listening={false}
      perfectDrawEnabled={false}
      sceneFunc={(context) => {
        const ctx = context._context;
        const scale = Math.max(1e-6, Math.abs(ctx.getTransform().a));
        ctx.lineWidth = 1.5 / scale;
        const head = 6 / scale;
        for (const tone of ['normal', 'critical', 'cycle'] as const) {
          ctx.beginPath();
          let any = false;
          for (const { dep, from, to } of arrows) {
            if ((tones.get(dep.id) ?? 'normal') !== tone) continue;
            const p = arrowPoints(from, to);
            if (!p) continue;
            const [x1, y1, x2, y2] = p;
            ctx.moveTo(x1, y1);
            ctx.lineTo(x2, y2);
            // A small open arrowhead at the successor's end.
            const angle = Math.atan2(y2 - y1, x2 - x1);
            ctx.moveTo(x2 - head * Math.cos(angle - 0.5), y2 - head * Math.sin(angle - 0.5));
            ctx.lineTo(x2, y2);
            ctx.lineTo(x2 - head * Math.cos(angle + 0.5), y2 - head * Math.sin(angle + 0.5));
            any = true;
          }
          if (!any) continue;
          ctx.strokeStyle = LINK_TONE_COLORS[tone];
          ctx.stroke();
        }
      }}
    />
  );
});
