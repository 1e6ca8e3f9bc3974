import type Konva from 'konva';
import { updateShape } from '../../../shared/doc/ops.ts';
import { MIN_SHAPE_SIZE } from '../../../shared/schema/entities.ts';
import type { BoardSession } from '../../board/session.ts';
import type { BoardModel } from '../boardModel.ts';
import { GRID_SIZE, type CanvasStore } from '../store.ts';
import { snap, type Rect } from '../viewport.ts';
import { LiveEdit } from './liveEdit.ts';

export interface ResizeDeps {
  session: BoardSession;
  store: CanvasStore;
  model: BoardModel;
  /** The nodes the transformer is resizing now. */
  nodes(): Konva.Node[];
  previewArrows(ids: string[], rectOf: (id: string) => Rect | null): void;
  contentLayer(): Konva.Layer | null;
}

type Boxes = Array<{ id: string } & Rect>;

/**
 * Resizing with the Konva Transformer. The transformer scales the nodes while the handle is
 * dragged; the new boxes are written to the document live (LiveEdit: ~30 Hz, one undo step)
 * so peers watch the resize, and exactly (snapped) on release, when the scale is folded back
 * into width and height.
 */
export class ResizeController {
  private live: LiveEdit<Boxes> | null = null;
  /** The boxes the transformer shows now, by shape id. */
  private boxes = new Map<string, Rect>();

  constructor(private readonly d: ResizeDeps) {}

  start(): void {
    this.live?.finish();
    const { doc, localOrigin, undoManager } = this.d.session;
    this.live = new LiveEdit((boxes) => writeBoxes(doc, boxes, localOrigin), undoManager);
    this.boxes.clear();
  }

  /** On every transform event: arrows follow, peers get the (rounded) boxes. */
  transform(): void {
    this.boxes.clear();
    for (const node of this.d.nodes()) {
      this.boxes.set(node.id(), { x: node.x(), y: node.y(), w: node.width() * node.scaleX(), h: node.height() * node.scaleY() });
    }
    this.showArrows();
    this.live?.update([...this.boxes].map(([id, r]) => ({ id, x: Math.round(r.x), y: Math.round(r.y), w: Math.round(r.w), h: Math.round(r.h) })));
  }

  end(): void {
    const snapOn = this.d.store.getState().snapToGrid;
    const s = (v: number) => (snapOn ? snap(v, GRID_SIZE) : Math.round(v));
    const finals: Boxes = [];
    for (const node of this.d.nodes()) {
      const w = s(node.width() * node.scaleX());
      const h = s(node.height() * node.scaleY());
      const x = s(node.x());
      const y = s(node.y());
      node.scale({ x: 1, y: 1 });
      node.position({ x, y });
      finals.push({ id: node.id(), x, y, w, h });
    }
    this.boxes.clear();
    const live = this.live;
    this.live = null;
    if (live) live.finish(finals);
    else writeBoxes(this.d.session.doc, finals, this.d.session.localOrigin);
  }

  /**
   * Called after every React commit. A render during a resize (the echo of a live write)
   * sets a card's width and height while the transformer's scale is still on the node, which
   * would scale it twice: re-derive the scale from the box the transformer shows.
   */
  reapply(): void {
    if (!this.live || this.boxes.size === 0) return;
    for (const node of this.d.nodes()) {
      const box = this.boxes.get(node.id());
      if (!box || node.width() <= 0 || node.height() <= 0) continue;
      node.position({ x: box.x, y: box.y });
      node.scale({ x: box.w / node.width(), y: box.h / node.height() });
    }
    this.showArrows();
  }

  private showArrows(): void {
    this.d.previewArrows([...this.boxes.keys()], (id) => this.boxes.get(id) ?? this.d.model.shape(id) ?? null);
    this.d.contentLayer()?.batchDraw();
  }
}

function writeBoxes(doc: BoardSession['doc'], boxes: Boxes, origin: object): void {
  doc.transact(() => {
    for (const { id, x, y, w, h } of boxes) {
      updateShape(doc, id, { x, y, w: Math.max(MIN_SHAPE_SIZE, w), h: Math.max(MIN_SHAPE_SIZE, h) }, origin);
    }
  }, origin);
}
