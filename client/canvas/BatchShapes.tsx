import { memo } from 'react';
import { Shape as KonvaShape } from 'react-konva';
import type { Shape } from '../../shared/schema/entities.ts';

/**
 * Level of detail for a zoomed-out board: every (unselected) shape drawn by ONE Konva node,
 * one fill per colour and one stroke pass, instead of thousands of nodes. Not listening:
 * clicks find shapes through the spatial index. Shapes are already in draw order.
 */
export const BatchShapes = memo(function BatchShapes({ shapes }: { shapes: readonly Shape[] }) {
  return (
    <KonvaShape
      listening={false}
      perfectDrawEnabled={false}
      sceneFunc={(context) => {
        const ctx = context._context;
        // Runs of equal colour are filled together; order is kept between runs.
        let i = 0;
        while (i < shapes.length) {
          const color = shapes[i]!.color;
          ctx.beginPath();
          while (i < shapes.length && shapes[i]!.color === color) {
            const s = shapes[i]!;
            ctx.rect(s.x, s.y, s.w, s.h);
            i++;
          }
          ctx.fillStyle = color;
          ctx.fill();
        }
        ctx.beginPath();
        for (const s of shapes) if (s.kind === 'task') ctx.rect(s.x, s.y, s.w, s.h);
        // A hairline whatever the zoom: one device pixel.
        ctx.lineWidth = 1 / Math.max(1e-6, Math.abs(ctx.getTransform().a));
        ctx.strokeStyle = '#94a3b8';
        ctx.stroke();
      }}
    />
  );
});
