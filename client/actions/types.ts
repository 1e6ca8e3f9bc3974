import type * as Y from 'yjs';
import type { CanvasStore } from '../canvas/store.ts';
import type { BoardModel } from '../canvas/boardModel.ts';
import type { Point, Size } from '../canvas/viewport.ts';

/**
 * What an action may touch. Built from a real Y.Doc, the canvas store and the read model,
 * with no DOM, so unit tests run actions exactly as the toolbar and the keyboard do.
 */
export interface ActionContext {
  doc: Y.Doc;
  /** Origin of every local transaction (tracked by the undo manager). */
  origin: object;
  undoManager: Pick<Y.UndoManager, 'undo' | 'redo' | 'canUndo' | 'canRedo' | 'stopCapturing'>;
  readOnly: boolean;
  store: CanvasStore;
  model: BoardModel;
  /** Size of the stage in screen pixels (for zoom to fit and zoom buttons). */
  stageSize(): Size;
  /** Where a paste lands: the pointer when it is over the canvas, else the viewport centre (canvas units). */
  pastePoint(): Point;
  /** Writes text to the system clipboard (toolbar copy); absent in tests. */
  writeClipboard?(text: string): Promise<void> | void;
  readClipboard?(): Promise<string>;
}

export type ActionGroup = 'tool' | 'edit' | 'arrange' | 'view' | 'history' | 'nudge';

export interface Action {
  id: string;
  label: string;
  group: ActionGroup;
  /** Keyboard shortcuts, e.g. 'mod+shift+z', 'shift+1', 'delete'. `mod` is Ctrl or Cmd. */
  shortcuts: readonly string[];
  /**
   * True when the browser's own clipboard event does the work (copy/cut/paste): the keydown
   * handler leaves these keys alone so the `copy`/`cut`/`paste` events fire.
   */
  viaClipboardEvent?: boolean;
  /** Whether the action changes the document (hidden or disabled on a view-only link). */
  edits: boolean;
  enabled(ctx: ActionContext): boolean;
  perform(ctx: ActionContext): void;
}
