import type Konva from 'konva';
import type { CanvasStore } from './store.ts';
import type { BoardModel } from './boardModel.ts';
import { canvasToScreen } from './viewport.ts';
import { runAction } from '../actions/registry.ts';
import type { ActionContext } from '../actions/types.ts';

/**
 * What end-to-end tests may read to find things on screen (they drive the canvas with the
 * real mouse and keyboard). Installed as `window.planvas.canvas` while a canvas is mounted.
 */
export interface CanvasTestHooks {
  store: CanvasStore;
  /** Canvas point -> page (client) coordinates, for page.mouse. */
  toScreen(x: number, y: number): { x: number; y: number };
  /** The stage's rectangle in page coordinates. */
  stageRect(): { x: number; y: number; width: number; height: number };
  /** A shape's rectangle in page coordinates, or null when it does not exist. */
  shapeRect(id: string): { x: number; y: number; width: number; height: number } | null;
  /**
   * Where the canvas draws a shape right now (its Konva node, in canvas units, with the scale
   * a running resize puts on it), or null when it is not drawn as a node. Unlike `shapeRect`,
   * which reads the document, this shows what is on screen mid-gesture.
   */
  drawnBox(id: string): { x: number; y: number; width: number; height: number; scaleX: number; scaleY: number } | null;
  /** Ids of all tasks and notes as the canvas reads them. */
  shapeIds(): string[];
  /** Runs a registry action by id; returns whether it ran. */
  runAction(id: string): boolean;
  /**
   * What the content layer holds: mounted card and arrow nodes (hidden ones included), how many
   * of them are full-detail nodes kept after a zoom-out until idle time (useRetiredDetail.ts), and
   * how many draws copied the zoom-to-fit picture (fitPicture.ts).
   */
  mounted(): CanvasMounted;
}

export interface CanvasMounted {
  cards: number;
  arrows: number;
  retired: number;
  fitPictureCopies: number;
}

declare global {
  // Merges into the shell's declaration (client/app/testHooks.ts).
  interface PlanvasTestHooks {
    canvas?: CanvasTestHooks;
  }
}

export function installTestHooks(
  store: CanvasStore,
  model: BoardModel,
  container: () => HTMLElement | null,
  ctx: () => ActionContext,
  shapeNode: (id: string) => Konva.Group | undefined,
  mounted: () => CanvasMounted,
): () => void {
  const origin = () => {
    const r = container()?.getBoundingClientRect();
    return { x: r?.left ?? 0, y: r?.top ?? 0, width: r?.width ?? 0, height: r?.height ?? 0 };
  };
  const toScreen = (x: number, y: number) => {
    const o = origin();
    const p = canvasToScreen(store.getState().viewport, { x, y });
    return { x: p.x + o.x, y: p.y + o.y };
  };
  const hooks: CanvasTestHooks = {
    store,
    toScreen,
    stageRect: origin,
    shapeRect: (id) => {
      const s = model.shape(id);
      if (!s) return null;
      const a = toScreen(s.x, s.y);
      const zoom = store.getState().viewport.zoom;
      return { x: a.x, y: a.y, width: s.w * zoom, height: s.h * zoom };
    },
    drawnBox: (id) => {
      const node = shapeNode(id);
      if (!node) return null;
      return { x: node.x(), y: node.y(), width: node.width(), height: node.height(), scaleX: node.scaleX(), scaleY: node.scaleY() };
    },
    shapeIds: () => model.allShapeIds(),
    runAction: (id) => runAction(id, ctx()),
    mounted,
  };
  window.planvas = { ...(window.planvas ?? {}), canvas: hooks };
  return () => {
    if (window.planvas?.canvas !== hooks) return;
    const { canvas: _canvas, ...rest } = window.planvas;
    window.planvas = rest;
  };
}
