import fs from 'node:fs';
import { sleep } from '../clients/light.ts';

/** CPU time (user + system) a process has used so far, in clock ticks; null when unreadable. */
function cpuTicks(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces): state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return null;
  }
}

/**
 * Waits until a server process has been (nearly) idle for one 200 ms interval: at most 10 % of
 * a core. After an overloaded step a server can still be working through its backlog (writes to
 * sockets already closed, garbage); the next step must not start on a busy server. Gives up
 * after `maxMs` (and on a platform without /proc, at once). Resolves with the time waited, ms.
 */
export async function waitUntilIdle(pid: number, maxMs = 10_000): Promise<number> {
  const started = Date.now();
  let before = cpuTicks(pid);
  if (before === null) return 0;
  const ticksPerInterval = 0.2 * 100; // 200 ms at the usual 100 clock ticks per second
  while (Date.now() - started < maxMs) {
    await sleep(200);
    const now = cpuTicks(pid);
    if (now === null) break;
    if (now - before <= ticksPerInterval * 0.1) break;
    before = now;
  }
  return Date.now() - started;
}
