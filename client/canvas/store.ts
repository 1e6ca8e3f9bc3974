import { createStore } from 'zustand/vanilla';

/**
 * Session state of the canvas: local to this browser tab, never shared, never persisted in
 * the document. (Shared state is the Y.Doc; presence is awareness.) One store per open board.
 */
export type Tool = 'select' | 'hand' | 'task' | 'note' | 'dependency' | 'laser' | 'comment';

/** Canvas -> screen: screenX = x * zoom + viewport.x (relative to the stage's top-left). */
export interface Viewport {
  x: number;
  y: number;
  zoom: number;
}

export interface CanvasState {
  tool: Tool;
  viewport: Viewport;
  /** Ids of selected tasks, notes and dependencies. */
  selection: ReadonlySet<string>;
  snapToGrid: boolean;
  /** Id of the shape whose text is being edited in the HTML overlay, or null. */
  editingId: string | null;
  /** A short message for the user (a refused link), shown for a few seconds. */
  notice: string | null;
  setNotice(notice: string | null): void;
  setTool(tool: Tool): void;
  setViewport(viewport: Viewport): void;
  select(ids: Iterable<string>): void;
  toggleSnap(): void;
  setEditing(id: string | null): void;
}

export const MIN_ZOOM = 0.05;
export const MAX_ZOOM = 8;
export const GRID_SIZE = 20;

export type CanvasStore = ReturnType<typeof createCanvasStore>;

/** What a new canvas store may start from (the session's remembered view, the current selection). */
export type CanvasStoreInit = Partial<Pick<CanvasState, 'tool' | 'viewport' | 'selection' | 'snapToGrid'>>;

export function createCanvasStore(init: CanvasStoreInit = {}) {
  return createStore<CanvasState>()((set) => ({
    tool: init.tool ?? 'select',
    viewport: init.viewport ?? { x: 0, y: 0, zoom: 1 },
    selection: new Set<string>(init.selection),
    snapToGrid: init.snapToGrid ?? false,
    editingId: null,
    notice: null,
    setNotice: (notice) => set({ notice }),
    setTool: (tool) => set({ tool }),
    setViewport: (viewport) =>
      set({ viewport: { ...viewport, zoom: Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, viewport.zoom)) } }),
    select: (ids) => set({ selection: new Set(ids) }),
    toggleSnap: () => set((s) => ({ snapToGrid: !s.snapToGrid })),
    setEditing: (editingId) => set({ editingId }),
  }));
}
