import type { Shape } from '../../shared/schema/entities.ts';
import type { LinkTone } from '../plan/cardInfo.ts';
import type { ArrowItem } from './ShapeList.tsx';
import { paintCards, strokeArrows } from './batchPaint.ts';

/**
 * How far two stage transforms may differ and still count as the same: the canvas keeps its
 * transform in single precision (a zoom of 0.05 reads back as 0.05000000074505806, an offset of
 * -51.196875 as -51.1968765...), so the layer's transform is compared with the one the picture was
 * painted with within a ten-thousandth of a device pixel of offset and a millionth of scale.
 * Shapes placed that much apart rasterize to the same pixels.
 */
const SAME_OFFSET_PX = 1e-4;
const SAME_SCALE = 1e-6;

export type Matrix = readonly [number, number, number, number, number, number];

/**
 * The low-detail batches of one view (the zoom-to-fit view: fitPictureScheduler.ts), painted ahead
 * of time into two bitmaps the size of the content layer's canvas: the cards and the arrows (two,
 * because selected cards are drawn as nodes between them).
 *
 * Zoom to fit redraws the whole board, and with software rendering most of that frame was
 * Chromium rasterizing it (10k tasks: ~40 ms for the 1.5 px arrow strokes, ~18 ms for the cards).
 * Painted earlier in idle time, the fit frame copies the bitmaps instead (BatchShapes.tsx,
 * BatchArrows.tsx), at the very transform they were painted with, so the picture is the same. A
 * bitmap is used only when it shows exactly what painting the batch would: the same stage
 * transform and canvas size and the same content (the cards: the same shape objects in the same
 * order; the arrows: the same links with the same dependency and task objects, and the same tones
 * object; the board model replaces an object whenever it changes). Anything else paints as before.
 */
export class FitPicture {
  private readonly cardsBitmap = new Prepainted();
  private cards: readonly Shape[] = [];
  private readonly arrowsBitmap = new Prepainted();
  private tones: ReadonlyMap<string, LinkTone> | null = null;
  /** What the arrows bitmap shows: each link's dependency and task objects, by dependency id. */
  private arrows = new Map<string, ArrowItem>();
  /** How many batch draws copied a bitmap (for tests and probes). */
  copies = 0;

  /** Paints `cards` at `matrix` (device px) on a `width` x `height` canvas, rasterized now. */
  renderCards(cards: readonly Shape[], matrix: Matrix, width: number, height: number): void {
    this.cards = cards;
    this.cardsBitmap.paint(matrix, width, height, (ctx) => paintCards(ctx, cards, null));
  }

  /** Strokes `arrows` with `tones` at `matrix` (device px) on a `width` x `height` canvas, rasterized now. */
  renderArrows(arrows: readonly ArrowItem[], tones: ReadonlyMap<string, LinkTone>, matrix: Matrix, width: number, height: number): void {
    this.tones = tones;
    this.arrows = new Map(arrows.map((item) => [item.dep.id, item]));
    this.arrowsBitmap.paint(matrix, width, height, (ctx) => strokeArrows(ctx, arrows, tones, null));
  }

  /** Copies the cards bitmap onto `ctx` (carrying the stage transform) if it shows exactly `list` there; false otherwise. */
  drawCardsIfCurrent(ctx: CanvasRenderingContext2D, list: readonly Shape[]): boolean {
    if (!this.cardsBitmap.isAt(ctx) || !sameShapes(this.cards, list)) return false;
    this.cardsBitmap.copyTo(ctx);
    this.copies++;
    return true;
  }

  /** Copies the arrows bitmap onto `ctx` if it shows exactly `list` with `tones` there; false otherwise. */
  drawArrowsIfCurrent(ctx: CanvasRenderingContext2D, list: readonly ArrowItem[], tones: ReadonlyMap<string, LinkTone>): boolean {
    if (!this.arrowsBitmap.isAt(ctx) || this.tones !== tones || !this.holdsArrows(list)) return false;
    this.arrowsBitmap.copyTo(ctx);
    this.copies++;
    return true;
  }

  clear(): void {
    this.cardsBitmap.clear();
    this.arrowsBitmap.clear();
    this.cards = [];
    this.arrows = new Map();
    this.tones = null;
  }

  private holdsArrows(list: readonly ArrowItem[]): boolean {
    if (list.length !== this.arrows.size) return false;
    for (const { dep, from, to } of list) {
      const item = this.arrows.get(dep.id);
      if (!item || item.dep !== dep || item.from !== from || item.to !== to) return false;
    }
    return true;
  }
}

/** One bitmap painted at one device transform. */
class Prepainted {
  private bitmap: HTMLCanvasElement | null = null;
  private matrix: Matrix | null = null;

  paint(matrix: Matrix, width: number, height: number, draw: (ctx: CanvasRenderingContext2D) => void): void {
    const bitmap = this.bitmap ?? document.createElement('canvas');
    // Setting the size clears the bitmap (even to the same size).
    bitmap.width = width;
    bitmap.height = height;
    const ctx = bitmap.getContext('2d');
    if (!ctx) return this.clear();
    this.bitmap = bitmap;
    ctx.setTransform(...matrix);
    draw(ctx);
    // Canvas drawing is recorded and rasterized when the canvas is read: read one pixel, so the
    // raster happens now (idle time) and not in the frame that copies the bitmap.
    ctx.getImageData(0, 0, 1, 1);
    this.matrix = matrix;
  }

  /** Whether it was painted for the canvas and transform `ctx` has now. */
  isAt(ctx: CanvasRenderingContext2D): boolean {
    if (!this.bitmap || !this.matrix || this.bitmap.width !== ctx.canvas.width || this.bitmap.height !== ctx.canvas.height) return false;
    const t = ctx.getTransform();
    return sameMatrix(this.matrix, [t.a, t.b, t.c, t.d, t.e, t.f]);
  }

  copyTo(ctx: CanvasRenderingContext2D): void {
    if (!this.bitmap) return;
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.drawImage(this.bitmap, 0, 0);
    ctx.restore();
  }

  clear(): void {
    if (this.bitmap) {
      this.bitmap.width = 0;
      this.bitmap.height = 0;
    }
    this.bitmap = null;
    this.matrix = null;
  }
}

function sameShapes(a: readonly Shape[], b: readonly Shape[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Whether two device transforms are the same within SAME_OFFSET_PX and SAME_SCALE (exported for tests). */
export function sameMatrix(a: Matrix, b: Matrix): boolean {
  const scale = Math.max(Math.abs(a[0]), Math.abs(a[3]), 1e-9);
  for (const i of [0, 1, 2, 3]) if (Math.abs(a[i]! - b[i]!) > SAME_SCALE * scale) return false;
  return Math.abs(a[4] - b[4]) <= SAME_OFFSET_PX && Math.abs(a[5] - b[5]) <= SAME_OFFSET_PX;
}
