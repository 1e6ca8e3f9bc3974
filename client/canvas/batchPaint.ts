import type { LinkTone } from '../plan/cardInfo.ts';
import { arrowPoints } from './geometry.ts';
import type { ArrowItem } from './ShapeList.tsx';
import { LINK_TONE_COLORS } from './shapes/linkStyle.ts';
import { ARROW_PAD, CARD_PAD, spanOf, touches } from './batchDiff.ts';
import type { Shape } from '../../shared/schema/entities.ts';
import type { Rect } from './viewport.ts';

/**
 * Paints low-detail cards (BatchShapes.tsx, and the fit picture in fitPicture.ts): runs of equal
 * colour filled together (order is kept between runs), then one hairline border pass (one device
 * pixel whatever the zoom). `area`: only the cards that touch it (a partial draw); null for all.
 */
export function paintCards(ctx: CanvasRenderingContext2D, list: readonly Shape[], area: Rect | null): void {
  let i = 0;
  while (i < list.length) {
    const color = list[i]!.color;
    ctx.beginPath();
    while (i < list.length && list[i]!.color === color) {
      const s = list[i]!;
      if (touches(s, area, CARD_PAD)) ctx.rect(s.x, s.y, s.w, s.h);
      i++;
    }
    ctx.fillStyle = color;
    ctx.fill();
  }
  ctx.beginPath();
  for (const s of list) if (s.kind === 'task' && touches(s, area, CARD_PAD)) ctx.rect(s.x, s.y, s.w, s.h);
  ctx.lineWidth = 1 / Math.max(1e-6, Math.abs(ctx.getTransform().a));
  ctx.strokeStyle = '#94a3b8';
  ctx.stroke();
}

/**
 * Strokes low-detail arrows (BatchArrows.tsx, and the fit picture in fitPicture.ts): 1.5 device
 * pixels wide with a small open head at the successor's end, one path per tone. `area`: only the
 * arrows whose span touches it (a partial draw); null for all. `ctx` carries the stage transform.
 */
export function strokeArrows(ctx: CanvasRenderingContext2D, list: readonly ArrowItem[], toneOf: ReadonlyMap<string, LinkTone>, area: Rect | null): void {
  const scale = Math.max(1e-6, Math.abs(ctx.getTransform().a));
  ctx.lineWidth = 1.5 / scale;
  const head = 6 / scale;
  for (const tone of ['normal', 'critical', 'cycle'] as const) {
    ctx.beginPath();
    let any = false;
    for (const { dep, from, to } of list) {
      if ((toneOf.get(dep.id) ?? 'normal') !== tone) continue;
      if (area && !touches(spanOf(from, to), area, ARROW_PAD)) continue;
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
}
