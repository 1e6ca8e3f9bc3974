import { describe, expect, it } from 'vitest';
import { CompactionPacer } from './compactionPacer.ts';

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('CompactionPacer', () => {
  it('runs one compaction at a time, in order, with the event loop turning between two', async () => {
    const pacer = new CompactionPacer();
    const log: string[] = [];
    const job = (name: string) => async () => {
      log.push(`start ${name}`);
      await Promise.resolve();
      log.push(`end ${name}`);
      // Work the event loop has waiting when a compaction ends runs before the next one starts.
      setImmediate(() => log.push(`waiting work after ${name}`));
    };
    for (const name of ['a', 'b', 'c']) pacer.schedule(job(name));
    while (log.length < 9) await new Promise((r) => setTimeout(r, 1));
    expect(log).toEqual(['start a', 'end a', 'waiting work after a', 'start b', 'end b', 'waiting work after b', 'start c', 'end c', 'waiting work after c']);
  });

  it('goes on after a failed compaction', async () => {
    const pacer = new CompactionPacer();
    const done: string[] = [];
    pacer.schedule(() => Promise.reject(new Error('disk full')));
    pacer.schedule(async () => void done.push('second'));
    for (let i = 0; i < 5 && done.length === 0; i++) await turn();
    expect(done).toEqual(['second']);
  });

  it('does not let one held-up board hold the others beyond a second', async () => {
    const pacer = new CompactionPacer();
    const done: string[] = [];
    pacer.schedule(() => new Promise(() => undefined));
    pacer.schedule(async () => void done.push('other board'));
    await new Promise((r) => setTimeout(r, 900));
    expect(done).toEqual([]);
    await new Promise((r) => setTimeout(r, 300));
    expect(done).toEqual(['other board']);
  });
});
