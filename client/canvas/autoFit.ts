import type * as Y from 'yjs';
import type { BoardModel } from './boardModel.ts';
import type { CanvasStore } from './store.ts';
import { fitWithin, unionRects, type Insets, type Rect, type Size } from './viewport.ts';

/**
 * Margins of an automatic fit: the floating toolbar (and the row of style buttons under it)
 * sits at the top, the zoom widget at the bottom left. Content fitted inside these stays clear
 * of both.
 */
export const AUTO_FIT_INSETS: Insets = { top: 84, right: 48, bottom: 72, left: 48 };

/** How long a server-side import's tasks are waited for (they arrive over sync) before giving up. */
export const IMPORT_WAIT_MS = 15_000;

export interface AutoFitDeps {
  doc: Y.Doc;
  model: BoardModel;
  store: CanvasStore;
  /** The stage size now (0 x 0 before it is measured). */
  size(): Size;
  /** True while this user follows someone: their viewport then comes from follow mode. */
  following(): boolean;
  /** True when the canvas of this board has not been positioned in this session yet. */
  fitOnOpen: boolean;
  now?: () => number;
}

/**
 * Brings content into view by itself, twice:
 * - on open: the first time a board's canvas is shown in this session, once the document has
 *   loaded and the stage has a size, it zooms to fit everything (capped at 100%), unless the
 *   viewport was positioned some other way first (the user, follow mode);
 * - after an import made in this page: it zooms to fit what the import added.
 * Everything runs from document and store events, outside React.
 */
export class CanvasAutoFit {
  private openPending: boolean;
  private importWait: { before: ReadonlySet<string>; applied: boolean; until: number } | null = null;
  private applying = false;
  private readonly unsubscribe: Array<() => void> = [];
  private readonly now: () => number;

  constructor(private readonly deps: AutoFitDeps) {
    this.openPending = deps.fitOnOpen;
    this.now = deps.now ?? Date.now;
    this.unsubscribe.push(
      // Someone else positioned the viewport (the user, follow mode): no fit on open any more.
      deps.store.subscribe((next, prev) => {
        if (next.viewport !== prev.viewport && !this.applying) this.openPending = false;
      }),
      deps.model.subscribe(() => this.tryImportFit()),
    );
    const onUpdate = () => this.tryOpenFit();
    deps.doc.on('update', onUpdate);
    this.unsubscribe.push(() => deps.doc.off('update', onUpdate));
    this.tryOpenFit();
  }

  /** The stage was measured or resized. */
  sizeChanged(): void {
    this.tryOpenFit();
    this.tryImportFit();
  }

  /** An import finished in this page (see ImportedEvent in client/views/io/importFlow.ts). */
  imported(event: { before: ReadonlySet<string>; applied: boolean }): void {
    this.openPending = false;
    this.importWait = { ...event, until: this.now() + IMPORT_WAIT_MS };
    this.tryImportFit();
  }

  destroy(): void {
    for (const off of this.unsubscribe.splice(0)) off();
  }

  private tryOpenFit(): void {
    if (!this.openPending) return;
    // An empty document has not loaded yet: a board always holds at least its meta.
    if (this.deps.doc.store.clients.size === 0) return;
    const size = this.deps.size();
    if (size.width <= 0 || size.height <= 0) return;
    this.openPending = false;
    if (this.deps.following()) return;
    const { model } = this.deps;
    this.fit(model.bounds(), size);
  }

  private tryImportFit(): void {
    const wait = this.importWait;
    if (!wait) return;
    const size = this.deps.size();
    if (size.width <= 0 || size.height <= 0) return;
    const { model } = this.deps;
    const added = [...model.tasks.values(), ...model.notes.values()].filter((s) => !wait.before.has(s.id));
    if (added.length > 0) {
      this.importWait = null;
      return this.fit(unionRects(added), size);
    }
    // Nothing new: a file that replaced the board with the same ids (a re-imported export), or
    // a server import whose update has not arrived yet (wait for it, for a while).
    if (wait.applied || this.now() > wait.until) {
      this.importWait = null;
      this.fit(model.bounds(), size);
    }
  }

  private fit(bounds: Rect | null, size: Size): void {
    if (!bounds) return;
    this.applying = true;
    try {
      this.deps.store.getState().setViewport(fitWithin(bounds, size, AUTO_FIT_INSETS, 1));
    } finally {
      this.applying = false;
    }
  }
}
