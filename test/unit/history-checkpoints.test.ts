import { describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { createTask } from '../../shared/doc/ops.ts';
import { emptySummary } from '../../shared/history/summary.ts';
import { ConfigError, parseConfig } from '../../server/config.ts';
import { Checkpoints } from '../../server/history/checkpoints.ts';
import { silentLogger } from '../../server/log.ts';
import type { BoardStore, VersionRecord } from '../../server/storage/types.ts';

/** Just the version methods of a store, in memory; `failNext` makes the next save throw. */
function memoryVersions() {
  const saved: Array<VersionRecord & { state: Uint8Array }> = [];
  let failNext = false;
  const store = {
    async saveVersion(_boardId: string, v: VersionRecord & { state: Uint8Array }) {
      if (failNext) {
        failNext = false;
        throw new Error('disk full');
      }
      saved.push(v);
    },
    async listVersions() {
      return [...saved].reverse().map(({ state: _s, ...r }) => r);
    },
    async getVersionState(_b: string, id: string) {
      return saved.find((v) => v.id === id)?.state ?? null;
    },
    async deleteVersions(_b: string, ids: readonly string[]) {
      let n = 0;
      for (const id of ids) {
        const i = saved.findIndex((v) => v.id === id);
        if (i < 0) continue;
        saved.splice(i, 1);
        n++;
      }
      return n;
    },
  } as unknown as BoardStore;
  return { store, saved, failOnce: () => (failNext = true) };
}

function checkpoints(store: BoardStore, onDue = () => {}, intervalMs = 1000) {
  return new Checkpoints({ boardId: 'b', store, logger: silentLogger, intervalMs, onDue });
}

describe('Checkpoints', () => {
  it('falls due once per interval after a change, and not while nothing changed', () => {
    vi.useFakeTimers();
    try {
      const onDue = vi.fn();
      const c = checkpoints(memoryVersions().store, onDue);
      vi.advanceTimersByTime(5000);
      expect(onDue).not.toHaveBeenCalled();
      c.noteChange('Ann');
      c.noteChange('Bob');
      vi.advanceTimersByTime(999);
      expect(onDue).not.toHaveBeenCalled();
      vi.advanceTimersByTime(1);
      expect(onDue).toHaveBeenCalledTimes(1);
      c.stop();
      c.noteChange('Ann');
      vi.advanceTimersByTime(5000);
      expect(onDue).toHaveBeenCalledTimes(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('each version is summarised against the one before, with the authors since then', async () => {
    const mem = memoryVersions();
    const c = checkpoints(mem.store);
    const doc = new Y.Doc();
    createTask(doc, { title: 'One' });
    c.noteChange('Bob');
    c.noteChange('Ann');
    const first = await c.capture(Y.encodeStateAsUpdate(doc), { kind: 'auto' });
    expect(first).toMatchObject({ kind: 'auto', name: '', authors: ['Ann', 'Bob'] });
    expect(first.summary.counts.tasksAdded).toBe(1);
    expect(c.hasUnsavedChanges).toBe(false);

    createTask(doc, { title: 'Two' });
    c.noteChange('Cleo');
    const second = await c.capture(Y.encodeStateAsUpdate(doc), { kind: 'named', name: ' Review ' });
    expect(second).toMatchObject({ kind: 'named', name: 'Review', authors: ['Cleo'] });
    expect(second.summary.tasksAdded.map((t) => t.title)).toEqual(['Two']);

    // A fresh Checkpoints (the board reloaded) reads the previous version from the store.
    const again = checkpoints(mem.store);
    const third = await again.capture(Y.encodeStateAsUpdate(doc), { kind: 'named', name: 'Same' });
    expect(third.summary).toEqual(emptySummary());
  });

  it('a failed save gives the changes and authors back, so the next checkpoint carries them', async () => {
    const mem = memoryVersions();
    const c = checkpoints(mem.store);
    const doc = new Y.Doc();
    createTask(doc, { title: 'One' });
    c.noteChange('Ann');
    mem.failOnce();
    await expect(c.capture(Y.encodeStateAsUpdate(doc), { kind: 'auto' })).rejects.toThrow('disk full');
    expect(c.hasUnsavedChanges).toBe(true);
    const retry = await c.capture(Y.encodeStateAsUpdate(doc), { kind: 'auto' });
    expect(retry.authors).toEqual(['Ann']);
    expect(retry.summary.counts.tasksAdded).toBe(1);
    c.stop();
  });
});

describe('checkpoint interval configuration', () => {
  const interval = (value: string) => {
    const parsed = parseConfig([], { PLANVAS_CHECKPOINT_INTERVAL: value }, '/srv');
    if (parsed.kind !== 'run') throw new Error('expected run');
    return parsed.config.checkpointIntervalMs;
  };
  it('reads durations with units, seconds by default', () => {
    expect(interval('500ms')).toBe(500);
    expect(interval('30s')).toBe(30_000);
    expect(interval('5m')).toBe(300_000);
    expect(interval('2h')).toBe(7_200_000);
    expect(interval('90')).toBe(90_000);
  });
  it('refuses nonsense and out-of-range values', () => {
    for (const bad of ['fast', '-5s', '5 minutes', '10ms', '25h']) {
      expect(() => interval(bad), bad).toThrow(ConfigError);
    }
  });
});
