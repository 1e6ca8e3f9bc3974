import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { documentVersion, migrateDocument, MIGRATIONS } from '../../shared/doc/migrations.ts';
import { initBoardDocument, newBoardUpdate } from '../../shared/doc/init.ts';
import { readMeta } from '../../shared/doc/read.ts';
import { applyTextDiff } from '../../shared/doc/text.ts';
import { SCHEMA_VERSION } from '../../shared/schema/version.ts';

describe('text diff into a Y.Text', () => {
  it('turns any text into any other', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (before, after) => {
        const doc = new Y.Doc();
        const text = doc.getText('t');
        text.insert(0, before);
        applyTextDiff(text, after);
        expect(text.toString()).toBe(after);
      }),
    );
  });

  it('touches only the changed middle', () => {
    const doc = new Y.Doc();
    const text = doc.getText('t');
    text.insert(0, 'hello world');
    const deltas: unknown[] = [];
    text.observe((e) => deltas.push(e.delta));
    applyTextDiff(text, 'hello brave world');
    expect(deltas).toEqual([[{ retain: 6 }, { insert: 'brave ' }]]);
  });
});

describe('schema migrations', () => {
  it('has a contiguous, ordered list that ends at the current version', () => {
    expect(MIGRATIONS.map((m) => m.to)).toEqual(Array.from({ length: SCHEMA_VERSION }, (_, i) => i + 1));
  });

  it('upgrades a board a third-party client made without meta, and runs every migration', () => {
    const doc = new Y.Doc();
    doc.getMap('tasks').set('t', new Y.Map());
    expect(documentVersion(doc)).toBe(0);
    expect(migrateDocument(doc)).toEqual({ applied: MIGRATIONS.map((m) => m.to), newer: false });
    expect(documentVersion(doc)).toBe(SCHEMA_VERSION);
    expect(migrateDocument(doc).applied).toEqual([]);
  });

  it('leaves a board from a newer schema untouched', () => {
    const doc = new Y.Doc();
    doc.getMap('meta').set('schemaVersion', SCHEMA_VERSION + 1);
    expect(migrateDocument(doc)).toEqual({ applied: [], newer: true });
    expect(documentVersion(doc)).toBe(SCHEMA_VERSION + 1);
  });

  it('version 2 turns v1 tasks into planner tasks: assignees, duration, outline rank, project start', () => {
    const doc = new Y.Doc();
    doc.transact(() => {
      const meta = doc.getMap('meta');
      meta.set('schemaVersion', 1);
      meta.set('createdAt', '2026-03-01T10:00:00.000Z');
      const tasks = doc.getMap('tasks');
      const add = (id: string, fields: Record<string, unknown>) => {
        const e = new Y.Map<unknown>();
        for (const [k, v] of Object.entries(fields)) e.set(k, v);
        tasks.set(id, e);
      };
      add('low', { title: 'Lower', x: 0, y: 500, assignee: 'Ada', start: '2026-02-02', end: '2026-02-06' });
      add('top', { title: 'Top', x: 300, y: 10, assignee: '', end: '2026-03-10' });
    });
    expect(migrateDocument(doc).applied).toEqual([2]);
    const tasks = doc.getMap('tasks');
    const low = (tasks.get('low') as Y.Map<unknown>).toJSON();
    const top = (tasks.get('top') as Y.Map<unknown>).toJSON();
    expect(low).toMatchObject({ assignees: ['Ada'], duration: 5 });
    expect(low).not.toHaveProperty('assignee');
    expect(low).not.toHaveProperty('end');
    expect(top).toMatchObject({ assignees: [], start: '2026-03-10', duration: 1 });
    expect(top.rank < low.rank).toBe(true); // reading order: the higher card first
    expect(doc.getMap('meta').get('projectStart')).toBe('2026-02-02');
    // Idempotent: a second peer running it changes nothing.
    const before = JSON.stringify(doc.toJSON());
    MIGRATIONS.find((m) => m.to === 2)!.up(doc);
    expect(JSON.stringify(doc.toJSON())).toBe(before);
  });

  it('a new board starts at the current version with its title', () => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, newBoardUpdate('Launch plan', '2026-01-01T00:00:00.000Z'));
    expect(readMeta(doc)).toMatchObject({ title: 'Launch plan', schemaVersion: SCHEMA_VERSION, createdAt: '2026-01-01T00:00:00.000Z', projectStart: '2026-01-01' });
    initBoardDocument(doc, 'x'.repeat(1000), '');
    expect(readMeta(doc).title).toHaveLength(500);
  });
});
