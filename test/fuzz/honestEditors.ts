import { createTask, updateShape } from '../../shared/doc/ops.ts';
import { readBoard } from '../../shared/doc/read.ts';
import { connectClient, sleep, type TestClient } from '../helpers/clients.ts';
import { int, pick, type Random } from './generators.ts';

/**
 * Honest editors for the fuzz test: stock y-websocket clients that add, rename and move their
 * own tasks throughout a run and remember the last value they wrote for each, so the test
 * can check at the end that every one of those writes is in every copy of the board.
 */
export const MAX_TASKS_PER_EDITOR = 150;

export interface WrittenTask {
  title: string;
  x: number;
  y: number;
}

export interface HonestEditor {
  client: TestClient;
  /** Task id -> the last title and position this editor wrote. */
  written: Map<string, WrittenTask>;
  edits: number;
}

export function connectEditors(wsUrl: string, boardId: string, token: string, count: number): HonestEditor[] {
  return Array.from({ length: count }, () => ({ client: connectClient(wsUrl, boardId, token), written: new Map<string, WrittenTask>(), edits: 0 }));
}

/**
 * Edits until `running()` is false: about one edit per editor every 40 ms. Past
 * MAX_TASKS_PER_EDITOR it only renames and moves, so the board (which some hostile frames make
 * the server encode whole) stays the size of a real plan however long the run.
 */
export async function editUntil(editor: HonestEditor, index: number, random: Random, running: () => boolean): Promise<void> {
  const { doc } = editor.client;
  while (running()) {
    const own = [...editor.written.keys()];
    const action = own.length === 0 ? 0 : own.length >= MAX_TASKS_PER_EDITOR ? 4 + int(random, 6) : int(random, 10);
    if (action < 4) {
      const task = { title: `honest ${index}.${editor.edits}`, x: int(random, 2000), y: int(random, 2000) };
      editor.written.set(createTask(doc, task), task);
    } else {
      const id = pick(random, own);
      const task = { ...editor.written.get(id)! };
      if (action < 7) task.title = `renamed ${index}.${editor.edits}`;
      else [task.x, task.y] = [int(random, 2000), int(random, 2000)];
      updateShape(doc, id, task);
      editor.written.set(id, task);
    }
    editor.edits++;
    await sleep(30 + int(random, 20));
  }
}

/** The writes of `editors` that `client`'s copy of the board lacks (empty when it has them all). */
export function missingWrites(client: TestClient, editors: readonly HonestEditor[]): string[] {
  const tasks = readBoard(client.doc).tasks;
  const missing: string[] = [];
  for (const editor of editors) {
    for (const [id, want] of editor.written) {
      const got = tasks.get(id);
      if (!got || got.title !== want.title || got.x !== want.x || got.y !== want.y) missing.push(`${id}: want ${JSON.stringify(want)}, got ${got ? JSON.stringify({ title: got.title, x: got.x, y: got.y }) : 'nothing'}`);
    }
  }
  return missing;
}
