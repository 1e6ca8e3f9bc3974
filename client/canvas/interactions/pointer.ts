import Konva from 'konva';
import { createDependency, createNote, createTask, moveShapes } from '../../../shared/doc/ops.ts';
import { linkRefusalMessage } from '../../plan/linkMessages.ts';
import { DEFAULT_NOTE_SIZE, DEFAULT_TASK_SIZE, MIN_SHAPE_SIZE } from '../../../shared/schema/entities.ts';
import type { BoardSession } from '../../board/session.ts';
import type { BoardModel } from '../boardModel.ts';
import { arrowPoints, arrowToPoint } from '../geometry.ts';
import { placeDependency } from '../shapes/DependencyArrow.tsx';
import { LiveEdit } from './liveEdit.ts';
import { GRID_SIZE, type CanvasStore } from '../store.ts';
import { panBy, rectFromPoints, screenToCanvas, snap, type Point, type Rect } from '../viewport.ts';

/**
 * Pointer gestures on the stage: pan, move the selection, marquee, create a task or note,
 * draw a dependency. Gestures run on window pointer events until release, and their live
 * previews move Konva nodes directly (no React render per mouse move). A move is also
 * written to the document while it runs (LiveEdit: ~30 Hz, one undo step), so peers watch
 * the shapes travel; the other gestures write once, when they end.
 */
export interface PointerDeps {
  session: BoardSession;
  store: CanvasStore;
  model: BoardModel;
  container(): HTMLDivElement | null;
  shapeNode(id: string): Konva.Group | undefined;
  arrowNode(id: string): Konva.Group | undefined;
  overlay(): { marquee: Konva.Rect; ghost: Konva.Rect; link: Konva.Arrow; layer: Konva.Layer } | null;
  contentLayer(): Konva.Layer | null;
  spaceHeld(): boolean;
}

type Gesture =
  | { kind: 'pan'; start: Point; startVp: { x: number; y: number; zoom: number } }
  | {
      kind: 'move';
      start: Point;
      startScreen: Point;
      origins: Map<string, Point>;
      primary: string;
      moved: boolean;
      /** Where the preview has put the shapes (re-applied after a render, see `reapply`). */
      preview: Map<string, Point>;
      live: LiveEdit<Array<{ id: string; x: number; y: number }>> | null;
    }
  | { kind: 'marquee'; start: Point; additive: boolean; base: string[] }
  | { kind: 'create'; shape: 'task' | 'note'; start: Point; startScreen: Point }
  | { kind: 'link'; from: string };

const DRAG_THRESHOLD = 3;

export class PointerController {
  private gesture: Gesture | null = null;
  /** Last pointer position in canvas units while over the canvas (paste target), or null. */
  lastPointer: Point | null = null;

  constructor(private readonly d: PointerDeps) {}

  get busy(): boolean {
    return this.gesture !== null;
  }

  screenPoint(e: { clientX: number; clientY: number }): Point {
    const rect = this.d.container()?.getBoundingClientRect();
    return { x: e.clientX - (rect?.left ?? 0), y: e.clientY - (rect?.top ?? 0) };
  }

  canvasPoint(e: { clientX: number; clientY: number }): Point {
    return screenToCanvas(this.d.store.getState().viewport, this.screenPoint(e));
  }

  /** Called from the stage's pointerdown with the Konva target. */
  down(e: PointerEvent, target: Konva.Node): void {
    if (this.gesture || (e.button !== 0 && e.button !== 1)) return;
    const state = this.d.store.getState();
    const { readOnly } = this.d.session;
    const screen = this.screenPoint(e);
    const p = this.canvasPoint(e);
    if (e.button === 1 || state.tool === 'hand' || this.d.spaceHeld()) {
      this.begin({ kind: 'pan', start: screen, startVp: state.viewport });
      return;
    }
    // The laser tool only points (client/follow/laserInput.ts); it never selects or moves.
    if (state.tool === 'laser') return;
    if (target.getParent() instanceof Konva.Transformer || target instanceof Konva.Transformer) return;
    if (target.name() === 'connector') {
      const from = [...state.selection][0];
      if (from && !readOnly) this.begin({ kind: 'link', from });
      return;
    }
    if (state.tool === 'task' || state.tool === 'note') {
      if (!readOnly) this.begin({ kind: 'create', shape: state.tool, start: p, startScreen: screen });
      return;
    }
    if (state.tool === 'dependency') {
      const from = this.d.model.topAt(p.x, p.y, true);
      if (from && !readOnly) this.begin({ kind: 'link', from: from.id });
      return;
    }
    const hit = this.hitAt(target, p);
    if (hit?.kind === 'dep') {
      state.select(e.shiftKey ? toggle(state.selection, hit.id) : [hit.id]);
      return;
    }
    if (hit?.kind === 'shape') {
      let selection = state.selection;
      if (e.shiftKey) {
        state.select(toggle(selection, hit.id));
        selection = this.d.store.getState().selection;
        if (!selection.has(hit.id)) return;
      } else if (!selection.has(hit.id)) {
        state.select([hit.id]);
        selection = this.d.store.getState().selection;
      }
      if (readOnly) return;
      const origins = new Map<string, Point>();
      for (const id of selection) {
        const s = this.d.model.shape(id);
        if (s) origins.set(id, { x: s.x, y: s.y });
      }
      this.begin({ kind: 'move', start: p, startScreen: screen, origins, primary: hit.id, moved: false, preview: new Map(), live: null });
      return;
    }
    const base = e.shiftKey ? [...state.selection] : [];
    if (!e.shiftKey) state.select([]);
    this.begin({ kind: 'marquee', start: p, additive: e.shiftKey, base });
  }

  /**
   * What is under the pointer: the Konva node hit (arrows, shapes drawn as nodes) or else the
   * topmost shape in the spatial index (shapes drawn in the zoomed-out batch are not nodes).
   */
  private hitAt(target: Konva.Node, p: Point): { kind: 'shape' | 'dep'; id: string } | null {
    const hit = entityOf(target);
    if (hit) return hit;
    const shape = this.d.model.topAt(p.x, p.y);
    return shape ? { kind: 'shape', id: shape.id } : null;
  }

  /**
   * The native dblclick (after the second mouseup, so no mousedown can steal the editor's
   * focus afterwards) on a shape opens its text editor.
   */
  readonly doubleClick = (e: MouseEvent): void => {
    const state = this.d.store.getState();
    if (this.d.session.readOnly || state.tool !== 'select' || this.d.spaceHeld()) return;
    const p = this.canvasPoint(e);
    const shape = this.d.model.topAt(p.x, p.y);
    if (!shape) return;
    state.select([shape.id]);
    state.setEditing(shape.id);
  };

  private begin(g: Gesture): void {
    this.gesture = g;
    window.addEventListener('pointermove', this.move);
    window.addEventListener('pointerup', this.up);
    window.addEventListener('pointercancel', this.cancel);
    this.updateCursor();
  }

  private end(): void {
    this.gesture = null;
    window.removeEventListener('pointermove', this.move);
    window.removeEventListener('pointerup', this.up);
    window.removeEventListener('pointercancel', this.cancel);
    const overlay = this.d.overlay();
    if (overlay) {
      overlay.marquee.visible(false);
      overlay.ghost.visible(false);
      overlay.link.visible(false);
      overlay.layer.findOne('.connector')?.visible(true);
      overlay.layer.batchDraw();
    }
    this.updateCursor();
  }

  /** The connector handle sits at the document position; hidden while a preview moves the card. */
  setConnectorVisible(visible: boolean): void {
    const overlay = this.d.overlay();
    overlay?.layer.findOne('.connector')?.visible(visible);
    overlay?.layer.batchDraw();
  }

  destroy(): void {
    const g = this.gesture;
    if (g?.kind === 'move') g.live?.finish();
    if (g) this.end();
  }

  updateCursor(): void {
    const el = this.d.container();
    if (!el) return;
    const { tool } = this.d.store.getState();
    const g = this.gesture;
    el.style.cursor =
      g?.kind === 'pan'
        ? 'grabbing'
        : tool === 'hand' || this.d.spaceHeld()
          ? 'grab'
          : tool === 'task' || tool === 'note' || tool === 'dependency' || tool === 'laser' || g?.kind === 'link'
            ? 'crosshair'
            : '';
  }

  private readonly move = (e: PointerEvent): void => {
    const g = this.gesture;
    if (!g) return;
    const screen = this.screenPoint(e);
    const p = this.canvasPoint(e);
    const snapOn = this.d.store.getState().snapToGrid;
    const overlay = this.d.overlay();
    switch (g.kind) {
      case 'pan':
        this.d.store.getState().setViewport(panBy(g.startVp, screen.x - g.start.x, screen.y - g.start.y));
        return;
      case 'move': {
        if (!g.moved && Math.hypot(screen.x - g.startScreen.x, screen.y - g.startScreen.y) < DRAG_THRESHOLD) return;
        if (!g.moved) {
          this.setConnectorVisible(false);
          const { doc, localOrigin, undoManager } = this.d.session;
          g.live = new LiveEdit((moves) => moveShapes(doc, moves, localOrigin), undoManager);
        }
        g.moved = true;
        const delta = this.moveDelta(g, p, snapOn);
        for (const [id, o] of g.origins) g.preview.set(id, { x: o.x + delta.x, y: o.y + delta.y });
        this.showMovePreview(g);
        g.live?.update([...g.preview].map(([id, pos]) => ({ id, x: pos.x, y: pos.y })));
        return;
      }
      case 'marquee': {
        if (!overlay) return;
        const r = rectFromPoints(g.start, p);
        overlay.marquee.setAttrs({ x: r.x, y: r.y, width: r.w, height: r.h, visible: true, strokeWidth: 1 / this.d.store.getState().viewport.zoom });
        overlay.layer.batchDraw();
        return;
      }
      case 'create': {
        if (!overlay) return;
        if (Math.hypot(screen.x - g.startScreen.x, screen.y - g.startScreen.y) < DRAG_THRESHOLD * 2) return;
        const r = rectFromPoints(g.start, p);
        overlay.ghost.setAttrs({ x: r.x, y: r.y, width: r.w, height: r.h, visible: true, strokeWidth: 1.5 / this.d.store.getState().viewport.zoom });
        overlay.layer.batchDraw();
        return;
      }
      case 'link': {
        const from = this.d.model.tasks.get(g.from);
        if (!overlay || !from) return;
        const target = this.d.model.topAt(p.x, p.y, true);
        const points = target && target.id !== g.from ? arrowPoints(from, target) ?? arrowToPoint(from, p) : arrowToPoint(from, p);
        const zoom = this.d.store.getState().viewport.zoom;
        overlay.link.setAttrs({ points, visible: true, strokeWidth: 2 / zoom });
        // Outline the task the arrow would attach to.
        const linkable = target && target.id !== g.from;
        overlay.ghost.setAttrs(linkable ? { x: target.x, y: target.y, width: target.w, height: target.h, visible: true, strokeWidth: 2 / zoom } : { visible: false });
        overlay.layer.batchDraw();
        return;
      }
    }
  };

  private moveDelta(g: Extract<Gesture, { kind: 'move' }>, p: Point, snapOn: boolean): Point {
    const dx = p.x - g.start.x;
    const dy = p.y - g.start.y;
    const primary = g.origins.get(g.primary);
    if (!snapOn || !primary) return { x: dx, y: dy };
    return { x: snap(primary.x + dx, GRID_SIZE) - primary.x, y: snap(primary.y + dy, GRID_SIZE) - primary.y };
  }

  /** Puts the dragged nodes (and the arrows touching them) where the move preview says. */
  private showMovePreview(g: Extract<Gesture, { kind: 'move' }>): void {
    for (const [id, pos] of g.preview) this.d.shapeNode(id)?.position(pos);
    this.previewArrows([...g.preview.keys()], (id) => {
      const s = this.d.model.shape(id);
      const pos = g.preview.get(id);
      return s ? { x: pos?.x ?? s.x, y: pos?.y ?? s.y, w: s.w, h: s.h } : null;
    });
    this.d.contentLayer()?.batchDraw();
  }

  /**
   * Called after every React commit. A render during a drag (the echo of our own live write,
   * a peer's edit) sets the dragged nodes to what the document held at that moment, which
   * can lag the pointer by a frame: put them back where the pointer has them, before paint,
   * so the drag never stutters.
   */
  reapply(): void {
    const g = this.gesture;
    if (g?.kind === 'move' && g.moved) this.showMovePreview(g);
  }

  /** Re-points the arrows touching `ids`, using `rectOf` for the previewed positions. */
  previewArrows(ids: string[], rectOf: (id: string) => Rect | null): void {
    const done = new Set<string>();
    for (const id of ids) {
      for (const depId of this.d.model.depsOf(id)) {
        if (done.has(depId)) continue;
        done.add(depId);
        const dep = this.d.model.deps.get(depId);
        const node = this.d.arrowNode(depId);
        if (!dep || !node) continue;
        const a = rectOf(dep.from);
        const b = rectOf(dep.to);
        placeDependency(node, a && b ? arrowPoints(a, b) : null);
      }
    }
  }

  private readonly up = (e: PointerEvent): void => {
    const g = this.gesture;
    if (!g) return;
    const p = this.canvasPoint(e);
    const screen = this.screenPoint(e);
    const { session, store } = this.d;
    const state = store.getState();
    this.end();
    this.finish(g, p, screen, state);
    // One gesture, one undo step, however quickly the next gesture follows.
    session.undoManager.stopCapturing();
  };

  private finish(g: Gesture, p: Point, screen: Point, state: ReturnType<CanvasStore['getState']>): void {
    const { session, model } = this.d;
    switch (g.kind) {
      case 'move': {
        if (!g.moved) return;
        // The exact final position (the live writes may be a frame behind), closing the undo step.
        const delta = this.moveDelta(g, p, state.snapToGrid);
        const moves = [...g.origins].map(([id, o]) => ({ id, x: o.x + delta.x, y: o.y + delta.y }));
        if (g.live) g.live.finish(moves);
        else moveShapes(session.doc, moves, session.localOrigin);
        return;
      }
      case 'marquee': {
        const r = rectFromPoints(g.start, p);
        if (r.w * state.viewport.zoom < DRAG_THRESHOLD && r.h * state.viewport.zoom < DRAG_THRESHOLD) return;
        const hits = model.index.search(r);
        state.select(g.additive ? [...new Set([...g.base, ...hits])] : hits);
        return;
      }
      case 'create': {
        const dragged = Math.hypot(screen.x - g.startScreen.x, screen.y - g.startScreen.y) >= DRAG_THRESHOLD * 2;
        const size = g.shape === 'task' ? DEFAULT_TASK_SIZE : DEFAULT_NOTE_SIZE;
        let box: Rect = dragged
          ? rectFromPoints(g.start, p)
          : { x: g.start.x - size.w / 2, y: g.start.y - size.h / 2, w: size.w, h: size.h };
        box = { ...box, w: Math.max(MIN_SHAPE_SIZE, box.w), h: Math.max(MIN_SHAPE_SIZE, box.h) };
        if (state.snapToGrid) {
          box = {
            x: snap(box.x, GRID_SIZE),
            y: snap(box.y, GRID_SIZE),
            w: Math.max(MIN_SHAPE_SIZE, snap(box.w, GRID_SIZE)),
            h: Math.max(MIN_SHAPE_SIZE, snap(box.h, GRID_SIZE)),
          };
        }
        const id =
          g.shape === 'task'
            ? createTask(session.doc, { x: box.x, y: box.y, w: box.w, h: box.h }, session.localOrigin)
            : createNote(session.doc, { x: box.x, y: box.y, w: box.w, h: box.h }, session.localOrigin);
        state.select([id]);
        state.setTool('select');
        // A new card or sticky is for writing on: open its editor at once (as tldraw and Miro do).
        state.setEditing(id);
        return;
      }
      case 'link': {
        const target = model.topAt(p.x, p.y, true);
        if (target && target.id !== g.from) {
          const result = createDependency(session.doc, g.from, target.id, {}, session.localOrigin);
          if ('id' in result) state.select([result.id]);
          else state.setNotice(linkRefusalMessage(result.refused));
        }
        if (state.tool === 'dependency') state.setTool('select');
        return;
      }
      case 'pan':
        return;
    }
  }

  private readonly cancel = (): void => {
    const g = this.gesture;
    this.end();
    if (g?.kind === 'move') {
      // Peers have watched the shapes move: write the start back (a no-op step when nothing was written).
      if (g.live?.wrote) g.live.finish([...g.origins].map(([id, o]) => ({ id, x: o.x, y: o.y })));
      else g.live?.finish();
      // Put the previewed nodes back where the document says they are.
      for (const [id, o] of g.origins) this.d.shapeNode(id)?.position(o);
      this.previewArrows([...g.origins.keys()], (id) => this.d.model.shape(id) ?? null);
      this.d.contentLayer()?.batchDraw();
    }
  };
}

function entityOf(node: Konva.Node): { kind: 'shape' | 'dep'; id: string } | null {
  let n: Konva.Node | null = node;
  while (n && !(n instanceof Konva.Stage)) {
    const name = n.name();
    if (name === 'shape' || name === 'dep') return { kind: name, id: n.id() };
    n = n.getParent();
  }
  return null;
}

function toggle(selection: ReadonlySet<string>, id: string): string[] {
  const next = new Set(selection);
  if (next.has(id)) next.delete(id);
  else next.add(id);
  return [...next];
}
