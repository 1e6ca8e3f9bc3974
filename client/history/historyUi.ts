import * as Y from 'yjs';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { VersionInfo } from '../../shared/history/versions.ts';

/**
 * Session state of version history for one open board (local to this tab, never shared):
 * whether the panel is open, which version is being previewed (its document is a separate,
 * read-only Y.Doc that is never connected to anything), whether it is compared with now, and
 * the note shown after a restore.
 */
export interface HistoryPreview {
  version: VersionInfo;
  /** The version's state, loaded into its own Y.Doc: reading it can never touch the live board. */
  doc: Y.Doc;
  compare: boolean;
}

export interface HistoryUiState {
  panelOpen: boolean;
  preview: HistoryPreview | null;
  /** "Restored “X”" with an Undo button, or an error; null when nothing to say. */
  notice: { text: string; undo: boolean; error: boolean } | null;
  togglePanel(): void;
  closePanel(): void;
  startPreview(version: VersionInfo, state: Uint8Array): void;
  setCompare(compare: boolean): void;
  endPreview(): void;
  setNotice(notice: HistoryUiState['notice']): void;
}

export type HistoryUiStore = StoreApi<HistoryUiState>;

function createHistoryUiStore(): HistoryUiStore {
  return createStore<HistoryUiState>()((set, get) => ({
    panelOpen: false,
    preview: null,
    notice: null,
    togglePanel: () => (get().panelOpen ? get().closePanel() : set({ panelOpen: true })),
    closePanel: () => {
      get().endPreview();
      set({ panelOpen: false });
    },
    startPreview: (version, state) => {
      const doc = new Y.Doc();
      Y.applyUpdate(doc, state);
      get().preview?.doc.destroy();
      set({ preview: { version, doc, compare: false } });
    },
    setCompare: (compare) => {
      const preview = get().preview;
      if (preview) set({ preview: { ...preview, compare } });
    },
    endPreview: () => {
      get().preview?.doc.destroy();
      set({ preview: null });
    },
    setNotice: (notice) => set({ notice }),
  }));
}

const stores = new WeakMap<Y.Doc, HistoryUiStore>();

/** The history UI store of the board whose live document is `doc` (one per open board). */
export function historyUiFor(doc: Y.Doc): HistoryUiStore {
  let store = stores.get(doc);
  if (!store) {
    store = createHistoryUiStore();
    stores.set(doc, store);
  }
  return store;
}
