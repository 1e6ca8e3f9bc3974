import { afterEach, describe, expect, it } from 'vitest';
import { newBoardUpdate } from '../../shared/doc/init.ts';
import { HISTOGRAM_BUCKETS, Metrics, STORAGE_OPS, escapeLabelValue } from '../../server/metrics.ts';
import { instrumentStore, isAnswerFromDatabase } from '../../server/storage/instrumented.ts';
import { openSqliteStore } from '../../server/storage/sqlite.ts';
import { UnknownBoardError, type BoardStore } from '../../server/storage/types.ts';
import { makeTempDir, removeTempDir } from '../helpers/server.ts';
import { parsePrometheus, sampleValue } from '../helpers/prometheus.ts';

describe('Metrics', () => {
  it('keeps the unlabelled API: inc, add, get', () => {
    const m = new Metrics();
    m.inc('planvas_connections_total');
    m.inc('planvas_connections_total', 2);
    m.add('planvas_open_connections', 3);
    m.add('planvas_open_connections', -1);
    expect(m.get('planvas_connections_total')).toBe(3);
    expect(m.get('planvas_open_connections')).toBe(2);
    const f = parsePrometheus(m.render());
    expect(sampleValue(f, 'planvas_connections_total')).toBe(3);
    expect(sampleValue(f, 'planvas_open_connections')).toBe(2);
    expect(sampleValue(f, 'planvas_compactions_total')).toBe(0);
  });

  it('counts by label, shows every known label value from 0, and sums without labels', () => {
    const m = new Metrics();
    m.inc('planvas_errors_total', 1, { kind: 'storage' });
    m.inc('planvas_errors_total', 2, { kind: 'fanout' });
    expect(m.get('planvas_errors_total', { kind: 'storage' })).toBe(1);
    expect(m.get('planvas_errors_total')).toBe(3);
    const f = parsePrometheus(m.render());
    expect(sampleValue(f, 'planvas_errors_total', { kind: 'storage' })).toBe(1);
    expect(sampleValue(f, 'planvas_errors_total', { kind: 'fanout' })).toBe(2);
    expect(sampleValue(f, 'planvas_errors_total', { kind: 'internal' })).toBe(0);
    expect(sampleValue(f, 'planvas_connections_refused_total', { reason: 'per_ip' })).toBe(0);
  });

  it('never lets an unknown label value (a board id, an IP) become a series: it is "other"', () => {
    const m = new Metrics();
    m.inc('planvas_connections_refused_total', 1, { reason: '10.0.0.7' });
    m.inc('planvas_connections_refused_total', 1, { reason: 'V1StGXR8_Z5jdHi6B-myT' });
    m.inc('planvas_connections_refused_total', 1, { nonsense: 'x' });
    m.inc('planvas_connections_refused_total', 1);
    const text = m.render();
    expect(text).not.toContain('10.0.0.7');
    expect(text).not.toContain('V1StGXR8');
    expect(text).not.toContain('nonsense');
    expect(sampleValue(parsePrometheus(text), 'planvas_connections_refused_total', { reason: 'other' })).toBe(4);
  });

  it('escapes label values per the text format', () => {
    expect(escapeLabelValue('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
    const m = new Metrics({ version: 'v"1\\\n' });
    const f = parsePrometheus(m.render());
    expect(sampleValue(f, 'planvas_build_info', { version: 'v"1\\\n' })).toBe(1);
  });

  it('renders histograms with cumulative buckets, +Inf, _sum and _count', () => {
    const m = new Metrics();
    for (const s of [0.0001, 0.003, 0.003, 0.2, 42]) m.observe('planvas_storage_seconds', s, { op: 'appendUpdate' });
    m.observe('planvas_storage_seconds', -1, { op: 'appendUpdate' }); // nonsense is ignored
    m.observe('planvas_storage_seconds', NaN, { op: 'appendUpdate' });
    expect(m.histogram('planvas_storage_seconds', { op: 'appendUpdate' })).toEqual({ count: 5, sum: expect.closeTo(42.2061, 6) as number });
    const f = parsePrometheus(m.render());
    const fam = f.get('planvas_storage_seconds')!;
    expect(fam.type).toBe('histogram');
    const bucket = (le: string) => sampleValue(f, 'planvas_storage_seconds_bucket', { op: 'appendUpdate', le });
    expect(bucket('0.0005')).toBe(1);
    expect(bucket('0.005')).toBe(3);
    expect(bucket('0.25')).toBe(4);
    expect(bucket('10')).toBe(4);
    expect(bucket('+Inf')).toBe(5);
    expect(sampleValue(f, 'planvas_storage_seconds_count', { op: 'appendUpdate' })).toBe(5);
    expect(fam.samples.filter((s) => s.name.endsWith('_bucket'))).toHaveLength(HISTOGRAM_BUCKETS.length + 1);
  });

  it('shows set-only gauges once set, and process memory at render time', () => {
    const m = new Metrics();
    let f = parsePrometheus(m.render());
    expect(sampleValue(f, 'planvas_fanout_connected')).toBeUndefined();
    expect(sampleValue(f, 'planvas_held_edits')).toBe(0);
    m.set('planvas_fanout_connected', 1);
    m.set('planvas_fanout_lag_seconds', 0.012);
    f = parsePrometheus(m.render());
    expect(sampleValue(f, 'planvas_fanout_connected')).toBe(1);
    expect(sampleValue(f, 'planvas_fanout_lag_seconds')).toBe(0.012);
    expect(sampleValue(f, 'process_resident_memory_bytes')).toBeGreaterThan(1e6);
    expect(sampleValue(f, 'nodejs_heap_used_bytes')).toBeGreaterThan(0);
    expect(sampleValue(f, 'nodejs_external_memory_bytes')).toBeGreaterThanOrEqual(0);
    expect(sampleValue(f, 'process_uptime_seconds')).toBeGreaterThan(0);
  });

  it('reads the version from package.json for planvas_build_info', () => {
    const f = parsePrometheus(new Metrics().render());
    const info = f.get('planvas_build_info')!.samples[0]!;
    expect(info.labels.version).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('the Prometheus test parser (so that it can fail)', () => {
  it.each([
    ['sample without HELP', 'x 1\n'],
    ['bad label escape', '# HELP x h\n# TYPE x counter\nx{a="\\q"} 1\n'],
    ['non-cumulative buckets', '# HELP h h\n# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} 1\nh_sum 1\nh_count 1\n'],
    ['missing +Inf', '# HELP h h\n# TYPE h histogram\nh_bucket{le="1"} 1\nh_sum 1\nh_count 1\n'],
    ['missing _count', '# HELP h h\n# TYPE h histogram\nh_bucket{le="+Inf"} 1\nh_sum 1\n'],
    ['duplicate sample', '# HELP x h\n# TYPE x gauge\nx 1\nx 2\n'],
    ['sample of another family', '# HELP x h\n# TYPE x gauge\ny 1\n'],
    ['no final newline', '# HELP x h\n# TYPE x gauge\nx 1'],
    ['bad value', '# HELP x h\n# TYPE x gauge\nx one\n'],
  ])('rejects %s', (_name, text) => {
    expect(() => parsePrometheus(text)).toThrow();
  });
});

/** A store whose every method resolves, or rejects while `down` is set. */
function fakeStore(): { store: BoardStore; setDown(down: boolean): void } {
  let down = false;
  const call = async <T>(value: T): Promise<T> => {
    await new Promise((r) => setTimeout(r, 2));
    if (down) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    return value;
  };
  const store: BoardStore = {
    sharedLog: true,
    ping: () => call(undefined),
    identity: () => call('cluster-db'),
    sharedSecret: (c) => call(c),
    createBoard: () => call(undefined),
    getBoard: (id) => (id === 'missing' ? Promise.reject(new UnknownBoardError(id)) : call(null)),
    loadBoardState: () => call({ snapshot: null, updates: [], lastSeq: 0, corrupt: [] }),
    loadUpdatesSince: () => call({ snapshot: null, updates: [], lastSeq: 0, corrupt: [] }),
    headSeq: () => call(7),
    rotateLink: () => call(1),
    appendUpdate: () => call(1),
    appendUpdates: (_id, u) => call(u.map((_, i) => i + 1)),
    compact: () => call(undefined),
    setBoardTitle: () => call(undefined),
    logLength: () => call(0),
    deleteBoard: () => call(true),
    saveVersion: () => call(undefined),
    listVersions: () => call([]),
    getVersionState: () => call(null),
    deleteVersions: () => call(0),
    close: () => call(undefined),
  };
  return { store, setDown: (d) => (down = d) };
}

describe('instrumentStore', () => {
  it('times every call by operation and passes results and sharedLog through', async () => {
    const m = new Metrics();
    const { store } = fakeStore();
    const s = instrumentStore(store, m);
    expect(s.sharedLog).toBe(true);
    expect(await s.headSeq('b')).toBe(7);
    expect(await s.appendUpdates('b', [new Uint8Array(1), new Uint8Array(1)])).toEqual([1, 2]);
    await s.appendUpdates('b', []);
    const h = m.histogram('planvas_storage_seconds', { op: 'appendUpdates' });
    expect(h.count).toBe(2);
    expect(h.sum).toBeGreaterThan(0.001);
    expect(m.histogram('planvas_storage_seconds', { op: 'headSeq' }).count).toBe(1);
    expect(m.get('planvas_storage_available')).toBe(1);
    expect(m.get('planvas_errors_total', { kind: 'storage' })).toBe(0);
  });

  it('has a label value for every BoardStore method it times', async () => {
    const m = new Metrics();
    const s = instrumentStore(fakeStore().store, m);
    const calls: Record<string, () => Promise<unknown>> = {
      ping: () => s.ping(), identity: () => s.identity!(), sharedSecret: () => s.sharedSecret('x'), createBoard: () => s.createBoard({ id: 'a', title: 't', createdAt: '' }, new Uint8Array()),
      getBoard: () => s.getBoard('a'), loadBoardState: () => s.loadBoardState('a'), loadUpdatesSince: () => s.loadUpdatesSince('a', 0),
      headSeq: () => s.headSeq('a'), rotateLink: () => s.rotateLink('a', 'edit'), appendUpdate: () => s.appendUpdate('a', new Uint8Array()),
      appendUpdates: () => s.appendUpdates('a', []), compact: () => s.compact('a', new Uint8Array(), 1), setBoardTitle: () => s.setBoardTitle('a', 't'),
      logLength: () => s.logLength('a'), deleteBoard: () => s.deleteBoard('a'), saveVersion: () => s.saveVersion('a', { id: 'v', name: '', kind: 'auto', createdAt: '', authors: [], summary: {} as never, state: new Uint8Array() }),
      listVersions: () => s.listVersions('a'), getVersionState: () => s.getVersionState('a', 'v'), deleteVersions: () => s.deleteVersions('a', []), close: () => s.close(),
    };
    expect(Object.keys(calls).sort()).toEqual([...STORAGE_OPS].sort());
    for (const call of Object.values(calls)) await call();
    for (const op of STORAGE_OPS) expect(m.histogram('planvas_storage_seconds', { op }).count, op).toBe(1);
  });

  it('counts a failure as a storage error, marks storage unavailable, rethrows, and recovers on success', async () => {
    const m = new Metrics();
    const fake = fakeStore();
    const s = instrumentStore(fake.store, m);
    await s.ping();
    expect(m.get('planvas_storage_available')).toBe(1);
    fake.setDown(true);
    await expect(s.appendUpdate('b', new Uint8Array(1))).rejects.toThrow(/ECONNREFUSED/);
    await expect(s.ping()).rejects.toThrow();
    expect(m.get('planvas_storage_available')).toBe(0);
    expect(m.get('planvas_errors_total', { kind: 'storage' })).toBe(2);
    expect(m.histogram('planvas_storage_seconds', { op: 'appendUpdate' }).count).toBe(1);
    fake.setDown(false);
    await s.ping();
    expect(m.get('planvas_storage_available')).toBe(1);
    expect(m.get('planvas_errors_total', { kind: 'storage' })).toBe(2);
  });

  it('does not count an answer from the database (unknown board, constraint) as unavailability', async () => {
    const m = new Metrics();
    const s = instrumentStore(fakeStore().store, m);
    await expect(s.getBoard('missing')).rejects.toBeInstanceOf(UnknownBoardError);
    expect(m.get('planvas_errors_total', { kind: 'storage' })).toBe(0);
    expect(m.get('planvas_storage_available')).toBe(1);
    expect(isAnswerFromDatabase(Object.assign(new Error('dup'), { code: 'SQLITE_CONSTRAINT_PRIMARYKEY' }))).toBe(true);
    expect(isAnswerFromDatabase(Object.assign(new Error('dup'), { code: '23505' }))).toBe(true);
    expect(isAnswerFromDatabase(Object.assign(new Error('down'), { code: '57P01' }))).toBe(false);
    expect(isAnswerFromDatabase(Object.assign(new Error('down'), { code: 'ECONNRESET' }))).toBe(false);
    expect(isAnswerFromDatabase('a string')).toBe(false);
  });

  describe('over the real SQLite store', () => {
    let dir: string | null = null;
    afterEach(() => {
      if (dir) removeTempDir(dir);
      dir = null;
    });

    it('times real calls and keeps their results', async () => {
      dir = makeTempDir('planvas-instrumented-');
      const m = new Metrics();
      const s = instrumentStore(openSqliteStore(dir), m);
      const now = new Date().toISOString();
      try {
        expect(s.sharedLog).toBe(false);
        await s.createBoard({ id: 'board1', title: 'T', createdAt: new Date().toISOString() }, newBoardUpdate('T', now));
        const seq = await s.appendUpdate('board1', newBoardUpdate('again', now));
        const state = await s.loadBoardState('board1');
        expect(state.updates.length).toBe(2);
        expect(seq).toBeGreaterThan(0);
        await expect(s.createBoard({ id: 'board1', title: 'T', createdAt: '' }, newBoardUpdate('T', now))).rejects.toThrow();
        await expect(s.loadBoardState('nope')).rejects.toBeInstanceOf(UnknownBoardError);
        expect(m.histogram('planvas_storage_seconds', { op: 'createBoard' }).count).toBe(2);
        expect(m.histogram('planvas_storage_seconds', { op: 'appendUpdate' }).count).toBe(1);
        expect(m.histogram('planvas_storage_seconds', { op: 'loadBoardState' }).count).toBe(2);
        // A duplicate id and an unknown board are answers, not outages.
        expect(m.get('planvas_errors_total', { kind: 'storage' })).toBe(0);
        expect(m.get('planvas_storage_available')).toBe(1);
      } finally {
        await s.close();
      }
      expect(m.histogram('planvas_storage_seconds', { op: 'close' }).count).toBe(1);
    });
  });
});
