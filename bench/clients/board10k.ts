import * as Y from 'yjs';
import { sleep, openClient, withTimeout, type LightClient } from './light.ts';
import type { Room, ServerHandle } from '../servers/launch.ts';

/**
 * A 10k-task, 10k-dependency board in the shared schema (one Y.Map per task and per
 * dependency, description as Y.Text), as a list of Yjs updates of 1,000 tasks/deps each
 * (each below Planvas's 2 MiB message limit). Built once per process.
 */
let cached: { chunks: Uint8Array[]; bytes: number; taskIds: string[] } | null = null;

export function board10k(): { chunks: Uint8Array[]; bytes: number; taskIds: string[] } {
  if (cached) return cached;
  const doc = new Y.Doc();
  const chunks: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => chunks.push(u));
  const tasks = doc.getMap('tasks');
  const deps = doc.getMap('deps');
  const ids: string[] = [];
  const N = 10_000;
  const id = (p: string, i: number) => `${p}${String(i).padStart(20, '0')}`.slice(-21);
  for (let base = 0; base < N; base += 1000) {
    doc.transact(() => {
      for (let i = base; i < base + 1000; i++) {
        const t = new Y.Map<unknown>();
        const tid = id('t', i);
        ids.push(tid);
        tasks.set(tid, t);
        t.set('title', `Task ${i}`);
        t.set('x', (i % 100) * 200);
        t.set('y', Math.floor(i / 100) * 90);
        t.set('w', 160);
        t.set('h', 60);
        t.set('start', '2026-01-05');
        t.set('duration', 1 + (i % 10));
        t.set('progress', 0);
        t.set('status', 'todo');
        t.set('z', `a${String(i).padStart(6, '0')}`);
        t.set('rank', `a${String(i).padStart(6, '0')}`);
        t.set('boardRank', `a${String(i).padStart(6, '0')}`);
        t.set('description', new Y.Text(''));
      }
    });
  }
  for (let base = 0; base < N; base += 1000) {
    doc.transact(() => {
      for (let i = base; i < base + 1000; i++) {
        const d = new Y.Map<unknown>();
        deps.set(id('d', i), d);
        d.set('from', ids[i]!);
        d.set('to', ids[(i + 1 + (i % 7)) % N]!);
        d.set('type', 'FS');
        d.set('lag', 0);
      }
    });
  }
  doc.destroy();
  cached = { chunks, bytes: chunks.reduce((n, c) => n + c.byteLength, 0), taskIds: ids };
  return cached;
}

/** Writes the 10k board into `room` through one client and waits until a fresh join sees all of it; returns the writer, still connected (it keeps the room open on servers without storage). */
export async function populate10k(server: ServerHandle, room: Room): Promise<LightClient> {
  const { chunks, bytes } = board10k();
  const writer = openClient(server, room, { task: false });
  await withTimeout(writer.synced, 20_000, 'writer sync');
  for (const c of chunks) {
    writer.sendUpdate(c);
    await sleep(20);
  }
  // Wait until a new client's step 2 is about as large as the board.
  const deadline = Date.now() + 30_000;
  for (;;) {
    await sleep(200);
    const probe = openClient(server, room, { task: false });
    let size = 0;
    probe.ws.on('message', (d: Buffer) => (size = Math.max(size, d.byteLength)));
    await withTimeout(probe.synced, 20_000, 'probe sync');
    probe.close();
    if (size >= bytes * 0.5) break;
    if (Date.now() > deadline) throw new Error(`${server.name}: 10k board did not arrive (${size} of ${bytes} bytes)`);
  }
  return writer;
}
