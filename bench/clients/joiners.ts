import { fork } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Room, ServerHandle } from '../servers/launch.ts';

/**
 * Simultaneous joins run from a child process of the harness, at a lower CPU priority.
 *
 * Why: receiving 20 copies of a 10k-task board (20 x 4.6 MB) keeps one core busy for a few
 * hundred milliseconds. In the harness process that also times the unrelated board's edits, that
 * work (socket reads, frame assembly, the collections it triggers) blocked the harness's event
 * loop for up to 84 ms at a time, and the edits' latency measured the harness, not the server:
 * during the joins Planvas's server used 50–70 ms of CPU in a 224–295 ms window while the
 * harness used all of it (a `.scratch` probe, 2026-11-22). In a child process at nice 10 on the
 * same core the joins still get the core whenever the measuring process does not need it.
 */
export interface JoinOrder {
  server: Pick<ServerHandle, 'name' | 'protocol'>;
  url: string;
  room: Room;
  count: number;
  timeoutMs: number;
}

export type JoinReport = { ok: true; ms: number[] } | { ok: false; error: string };

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'joinerProcess.ts');

export interface Joiners {
  /** Opens `count` clients at once; resolves with each one's time to synced (ms). */
  join(count: number, timeoutMs: number): Promise<number[]>;
  close(): void;
}

/** Starts the child (it inherits the harness's core) and waits until it is ready to join. */
export async function startJoiners(server: ServerHandle, room: Room): Promise<Joiners> {
  const child = fork(CHILD, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', () => resolve());
    child.once('error', reject);
  });
  try {
    os.setPriority(child.pid!, 10);
  } catch {
    // Not permitted here: the joins then compete with the measuring process as equals.
  }
  // One untimed join first: the child has loaded its code, and compiled the paths a join takes,
  // before the first timed one (as the harness process had, from its earlier clients).
  const send = (order: Omit<JoinOrder, 'server' | 'url' | 'room'>) =>
    new Promise<number[]>((resolve, reject) => {
      const onExit = () => reject(new Error('joiner process exited'));
      child.once('exit', onExit);
      child.once('message', (report: JoinReport) => {
        child.off('exit', onExit);
        if (report.ok) resolve(report.ms);
        else reject(new Error(report.error));
      });
      child.send({ server: { name: server.name, protocol: server.protocol }, url: server.wsUrl(room), room, ...order } satisfies JoinOrder);
    });
  await send({ count: 1, timeoutMs: 30_000 });
  return {
    join: (count, timeoutMs) => send({ count, timeoutMs }),
    close: () => child.kill(),
  };
}
