import { z } from 'zod';
import type * as Y from 'yjs';
import type { Dependency, Note, Task } from '../schema/entities.ts';
import { createDependency, createNote, createTask, updateShape } from './ops.ts';
import { boardMaps } from './structure.ts';
import { readBoard } from './read.ts';
import { compareZ, isValidZ } from '../schema/zorder.ts';

/**
 * Copy and paste as plain JSON, so a selection travels through the system clipboard into
 * another board (or another browser). Pasted data is untrusted: it is validated here and
 * every value passes the ops' validators again on the way in.
 */
export const CLIPBOARD_FORMAT = 'planvas/clipboard';
export const CLIPBOARD_VERSION = 1;
const MAX_CLIPBOARD_ITEMS = 5000;

export interface ClipboardPayload {
  format: typeof CLIPBOARD_FORMAT;
  version: number;
  /** `z` is the shape's stacking key in the source board: paste keeps the relative order. */
  tasks: Array<Omit<Task, 'kind'>>;
  notes: Array<Omit<Note, 'kind'>>;
  /** Only links between two copied tasks. */
  deps: Array<Pick<Dependency, 'from' | 'to' | 'type' | 'lag'>>;
}

/** The chosen shapes (in z-order) and the links among them. */
export function copySelection(doc: Y.Doc, ids: Iterable<string>): ClipboardPayload {
  const board = readBoard(doc);
  const chosen = new Set(ids);
  const tasks = [...board.tasks.values()].filter((t) => chosen.has(t.id)).sort(compareZ);
  const notes = [...board.notes.values()].filter((n) => chosen.has(n.id)).sort(compareZ);
  const taskIds = new Set(tasks.map((t) => t.id));
  const deps = [...board.deps.values()]
    .filter((d) => taskIds.has(d.from) && taskIds.has(d.to))
    .map(({ from, to, type, lag }) => ({ from, to, type, lag }));
  return {
    format: CLIPBOARD_FORMAT,
    version: CLIPBOARD_VERSION,
    tasks: tasks.map(({ kind: _k, ...rest }) => rest),
    notes: notes.map(({ kind: _k, ...rest }) => rest),
    deps,
  };
}

const looseShape = z.object({ id: z.string().max(100), x: z.number(), y: z.number() }).passthrough();
const payloadSchema = z.object({
  format: z.literal(CLIPBOARD_FORMAT),
  version: z.number().int().min(1),
  tasks: z.array(looseShape).max(MAX_CLIPBOARD_ITEMS),
  notes: z.array(looseShape).max(MAX_CLIPBOARD_ITEMS),
  deps: z.array(z.object({ from: z.string(), to: z.string() }).passthrough()).max(MAX_CLIPBOARD_ITEMS * 2),
});

/** Parses clipboard text; null when it is not a Planvas payload (plain text, garbage, too large). */
export function parseClipboard(text: string): ClipboardPayload | null {
  if (text.length > 20_000_000 || !text.includes(CLIPBOARD_FORMAT)) return null;
  try {
    const parsed = payloadSchema.safeParse(JSON.parse(text));
    return parsed.success ? (parsed.data as unknown as ClipboardPayload) : null;
  } catch {
    return null;
  }
}

/**
 * Adds copies of the payload's shapes, moved by (dx, dy), on top of everything, with fresh
 * ids; links are re-created between the copies. Returns the new ids in paste order. Runs in
 * one transaction (one undo step).
 */
export function pasteClipboard(doc: Y.Doc, payload: ClipboardPayload, dx: number, dy: number, origin?: unknown): string[] {
  const created: string[] = [];
  doc.transact(() => {
    const idMap = new Map<string, string>();
    // Create in the source's stacking order (tasks and notes interleaved), so a note that was
    // behind a task is still behind it. Items without a usable z keep their payload order.
    const items = [
      ...payload.tasks.map((shape, i) => ({ kind: 'task' as const, shape, i })),
      ...payload.notes.map((shape, i) => ({ kind: 'note' as const, shape, i: payload.tasks.length + i })),
    ].sort((a, b) => {
      const za = isValidZ(a.shape.z) ? a.shape.z : null;
      const zb = isValidZ(b.shape.z) ? b.shape.z : null;
      if (za !== null && zb !== null && za !== zb) return za < zb ? -1 : 1;
      return a.i - b.i;
    });
    for (const item of items) {
      const { shape } = item;
      if (item.kind === 'task') {
        // Copies go to the end of the plan outline and of their Kanban column; parents are set below.
        const { rank: _rank, boardRank: _boardRank, parent: _parent, ...fields } = shape as Partial<Task> & { id: string; x: number; y: number };
        const id = createTask(doc, { ...fields, x: shape.x + dx, y: shape.y + dy }, origin);
        idMap.set(shape.id, id);
        created.push(id);
      } else {
        const text = typeof (shape as { text?: unknown }).text === 'string' ? (shape as { text: string }).text : '';
        created.push(createNote(doc, { ...shape, text, x: shape.x + dx, y: shape.y + dy }, origin));
      }
    }
    // A copied subtask stays under its summary: the summary's copy when it was copied too,
    // else the original summary when it is on this board; otherwise it goes to the top level.
    const tasks = boardMaps(doc).tasks;
    for (const shape of payload.tasks) {
      const parent = (shape as { parent?: unknown }).parent;
      if (typeof parent !== 'string' || parent === '') continue;
      const target = idMap.get(parent) ?? (tasks.has(parent) ? parent : '');
      if (target !== '') updateShape(doc, idMap.get(shape.id)!, { parent: target }, origin);
    }
    for (const dep of payload.deps) {
      const from = idMap.get(dep.from);
      const to = idMap.get(dep.to);
      if (from && to) createDependency(doc, from, to, { type: dep.type, lag: dep.lag }, origin);
    }
  }, origin);
  return created;
}

/** Ctrl/Cmd+D: copies of the shapes, offset a little, with the links among them. */
export function duplicateShapes(doc: Y.Doc, ids: Iterable<string>, offset = 24, origin?: unknown): string[] {
  return pasteClipboard(doc, copySelection(doc, ids), offset, offset, origin);
}
