import type { CanvasStore, CanvasStoreInit, Viewport } from './store.ts';

/**
 * Where the canvas of each board was left in this browser tab, so switching to the Timeline,
 * Board or Dashboard tab and back (which unmounts the canvas) returns to the same place, as in
 * Miro or Figma. Session state only: never in the document or awareness, gone on reload.
 *
 * The viewport is remembered only once something positioned it (the user, follow mode or the
 * zoom-to-fit on open); a board without one has never been shown and gets the fit on open.
 */
interface RememberedView {
  viewport?: Viewport;
  tool: CanvasStoreInit['tool'];
  snapToGrid: boolean;
}

const remembered = new Map<string, RememberedView>();

/** The remembered view of `boardId` as a store's initial state (empty for a board not shown yet). */
export function rememberedCanvasView(boardId: string): CanvasStoreInit {
  const view = remembered.get(boardId);
  if (!view) return {};
  // A transient tool (a comment pin, the laser) is not picked up again on return.
  const tool = view.tool === 'comment' || view.tool === 'laser' ? 'select' : view.tool;
  return { ...(view.viewport ? { viewport: view.viewport } : {}), tool, snapToGrid: view.snapToGrid };
}

/** True once the canvas of `boardId` has been positioned in this tab. */
export function hasRememberedViewport(boardId: string): boolean {
  return remembered.get(boardId)?.viewport !== undefined;
}

/**
 * Keeps `boardId`'s remembered view up to date with `store` while the canvas is mounted; the
 * returned function stops. Only plain assignments per change: no React state per frame.
 */
export function rememberCanvasView(boardId: string, store: CanvasStore): () => void {
  const save = (viewportChanged: boolean) => {
    const { viewport, tool, snapToGrid } = store.getState();
    const prev = remembered.get(boardId);
    remembered.set(boardId, { viewport: viewportChanged ? viewport : prev?.viewport, tool, snapToGrid });
  };
  if (!remembered.has(boardId)) save(false);
  return store.subscribe((next, prev) => {
    if (next.viewport !== prev.viewport || next.tool !== prev.tool || next.snapToGrid !== prev.snapToGrid) save(next.viewport !== prev.viewport);
  });
}

/** Forgets every remembered view (tests). */
export function forgetCanvasViews(): void {
  remembered.clear();
}
