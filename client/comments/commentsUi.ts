import * as Y from 'yjs';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { CommentAnchor } from '../../shared/comments/types.ts';

/**
 * Session state of comments for one open board (local to this tab, never shared): whether the
 * side sheet is open, which thread has focus, a thread being started, and a request for the
 * canvas to show an anchor. The panel, the canvas and the inspector all talk through it.
 */
export interface CommentsUiState {
  panelOpen: boolean;
  /** The thread to scroll to and highlight in the panel. */
  focusedThreadId: string | null;
  /** Where a new thread is being written (a pin placed with the Comment tool, or a task). */
  draft: CommentAnchor | null;
  /** Ask the canvas to bring an anchor into view; `seq` makes a repeat request a change. */
  reveal: { anchor: CommentAnchor; seq: number } | null;
  /** This tab's token for the board: a viewer's comments go over REST with it. */
  token: string;
  setToken(token: string): void;
  openPanel(threadId?: string | null): void;
  closePanel(): void;
  togglePanel(): void;
  startDraft(anchor: CommentAnchor): void;
  cancelDraft(): void;
  requestReveal(anchor: CommentAnchor): void;
}

export type CommentsUiStore = StoreApi<CommentsUiState>;

function createCommentsUiStore(): CommentsUiStore {
  return createStore<CommentsUiState>()((set, get) => ({
    panelOpen: false,
    focusedThreadId: null,
    draft: null,
    reveal: null,
    token: '',
    setToken: (token) => set({ token }),
    openPanel: (threadId = null) => set({ panelOpen: true, focusedThreadId: threadId }),
    closePanel: () => set({ panelOpen: false, focusedThreadId: null, draft: null }),
    togglePanel: () => (get().panelOpen ? get().closePanel() : get().openPanel()),
    startDraft: (anchor) => set({ panelOpen: true, draft: anchor, focusedThreadId: null }),
    cancelDraft: () => set({ draft: null }),
    requestReveal: (anchor) => set((s) => ({ reveal: { anchor, seq: (s.reveal?.seq ?? 0) + 1 } })),
  }));
}

const stores = new WeakMap<Y.Doc, CommentsUiStore>();

/** The comments UI store of the board whose document is `doc` (one per open board). */
export function commentsUiFor(doc: Y.Doc): CommentsUiStore {
  let store = stores.get(doc);
  if (!store) stores.set(doc, (store = createCommentsUiStore()));
  return store;
}
