import { describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { createTask } from '../../shared/doc/ops.ts';
import { emptySummary } from '../../shared/history/summary.ts';
import { ConfigError, parseConfig } from '../../server/config.ts';
import { Checkpoints, MAX_VERSION_AUTHORS } from '../../server/history/checkpoints.ts';
import { VersionStateError, loadVersionState } from '../../server/history/loadState.ts';
import { initBoardDocument } from '../../shared/doc/init.ts';
import { readBoard } from '../../shared/doc/read.ts';
import { silentLogger } from '../../server/log.ts';
import { StorageCorruptError, type BoardStore, type VersionRecord } from '../../server/storage/types.ts';

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
    expect(first!.summary.counts.tasksAdded).toBe(1);
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
    expect(retry!.authors).toEqual(['Ann']);
    expect(retry!.summary.counts.tasksAdded).toBe(1);
    c.stop();
  });

  it('an automatic checkpoint with no plan change (comments only) is not stored; a named version always is', async () => {
    const mem = memoryVersions();
    const c = checkpoints(mem.store);
    const doc = new Y.Doc();
    createTask(doc, { title: 'One' });
    c.noteChange('Ann');
    expect(await c.capture(Y.encodeStateAsUpdate(doc), { kind: 'auto' })).not.toBeNull();
    // A review: people only comment.
    doc.getMap('comments').set('t1', new Y.Map());
    c.noteChange('Bob');
    expect(await c.capture(Y.encodeStateAsUpdate(doc), { kind: 'auto' })).toBeNull();
    expect(mem.saved).toHaveLength(1);
    expect(c.hasUnsavedChanges).toBe(false);
    const named = await c.capture(Y.encodeStateAsUpdate(doc), { kind: 'named', name: 'After the review' });
    expect(named.summary).toEqual(emptySummary());
    expect(mem.saved).toHaveLength(2);
    c.stop();
  });

  it('names at most MAX_VERSION_AUTHORS authors, however many names peers announced', async () => {
    const c = checkpoints(memoryVersions().store);
    for (let i = 0; i < 5000; i++) c.noteChange(`Renamed ${i} ${'x'.repeat(50)}`);
    const doc = new Y.Doc();
    createTask(doc, { title: 'One' });
    const version = await c.capture(Y.encodeStateAsUpdate(doc), { kind: 'auto' });
    expect(version!.authors).toHaveLength(MAX_VERSION_AUTHORS);
    c.stop();
  });

  it('a newest version that no longer loads (damaged row) does not stop later versions being stored', async () => {
    const mem = memoryVersions();
    const doc = new Y.Doc();
    createTask(doc, { title: 'One' });
    await checkpoints(mem.store).capture(Y.encodeStateAsUpdate(doc), { kind: 'named', name: 'Old' });
    // Its row is damaged now: reading its state fails the checksum.
    mem.store.getVersionState = async (boardId: string, versionId: string) => {
      throw new StorageCorruptError(boardId, `version ${versionId} checksum mismatch`);
    };
    // A reloaded board reads the damaged newest version to summarise against.
    const c = checkpoints(mem.store);
    createTask(doc, { title: 'Two' });
    c.noteChange('Ann');
    const next = await c.capture(Y.encodeStateAsUpdate(doc), { kind: 'auto' });
    expect(next!.summary.counts.tasksAdded).toBe(2);
    expect(mem.saved).toHaveLength(2);
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

describe('loading a stored version state (server/history/loadState.ts)', () => {
  it('a board whose live document holds a peer’s out-of-order update still loads (its versions carry the same pending parts)', () => {
    const doc = new Y.Doc();
    initBoardDocument(doc, 'Live', '2026-01-05T09:00:00.000Z');
    createTask(doc, { title: 'Seen by everyone' });
    // A peer's update that depends on an update the server never got: pending in the live doc.
    const peer = new Y.Doc();
    peer.getMap('tasks').set('a', 'first');
    const sv = Y.encodeStateVector(peer);
    peer.getMap('tasks').set('b', 'second');
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(peer, sv));
    expect(doc.store.pendingStructs).not.toBeNull();
    const loaded = loadVersionState(Y.encodeStateAsUpdate(doc));
    expect([...readBoard(loaded).tasks.values()].map((t) => t.title)).toEqual(['Seen by everyone']);
    loaded.destroy();
  });

  it('refuses bytes that do not decode, and a state that is all pending parts with no board in it', () => {
    expect(() => loadVersionState(new Uint8Array([9, 9, 9, 9]))).toThrow(VersionStateError);
    const peer = new Y.Doc();
    peer.getMap('tasks').set('a', 'first');
    const sv = Y.encodeStateVector(peer);
    peer.getMap('tasks').set('b', 'second');
    expect(() => loadVersionState(Y.encodeStateAsUpdate(peer, sv))).toThrow(/does not carry/);
  });
});
