import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { replaceBoardContent } from '../../shared/doc/replace.ts';
import { parseBoardJson } from '../../shared/formats/json/index.ts';
import { newId } from '../../shared/ids.ts';
import { silentLogger } from '../../server/log.ts';
import { MAX_SUMMARY_TITLE } from '../../server/history/summarise.ts';
import { inlineSummariser, workerSummariser } from '../../server/history/summariser.ts';

/** The encoded state of a board with `n` tasks (built through the JSON import: fast). */
function boardState(n: number, title = (i: number) => `Task ${i}`): Uint8Array {
  const tasks: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) tasks[newId()] = { title: title(i), x: i * 3, y: i % 500, duration: 3, start: '2026-01-05' };
  const parsed = parseBoardJson(JSON.stringify({ format: 'planvas-board', version: 1, board: { tasks } }));
  if (!parsed.ok) throw new Error(parsed.errors.join('; '));
  const doc = new Y.Doc();
  replaceBoardContent(doc, parsed.source);
  return Y.encodeStateAsUpdate(doc);
}

/** Runs `work` and returns the longest the event loop went without running a timer meanwhile. */
async function longestStall(work: () => Promise<unknown>): Promise<number> {
  let last = performance.now();
  let longest = 0;
  let running = true;
  const tick = () => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
    if (running) setTimeout(tick, 1);
  };
  setTimeout(tick, 1);
  await work();
  // One more timer, so a stall that ended just now is measured too.
  await new Promise((resolve) => setTimeout(resolve, 5));
  running = false;
  return longest;
}

describe('version summaries off the event loop (server/history/summariser.ts)', () => {
  it('the worker gives the same summary as the main thread, without stalling the event loop', async () => {
    const before = boardState(200);
    const after = boardState(4000);
    const inline = await inlineSummariser.summarise(before, after);
    const worker = workerSummariser(silentLogger);
    try {
      await worker.summarise(null, before); // starts the worker (module loading is not the point here)
      let summary: typeof inline | undefined;
      const workerStall = await longestStall(async () => {
        summary = await worker.summarise(before, after);
      });
      expect(summary).toEqual(inline);
      expect(summary!.counts.tasksAdded).toBe(4000);
      // Summarising this board on the main thread stalls it for hundreds of ms; the worker does not.
      const inlineStall = await longestStall(() => inlineSummariser.summarise(before, after));
      // (Relative, not absolute: other processes share the 2 cores of a CI box.)
      expect(inlineStall).toBeGreaterThan(150);
      expect(workerStall).toBeLessThan(inlineStall / 3);
    } finally {
      await worker.close();
    }
  }, 60_000);

  it('stored summaries keep titles short (a link between two 500-character titles is not 1,000 characters per entry)', async () => {
    const long = (i: number) => `${'Very long task title '.repeat(30)}${i}`;
    const summary = await inlineSummariser.summarise(boardState(2), boardState(3, long));
    expect(summary.tasksAdded).toHaveLength(3);
    for (const ref of summary.tasksAdded) expect(ref.title.length).toBeLessThanOrEqual(MAX_SUMMARY_TITLE);
    expect(summary.tasksAdded[0]!.title.endsWith('…')).toBe(true);
  });

  it('a previous state that does not load counts from an empty board; a broken new state is an error', async () => {
    const worker = workerSummariser(silentLogger);
    try {
      const after = boardState(3);
      const summary = await worker.summarise(new Uint8Array([1, 2, 3, 4, 5]), after);
      expect(summary.counts.tasksAdded).toBe(3);
      await expect(worker.summarise(null, new Uint8Array([9, 9, 9, 9]))).rejects.toThrow();
      // The worker is still there for the next one.
      expect((await worker.summarise(null, after)).counts.tasksAdded).toBe(3);
    } finally {
      await worker.close();
    }
  }, 60_000);
});
