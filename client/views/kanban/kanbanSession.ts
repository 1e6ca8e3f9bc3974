import { createStore } from 'zustand/vanilla';

/**
 * Session-local Board view settings: never in the document or presence, kept while the tab
 * is open (so switching views and back keeps them).
 */
export interface KanbanSessionState {
  swimlanes: boolean;
  setSwimlanes(on: boolean): void;
}

export const kanbanSession = createStore<KanbanSessionState>()((set) => ({
  swimlanes: false,
  setSwimlanes: (swimlanes) => set({ swimlanes }),
}));
