/**
 * "Who changed what" between two versions of a board: the summary stored with every
 * version (server/history) and shown in the history panel (client/history). Plain JSON,
 * small on purpose: each list holds at most `cap` entries and `counts` says how many there
 * really were, so a version that touched 10,000 tasks still stores a few kilobytes.
 */

/** The kinds of change a summary lists, in the order the history panel shows them. */
export const CHANGE_KINDS = [
  'tasksAdded',
  'tasksRemoved',
  'tasksRenamed',
  'tasksRescheduled',
  'tasksMoved',
  'tasksUpdated',
  'depsAdded',
  'depsRemoved',
  'depsChanged',
  'notesAdded',
  'notesRemoved',
  'notesChanged',
  'settingsChanged',
] as const;

export type ChangeKind = (typeof CHANGE_KINDS)[number];

/** One changed thing: a task, link, note or setting, named so people recognise it. */
export interface ChangeRef {
  /** Entity id (for settings: the meta field name). */
  id: string;
  /** Task title, "A → B" for a link, the start of a note's text, or the setting name. */
  title: string;
  /** For a rename: the title before. */
  from?: string;
  /** For tasksUpdated / tasksRescheduled / notesChanged: which fields changed. */
  fields?: string[];
}

export type VersionSummary = Record<ChangeKind, ChangeRef[]> & {
  /** The real number of changes of each kind (the lists may be capped). */
  counts: Record<ChangeKind, number>;
};

/** Entries kept per list in a stored summary. */
export const SUMMARY_CAP = 50;

export function emptySummary(): VersionSummary {
  const summary = { counts: {} } as VersionSummary;
  for (const kind of CHANGE_KINDS) {
    summary[kind] = [];
    summary.counts[kind] = 0;
  }
  return summary;
}

/** Short labels for the one-line "what changed" (e.g. "2 tasks added · 1 rescheduled"). */
const LABELS: Record<ChangeKind, [singular: string, plural: string]> = {
  tasksAdded: ['task added', 'tasks added'],
  tasksRemoved: ['task removed', 'tasks removed'],
  tasksRenamed: ['renamed', 'renamed'],
  tasksRescheduled: ['rescheduled', 'rescheduled'],
  tasksMoved: ['moved', 'moved'],
  tasksUpdated: ['updated', 'updated'],
  depsAdded: ['link added', 'links added'],
  depsRemoved: ['link removed', 'links removed'],
  depsChanged: ['link changed', 'links changed'],
  notesAdded: ['note added', 'notes added'],
  notesRemoved: ['note removed', 'notes removed'],
  notesChanged: ['note edited', 'notes edited'],
  settingsChanged: ['setting changed', 'settings changed'],
};

/** People's words for the board settings a summary lists (as the Settings dialog names them). */
const SETTING_LABELS: Readonly<Record<string, string>> = {
  title: 'Title',
  projectStart: 'Project start',
  workingDays: 'Working days',
  holidays: 'Holidays',
  statuses: 'Statuses',
  wipLimits: 'WIP limits',
  viewersMayComment: 'Viewers may comment',
};

/**
 * The name people know a setting by, from its meta field (`viewersMayComment` -> "Viewers may
 * comment"). Versions stored before settings were named carry the raw field, so readers map by
 * id; an unknown field is shown as written.
 */
export function settingLabel(field: string): string {
  return Object.prototype.hasOwnProperty.call(SETTING_LABELS, field) ? SETTING_LABELS[field]! : field;
}

export function changeLabel(kind: ChangeKind, count: number): string {
  const [one, many] = LABELS[kind];
  return `${count} ${count === 1 ? one : many}`;
}

/** "2 tasks added · 1 rescheduled · 3 moved", or "No changes". */
export function summaryLine(summary: VersionSummary): string {
  const parts = CHANGE_KINDS.filter((k) => (summary.counts[k] ?? 0) > 0).map((k) => changeLabel(k, summary.counts[k]));
  return parts.length > 0 ? parts.join(' · ') : 'No changes';
}

/** Total number of changes in a summary. */
export function changeCount(summary: VersionSummary): number {
  return CHANGE_KINDS.reduce((n, k) => n + (summary.counts[k] ?? 0), 0);
}

/**
 * A summary from an untrusted source (the network, an old row): every list and count is
 * checked, anything unusable becomes empty. Never throws.
 */
export function readSummary(value: unknown): VersionSummary {
  const out = emptySummary();
  if (!value || typeof value !== 'object') return out;
  const raw = value as Record<string, unknown>;
  const counts = raw.counts && typeof raw.counts === 'object' ? (raw.counts as Record<string, unknown>) : {};
  for (const kind of CHANGE_KINDS) {
    const list = Array.isArray(raw[kind]) ? (raw[kind] as unknown[]) : [];
    out[kind] = list.flatMap((item) => {
      if (!item || typeof item !== 'object') return [];
      const r = item as Record<string, unknown>;
      if (typeof r.id !== 'string' || typeof r.title !== 'string') return [];
      const ref: ChangeRef = { id: r.id, title: r.title };
      if (typeof r.from === 'string') ref.from = r.from;
      if (Array.isArray(r.fields)) ref.fields = r.fields.filter((f): f is string => typeof f === 'string');
      return [ref];
    });
    const count = counts[kind];
    out.counts[kind] = typeof count === 'number' && Number.isInteger(count) && count >= out[kind].length ? count : out[kind].length;
  }
  return out;
}
