import * as Y from 'yjs';
import { newId } from '../../shared/ids.ts';
import { boardMaps } from '../../shared/doc/structure.ts';
import { moveShapes } from '../../shared/doc/ops.ts';
import { TASK_FIELDS } from '../../shared/schema/validators.ts';
import { nKeysAbove } from '../../shared/schema/zorder.ts';
import { mulberry32 } from '../../test/helpers/random.ts';

/** Card pitch of the seeded grid (cards are the default 240 x 130). */
export const PITCH = { x: 300, y: 180 } as const;
/** Links stay inside runs of this many consecutive tasks, so the plan spans months, not decades. */
const GROUP = 50;

export interface SeededBoard {
  ids: string[];
  cols: number;
  rows: number;
  deps: number;
  /** Canvas bounds of the grid. */
  width: number;
  height: number;
}

/**
 * Writes `n` tasks as a grid of cards and about one dependency per task into `doc`, in one
 * transaction, with every field a task made by `createTask` has (z, rank and boardRank keys
 * generated in one go instead of one scan of the board per task). Task i (not the first of
 * its run of 50) gets one finish-to-start predecessor among the 5 tasks before it in its run.
 */
export function seedGrid(doc: Y.Doc, n: number, seed = 11): SeededBoard {
  const random = mulberry32(seed);
  const cols = Math.ceil(Math.sqrt(n * 1.2));
  const rows = Math.ceil(n / cols);
  const ids = Array.from({ length: n }, () => newId());
  const z = nKeysAbove([], n);
  const rank = nKeysAbove([], n);
  const boardRank = nKeysAbove([], n);
  const statuses = ['todo', 'in-progress', 'done'];
  const defaults: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(TASK_FIELDS)) if (key !== 'z' && key !== 'description') defaults[key] = field.fallback;
  let deps = 0;
  doc.transact(() => {
    const maps = boardMaps(doc);
    maps.meta.set('projectStart', '2026-01-05');
    for (let i = 0; i < n; i++) {
      const entity = new Y.Map<unknown>();
      const values: Record<string, unknown> = {
        ...defaults,
        title: `Task ${i + 1}: ${['Design', 'Build', 'Review', 'Test', 'Ship'][i % 5]} ${Math.floor(i / 5)}`,
        x: (i % cols) * PITCH.x,
        y: Math.floor(i / cols) * PITCH.y,
        status: statuses[i % 3],
        duration: 1 + Math.floor(random() * 10),
        assignees: i % 4 === 0 ? ['Ada'] : [],
        z: z[i],
        rank: rank[i],
        boardRank: boardRank[i],
      };
      for (const [key, value] of Object.entries(values)) entity.set(key, Array.isArray(value) ? [...value] : value);
      entity.set('description', new Y.Text(''));
      maps.tasks.set(ids[i]!, entity);
    }
    for (let i = 0; i < n; i++) {
      const inRun = i % GROUP;
      if (inRun === 0) continue;
      const from = i - 1 - Math.floor(random() * Math.min(inRun, 5));
      const dep = new Y.Map<unknown>();
      dep.set('from', ids[from]!);
      dep.set('to', ids[i]!);
      dep.set('type', 'FS');
      dep.set('lag', 0);
      maps.deps.set(newId(), dep);
      deps++;
    }
  });
  return { ids, cols, rows, deps, width: cols * PITCH.x, height: rows * PITCH.y };
}

/** Moves one random task by a few pixels `hz` times a second (a remote collaborator); returns a stop function. */
export function startMover(doc: Y.Doc, board: SeededBoard, hz: number): { stop(): number } {
  const random = mulberry32(99);
  let sent = 0;
  const timer = setInterval(() => {
    const i = Math.floor(random() * board.ids.length);
    const x = (i % board.cols) * PITCH.x + Math.round((random() - 0.5) * 40);
    const y = Math.floor(i / board.cols) * PITCH.y + Math.round((random() - 0.5) * 30);
    moveShapes(doc, [{ id: board.ids[i]!, x, y }], 'bench-mover');
    sent++;
  }, 1000 / hz);
  return {
    stop() {
      clearInterval(timer);
      return sent;
    },
  };
}
