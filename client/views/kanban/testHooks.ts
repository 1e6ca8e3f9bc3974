/**
 * `window.planvas.kanban` for end-to-end tests, installed while the Board view is mounted
 * (only when the page has `window.planvas`, see client/app/testHooks.ts).
 */
export interface KanbanTestHooks {
  /** Does exactly what dropping the card at the end of that status column does. */
  moveCard(id: string, status: string): void;
}

declare global {
  // Merges into the shell's declaration (client/app/testHooks.ts).
  interface PlanvasTestHooks {
    kanban?: KanbanTestHooks;
  }
}

/** Installs the hooks; returns their removal (which leaves a newer installation alone). */
export function installKanbanTestHooks(hooks: KanbanTestHooks): () => void {
  if (!window.planvas) return () => {};
  window.planvas = { ...window.planvas, kanban: hooks };
  return () => {
    if (window.planvas?.kanban !== hooks) return;
    const { kanban: _kanban, ...rest } = window.planvas;
    window.planvas = rest;
  };
}
