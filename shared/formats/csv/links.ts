import { schedule } from '../../planning/schedule.ts';
import type { PlanLinkInput, PlanTaskInput } from '../../planning/types.ts';
import type { PlanRow } from './row.ts';

/**
 * File-level checks of the Predecessors column, once every row has been read: each ID must
 * be in the file, a task is not its own predecessor nor linked twice to the same one, a
 * summary task is not linked to its own subtask, and the links close no cycle (checked the
 * way the scheduler sees them: a link on a summary task applies to each of its subtasks).
 * Returns the messages of each bad row, keyed by spreadsheet row number. Links to `badIds`
 * (rows that failed to read) are not reported again; cycles are checked only when asked (the
 * file has no other error, so the graph is complete).
 */
export function checkLinks(rows: readonly PlanRow[], badIds: ReadonlySet<number> = new Set(), checkCycles = true): Map<number, string[]> {
  const problems = new Map<number, string[]>();
  const report = (row: number, message: string) => {
    const list = problems.get(row);
    if (list) list.push(message);
    else problems.set(row, [message]);
  };
  const byId = new Map(rows.map((r) => [r.id, r]));
  const isAncestor = (ancestor: number, of: PlanRow): boolean => {
    for (let at = of.parentId, guard = 0; at !== null && guard <= rows.length; guard++) {
      if (at === ancestor) return true;
      at = byId.get(at)?.parentId ?? null;
    }
    return false;
  };
  for (const row of rows) {
    const seen = new Set<number>();
    for (const ref of row.predecessors) {
      const other = byId.get(ref.id);
      if (badIds.has(ref.id)) continue;
      if (ref.id === row.id) report(row.row, `Predecessors: a task cannot be its own predecessor (ID ${ref.id})`);
      else if (!other) report(row.row, `Predecessors: ID ${ref.id} is not in the file`);
      else if (seen.has(ref.id)) report(row.row, `Predecessors: ID ${ref.id} is listed twice`);
      else if (isAncestor(ref.id, row) || isAncestor(row.id, other)) {
        report(row.row, `Predecessors: ID ${ref.id} is a summary task of this task or its subtask; link tasks outside the summary instead`);
      }
      seen.add(ref.id);
    }
  }
  if (problems.size > 0 || !checkCycles) return problems;
  for (const [row, message] of cycleProblems(rows)) report(row, message);
  return problems;
}

/** Runs the scheduler over the file's structure (dates do not matter) and names the rows whose links close a cycle. */
function cycleProblems(rows: readonly PlanRow[]): Array<[number, string]> {
  const key = (id: number) => String(id);
  const tasks: PlanTaskInput[] = rows.map((r) => ({
    id: key(r.id),
    parent: r.parentId === null ? '' : key(r.parentId),
    duration: 1,
    start: '',
    mode: 'auto',
    milestone: false,
    progress: 0,
    budget: 0,
    actualCost: 0,
  }));
  const links: PlanLinkInput[] = [];
  const rowOfLink = new Map<string, PlanRow>();
  for (const r of rows) {
    r.predecessors.forEach((ref, k) => {
      const id = `${r.row}:${k}`;
      rowOfLink.set(id, r);
      links.push({ id, from: key(ref.id), to: key(r.id), type: ref.type, lag: ref.lag });
    });
  }
  if (links.length === 0) return [];
  const { cycles } = schedule({ projectStart: '2026-01-05', calendar: { workingDays: [1, 2, 3, 4, 5], holidays: [] }, tasks, links });
  const out = new Map<number, string>();
  for (const cycle of cycles) {
    const ids = cycle.tasks.map(Number).sort((a, b) => a - b);
    for (const linkId of cycle.dependencies) {
      const row = rowOfLink.get(linkId);
      if (row && !out.has(row.row)) out.set(row.row, `Predecessors form a cycle between IDs ${ids.join(', ')}`);
    }
  }
  return [...out];
}
