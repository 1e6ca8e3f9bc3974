import Konva from 'konva';
import type { HitCanvas, SceneCanvas } from 'konva/lib/Canvas';
import type { Rect as Box } from './viewport.ts';
import { planPanFrame, type PanFrame } from './panFrame.ts';
import { mergeOverlapping, type NodeExtents } from './nodeExtents.ts';

/** The canvas rectangle a partial draw of the content layer covers (draw culling and batches read it). */
export interface DrawAreaEvent {
  area?: Box;
}

/** After the last shifted frame, how long until the layer is redrawn exactly where the stage is. */
const SETTLE_MS = 150;
/** More dirty rectangles than this in one frame: a full redraw is simpler and about as cheap. */
const MAX_DIRTY_RECTS = 32;

const drawAreas = new WeakMap<Konva.Layer, Box>();

/**
 * The Konva node whose change is asking its layer to draw, while it asks. Konva's one path from an
 * attribute change (or a child added to or removed from a container) to a draw is
 * `Node._requestDraw`, which calls the layer's `batchDraw` with no word of who asked; wrapping it
 * once lets the pan cache tell a change inside one card from a change of the whole layer.
 */
let requester: Konva.Node | null = null;
let requestersTracked = false;
const setRequester = (node: Konva.Node | null) => {
  requester = node;
};
// Installed once for the page and never removed (destroy() of one pan cache leaves it): it only
// records who asked. A node whose own draw request makes another node's layer draw synchronously
// (Konva's Transformer does, for the node it is attached to) is credited to the first; that is
// harmless while the transformer lives in another layer than the cards (the overlay layer).
function trackRequesters(): void {
  if (requestersTracked) return;
  requestersTracked = true;
  const original = Konva.Node.prototype._requestDraw;
  Konva.Node.prototype._requestDraw = function requestDraw(this: Konva.Node) {
    const outer = requester;
    setRequester(this);
    try {
      original.call(this);
    } finally {
      setRequester(outer);
    }
  };
}

/**
 * The canvas rectangle of the partial draw in progress on `layer`, or null during a full draw.
 * Batched nodes (thousands of rectangles or arrows in one sceneFunc) skip what is outside it.
 */
export function areaBeingDrawn(layer: Konva.Layer | null): Box | null {
  return (layer && drawAreas.get(layer)) ?? null;
}

export interface PanCache {
  /**
   * Redraw only these canvas rectangles at the next frame (a batched node whose shapes moved),
   * instead of the whole layer. The caller must not have changed any Konva attribute.
   */
  invalidate(rects: readonly Box[]): void;
  /** Redraw everything at the next frame. */
  invalidateAll(): void;
  destroy(): void;
}

/**
 * A pan that changes only the stage position costs what is newly exposed, not the whole layer.
 *
 * Konva redraws every layer from scratch whenever the stage moves. Here the content layer keeps
 * its last picture: when only the stage position changed since the last draw (same zoom, no
 * attribute changed in the layer), the picture is shifted by whole device pixels and only the
 * strips that came into view are drawn (clipped, with draw culling told to draw only what
 * touches them). Anything else that asks the layer to draw (a node's attribute changed, a child
 * was added or removed) redraws the whole layer as before, unless `extents` can say where: a
 * change inside one mounted card or arrow, or cards mounted or unmounted, redraw where those were
 * and are (their extents when last drawn and now). A batched node that knows which canvas
 * rectangles changed can ask for just those (`invalidate`).
 *
 * Shifting by whole pixels leaves the picture up to half a pixel from where the stage is; once
 * the pan rests (SETTLE_MS) the layer is redrawn exactly, so a still picture is the same as
 * without this cache. The hit canvas is drawn lazily, the first time a pointer event needs it
 * after a draw, with draw culling for the whole view.
 */
export function bindPanCache(layer: Konva.Layer, extents?: NodeExtents): PanCache {
  const stage = layer.getStage();
  if (!stage) throw new Error('bindPanCache: the layer is not on a stage');
  if (extents) trackRequesters();
  const canvas = layer.getCanvas();
  const scratch = document.createElement('canvas');

  /** Where the picture on the layer's canvas was drawn from: stage offset (CSS px) and zoom. */
  let drawn: { x: number; y: number; zoom: number; width: number; height: number } | null = null;
  let dirtyAll = true;
  let dirtyRects: Box[] = [];
  /** Tracked cards and arrows changed since the last draw, and where each was when last drawn. */
  const dirtyOwners = new Set<Konva.Node>();
  let drawnExtents = new Map<Konva.Node, Box>();
  /** The layer's children in the last picture, and whether the list changed since (cards mounted). */
  let drawnChildren: readonly Konva.Node[] = [];
  /** Children hidden in the last full draw (draw culling, retired full-detail nodes). */
  let hiddenAtDraw = new WeakSet<Konva.Node>();
  /**
   * Whether `node` neither is in the picture on screen nor can come into it by a change: one that
   * draw culling hides wherever it is (`extents.alwaysHidden`: a retired full-detail node), hidden
   * in the last full draw and still hidden (only a full draw hides a node, and it draws without
   * it). Its changes and its removal change nothing on screen. After a zoom-out the retired cards
   * and arrows (useRetiredDetail.ts) are re-rendered and unmounted 100 at a time: counted as
   * changes, each chunk went past MAX_DIRTY_RECTS owners and drew the whole layer. A node hidden
   * only because it is off screen is not skipped: a change can bring it into view.
   */
  // The cheap checks first: this runs for every draw request of a tracked card or arrow.
  const offPicture = (node: Konva.Node): boolean => hiddenAtDraw.has(node) && !node.visible() && (extents?.alwaysHidden?.(node) ?? false);
  let childrenChanged = false;
  /** Set while the layer's own child list is being changed (add, remove, reorder). */
  let structural = 0;
  let hitStale = true;
  /** Set while this module itself changes attributes (draw culling) or the stage moves. */
  let quiet = 0;
  let settleTimer: ReturnType<typeof setTimeout> | null = null;

  const originalDrawScene = layer.drawScene;
  const originalDrawHit = layer.drawHit;
  const originalBatchDraw = layer.batchDraw;
  const originalGetIntersection = layer.getIntersection;
  const originalStageBatchDraw = stage.batchDraw;
  const originalAdd = layer.add;
  const originalSetChildrenIndices = layer._setChildrenIndices;
  const originalSetSize = canvas.setSize;

  const quietly = <T>(fn: () => T): T => {
    quiet++;
    try {
      return fn();
    } finally {
      quiet--;
    }
  };

  // Anything that asks this layer to draw, other than a stage move or this module, changed what
  // the layer shows. A change inside one tracked card or arrow (a remote move re-rendering it) is
  // redrawn where that node was and is (`extents`), not everywhere; anything else redraws all.
  layer.batchDraw = function batchDraw(this: Konva.Layer) {
    if (quiet === 0 && !dirtyAll && structural > 0 && requester === this && extents) {
      childrenChanged = true;
    } else if (quiet === 0 && !dirtyAll) {
      const owner = extents && requester ? extents.ownerOf(requester) : null;
      if (owner && offPicture(owner)) return originalBatchDraw.call(this);
      // Past MAX_DIRTY_RECTS owners a full draw is cheaper than finding their rectangles (and a
      // background tab, which draws no frames, must not collect them without end).
      if (owner && dirtyOwners.size < MAX_DIRTY_RECTS) dirtyOwners.add(owner);
      else {
        dirtyAll = true;
        dirtyOwners.clear();
      }
    }
    return originalBatchDraw.call(this);
  };
  // Cards mounted or unmounted as a pan moves the mounted tiles (React adds, removes and reorders
  // the layer's children): the next draw finds out which, and redraws only where they are or were.
  layer.add = function add(this: Konva.Layer, ...children: Parameters<typeof originalAdd>) {
    structural++;
    try {
      return originalAdd.apply(this, children);
    } finally {
      structural--;
    }
  };
  layer._setChildrenIndices = function setChildrenIndices(this: Konva.Layer) {
    structural++;
    try {
      originalSetChildrenIndices.call(this);
    } finally {
      structural--;
    }
  };
  // The stage asks every layer to draw when its own attributes (position, scale, size) change:
  // that is not a change of the content. Size and scale are checked at draw time.
  stage.batchDraw = function batchDraw(this: Konva.Stage) {
    return quietly(() => originalStageBatchDraw.call(this));
  };
  // A browser may drop a hidden tab's canvas bitmaps; Konva redraws the stage when the tab shows
  // again, which the line above takes for a move. The whole layer is drawn instead.
  const onVisibilityChange = () => {
    if (document.visibilityState !== 'visible') return;
    dirtyAll = true;
    originalBatchDraw.call(layer);
  };
  document.addEventListener('visibilitychange', onVisibilityChange);
  // A resize reallocates (and clears) the bitmap, even at the same size.
  canvas.setSize = function setSize(this: typeof canvas, width: number, height: number) {
    dirtyAll = true;
    return originalSetSize.call(this, width, height);
  };

  const stageTransform = (): { x: number; y: number; zoom: number } | null => {
    const [a, b, c, d, e, f] = matrixOf(stage);
    // Only a plain scale and offset can be shifted.
    if (b !== 0 || c !== 0 || a !== d || !(a > 0)) return null;
    return { x: e, y: f, zoom: a };
  };

  const drawFull = (self: Konva.Layer) => {
    // Draw culling's visibility changes are part of drawing, not a change of the content.
    quietly(() => originalDrawScene.call(self));
    const t = stageTransform();
    drawn = t ? { ...t, width: canvas.width, height: canvas.height } : null;
    dirtyAll = false;
    dirtyRects = [];
    dirtyOwners.clear();
    childrenChanged = false;
    drawnChildren = layer.getChildren().slice();
    hiddenAtDraw = new WeakSet(drawnChildren.filter((child) => !child.visible()));
    // Where every tracked node is in this picture, for the next change to one of them.
    drawnExtents = new Map();
    if (extents && t) {
      for (const node of extents.all(layer)) {
        const box = extents.extentOf(node, t.zoom);
        if (box) drawnExtents.set(node, box);
      }
    }
  };

  /**
   * After the layer's child list changed: the extents of the tracked children added (where they
   * are) and removed (where they were) go into `dirtyRects`. False (draw everything) when an
   * untracked child (a batch) came or went, or the children that stayed changed their order.
   */
  const takeChildChanges = (zoom: number): boolean => {
    if (!childrenChanged) return true;
    if (!extents) return false;
    const now = layer.getChildren();
    const present = new Set<Konva.Node>(now);
    const before = new Map<Konva.Node, number>();
    const rects: Box[] = [];
    for (let i = 0; i < drawnChildren.length; i++) {
      const child = drawnChildren[i]!;
      before.set(child, i);
      if (present.has(child) || offPicture(child)) continue;
      const extent = drawnExtents.get(child);
      if (!extent) return false;
      rects.push(extent);
    }
    const added: [Konva.Node, Box][] = [];
    let last = -1;
    for (const child of now) {
      const i = before.get(child);
      if (i === undefined) {
        const extent = extents.ownerOf(child) === child ? extents.extentOf(child, zoom) : null;
        if (!extent) return false;
        added.push([child, extent]);
        rects.push(extent);
      } else if (i < last) return false;
      else last = i;
    }
    for (const child of drawnChildren) {
      if (present.has(child)) continue;
      drawnExtents.delete(child);
      dirtyOwners.delete(child);
    }
    for (const [child, extent] of added) drawnExtents.set(child, extent);
    drawnChildren = now.slice();
    childrenChanged = false;
    dirtyRects.push(...rects);
    return true;
  };

  /**
   * Moves the changed tracked nodes into `dirtyRects`: where each was when last drawn and where
   * it is now. False when one of them cannot say (then the whole layer is drawn).
   */
  const takeDirtyOwners = (zoom: number): boolean => {
    if (dirtyOwners.size === 0) return true;
    const rects: Box[] = [];
    for (const node of dirtyOwners) {
      const before = drawnExtents.get(node);
      const now = node.getLayer() === layer ? extents?.extentOf(node, zoom) : null;
      if (!before || !now) return false;
      rects.push(before, now);
      drawnExtents.set(node, now);
    }
    dirtyOwners.clear();
    dirtyRects.push(...rects);
    return true;
  };

  /** Draws the layer's children clipped to `area` (canvas units), as if the stage were at `origin`. */
  const drawArea = (area: Box, origin: { x: number; y: number }, zoom: number) => {
    const ctx = canvas.getContext();
    const t = matrixOf(stage);
    ctx.save();
    // Screen (CSS px) position of the area in the picture drawn from `origin`.
    ctx.beginPath();
    ctx.rect(area.x * zoom + origin.x, area.y * zoom + origin.y, area.w * zoom, area.h * zoom);
    ctx.clip();
    ctx.clearRect(area.x * zoom + origin.x, area.y * zoom + origin.y, area.w * zoom, area.h * zoom);
    // Shapes draw with the stage's transform; move them to where the picture has them.
    ctx.translate(origin.x - t[4], origin.y - t[5]);
    drawAreas.set(layer, area);
    // Only the children that can paint inside the area are visited: a tracked card or arrow whose
    // extent misses it is skipped without touching its attributes (hiding it would clear Konva's
    // cached state of its whole subtree, and the next full-view cull would show it again).
    const children = extents ? layer.getChildren((child) => touchesBox(drawnExtents.get(child), area)) : null;
    const ownChildNodes = Object.prototype.hasOwnProperty.call(layer, '_drawChildNodes');
    const ownDraw = layer._drawChildNodes;
    if (children) {
      layer._drawChildNodes = function drawSome(this: Konva.Layer, method: 'drawScene', can: SceneCanvas, top?: Konva.Node) {
        for (const child of children) child[method](can, top);
      };
    }
    try {
      quietly(() => layer._fire('beforeDraw', { node: layer, area } satisfies DrawAreaEvent & { node: Konva.Layer }));
      Konva.Container.prototype.drawScene.call(layer, canvas);
    } finally {
      if (ownChildNodes) layer._drawChildNodes = ownDraw;
      else delete (layer as { _drawChildNodes?: unknown })._drawChildNodes;
      drawAreas.delete(layer);
      ctx.restore();
    }
  };

  const shift = (dx: number, dy: number) => {
    const el = canvas._canvas;
    if (scratch.width !== el.width || scratch.height !== el.height) {
      scratch.width = el.width;
      scratch.height = el.height;
    }
    const s = scratch.getContext('2d')!;
    s.globalCompositeOperation = 'copy';
    s.drawImage(el, 0, 0);
    const ctx = canvas.getContext()._context;
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, el.width, el.height);
    ctx.drawImage(scratch, dx, dy);
    ctx.restore();
  };

  const settleLater = () => {
    if (settleTimer) clearTimeout(settleTimer);
    settleTimer = setTimeout(() => {
      settleTimer = null;
      dirtyAll = true;
      originalBatchDraw.call(layer);
    }, SETTLE_MS);
  };

  layer.drawScene = function drawScene(this: Konva.Layer, can?: SceneCanvas, top?: Konva.Node) {
    // Exports, caches and other canvases: Konva as it is.
    if ((can && can !== canvas) || top) return originalDrawScene.call(this, can, top);
    hitStale = true;
    const t = stageTransform();
    if (!dirtyAll && t && drawn && t.zoom === drawn.zoom && !(takeChildChanges(t.zoom) && takeDirtyOwners(t.zoom))) dirtyAll = true;
    // mergeOverlapping is quadratic or worse: a long list is drawn whole instead (as below).
    if (dirtyRects.length > MAX_DIRTY_RECTS * 4) dirtyAll = true;
    else if (dirtyRects.length > 1) dirtyRects = mergeOverlapping(dirtyRects);
    const plan: PanFrame =
      dirtyAll || !drawn || !t || drawn.width !== canvas.width || drawn.height !== canvas.height
        ? { kind: 'full' }
        : planPanFrame({
            drawn,
            now: t,
            pixelRatio: canvas.getPixelRatio(),
            size: { width: canvas.width, height: canvas.height },
            dirty: dirtyRects.length > MAX_DIRTY_RECTS ? null : dirtyRects,
          });
    if (plan.kind === 'full') {
      if (settleTimer) clearTimeout(settleTimer);
      settleTimer = null;
      drawFull(this);
      return this;
    }
    dirtyRects = [];
    if (plan.shift.dx !== 0 || plan.shift.dy !== 0) shift(plan.shift.dx, plan.shift.dy);
    drawn = { ...drawn!, x: plan.origin.x, y: plan.origin.y };
    for (const area of plan.areas) drawArea(area, plan.origin, drawn.zoom);
    if (plan.inexact) settleLater();
    this._fire('draw', { node: this });
    return this;
  } as typeof layer.drawScene;

  // The hit canvas: drawn when a pointer event needs it, culled to the view.
  layer.drawHit = function drawHit(this: Konva.Layer, can?: HitCanvas, top?: Konva.Node) {
    if (can || top) return originalDrawHit.call(this, can, top);
    hitStale = true;
    return this;
  } as typeof layer.drawHit;
  layer.getIntersection = function getIntersection(this: Konva.Layer, pos: { x: number; y: number }) {
    if (hitStale) {
      hitStale = false;
      quietly(() => {
        this._fire('beforeDraw', { node: this });
        originalDrawHit.call(this);
      });
    }
    return originalGetIntersection.call(this, pos);
  } as typeof layer.getIntersection;

  return {
    invalidate(rects) {
      if (rects.length === 0) return;
      // Past the limit the next draw is a full one anyway; without this cut the list would grow
      // for as long as no frame is drawn (a background tab gets no animation frames).
      if (dirtyRects.length + rects.length > MAX_DIRTY_RECTS) {
        dirtyAll = true;
        dirtyRects = [];
      } else dirtyRects.push(...rects);
      originalBatchDraw.call(layer);
    },
    invalidateAll() {
      dirtyAll = true;
      originalBatchDraw.call(layer);
    },
    destroy() {
      if (settleTimer) clearTimeout(settleTimer);
      document.removeEventListener('visibilitychange', onVisibilityChange);
      layer.drawScene = originalDrawScene;
      layer.drawHit = originalDrawHit;
      layer.batchDraw = originalBatchDraw;
      layer.getIntersection = originalGetIntersection;
      stage.batchDraw = originalStageBatchDraw;
      layer.add = originalAdd;
      layer._setChildrenIndices = originalSetChildrenIndices;
      canvas.setSize = originalSetSize;
      originalBatchDraw.call(layer);
    },
  };
}

type Matrix = [number, number, number, number, number, number];

/** Whether a tracked node's extent touches `area`; a node without a known extent always does. */
function touchesBox(extent: Box | undefined, area: Box): boolean {
  if (!extent) return true;
  return extent.x <= area.x + area.w && area.x <= extent.x + extent.w && extent.y <= area.y + area.h && area.y <= extent.y + extent.h;
}

function matrixOf(node: Konva.Node): Matrix {
  return node.getAbsoluteTransform().getMatrix() as Matrix;
}

/** How a batched node asks for its changed areas (or everything) to be redrawn. */
export interface AreaInvalidator {
  rects(rects: readonly Box[]): void;
  all(): void;
}
