import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { initBoardDocument } from '../../shared/doc/init.ts';
import { createDependency, createTask, updateShape } from '../../shared/doc/ops.ts';
import { readBoard } from '../../shared/doc/read.ts';
import { setBoardSetting } from '../../shared/doc/planOps.ts';
import { describeChange, previewRows } from '../../client/history/previewRows.ts';
import { comparePlans } from '../../client/history/planChanges.ts';

const TODAY = '2026-01-05';

/** Design (2 d) -> Build (3 d) -> Ship (1 d), and Docs on its own; Mon 5 Jan 2026 start. */
function chain() {
  const doc = new Y.Doc();
  initBoardDocument(doc, 'Plan', '2026-01-05T09:00:00.000Z');
  const design = createTask(doc, { title: 'Design', x: 0, y: 0, duration: 2 });
  const build = createTask(doc, { title: 'Build', x: 300, y: 0, duration: 3 });
  const ship = createTask(doc, { title: 'Ship', x: 600, y: 0, duration: 1 });
  const docs = createTask(doc, { title: 'Docs', x: 0, y: 300, duration: 2 });
  for (const [from, to] of [
    [design, build],
    [build, ship],
  ] as const) {
    if (!('id' in createDependency(doc, from, to))) throw new Error('link refused');
  }
  return { doc, design, build, ship, docs };
}

describe('compare with now by scheduled dates (client/history/previewRows.ts, planChanges.ts)', () => {
  it('marks successors whose dates moved only because a predecessor grew, with their dates now', () => {
    const { doc, design, build, ship, docs } = chain();
    const version = readBoard(doc);
    updateShape(doc, design, { duration: 4 }); // +2 working days: Build and Ship slip by two days.
    const rows = previewRows(version, readBoard(doc), TODAY);
    const byId = new Map(rows.map((r) => [r.id, r]));

    expect(byId.get(design)).toMatchObject({ start: '2026-01-05', finish: '2026-01-06', nowStart: '2026-01-05', nowFinish: '2026-01-08' });
    expect(describeChange(byId.get(design)!.change!)).toBe('Changed: rescheduled');

    expect(byId.get(build)).toMatchObject({ start: '2026-01-07', finish: '2026-01-09', nowStart: '2026-01-09', nowFinish: '2026-01-13' });
    expect(byId.get(build)!.change).toMatchObject({ kind: 'changed', rescheduled: false, datesMoved: true, movedBy: 'links', fields: [] });
    expect(describeChange(byId.get(build)!.change!)).toBe('Changed: rescheduled (by its links)');

    expect(byId.get(ship)).toMatchObject({ start: '2026-01-12', finish: '2026-01-12', nowStart: '2026-01-14', nowFinish: '2026-01-14' });
    expect(describeChange(byId.get(ship)!.change!)).toBe('Changed: rescheduled (by its links)');

    // Untouched and not downstream: no change, no "now" dates.
    expect(byId.get(docs)!.change).toBeUndefined();
    expect(byId.get(docs)!.nowStart).toBeUndefined();
  });

  it('a task that is only renamed while its predecessor slipped says both; a canvas move alone moves no dates', () => {
    const { doc, design, build, ship } = chain();
    const version = readBoard(doc);
    updateShape(doc, design, { duration: 3 });
    updateShape(doc, build, { title: 'Build it' });
    updateShape(doc, ship, { x: 900 });
    const { changes } = comparePlans(version, readBoard(doc), TODAY);
    const buildChange = changes.get(build)!;
    expect(describeChange(buildChange)).toBe('Changed: renamed, rescheduled (by its links)');
    // Ship moved on the canvas AND slipped one day through the chain.
    expect(describeChange(changes.get(ship)!)).toBe('Changed: rescheduled (by its links), moved');
    expect(changes.get(ship)).toMatchObject({ moved: true, datesMoved: true });
  });

  it('names the calendar when a holiday pushes a task with no links, and no change when dates did not move', () => {
    const { doc, docs, design } = chain();
    const version = readBoard(doc);
    // Tuesday 6 Jan becomes a holiday: every task running over it finishes a day later.
    setBoardSetting(doc, 'holidays', ['2026-01-06']);
    const rows = previewRows(version, readBoard(doc), TODAY);
    const docsRow = rows.find((r) => r.id === docs)!;
    expect(docsRow).toMatchObject({ finish: '2026-01-06', nowFinish: '2026-01-07' });
    expect(describeChange(docsRow.change!)).toBe('Changed: rescheduled (by the calendar)');
    expect(describeChange(rows.find((r) => r.id === design)!.change!)).toBe('Changed: rescheduled (by the calendar)');

    // Compared with itself: nothing differs.
    expect(previewRows(version, version, TODAY).every((r) => r.change === undefined)).toBe(true);
  });

  it('names the subtasks when a summary task grows because a child did', () => {
    const doc = new Y.Doc();
    initBoardDocument(doc, 'Plan', '2026-01-05T09:00:00.000Z');
    const phase = createTask(doc, { title: 'Phase', duration: 1 });
    const child = createTask(doc, { title: 'Child', duration: 2 });
    updateShape(doc, child, { parent: phase });
    const version = readBoard(doc);
    updateShape(doc, child, { duration: 5 });
    const { changes } = comparePlans(version, readBoard(doc), TODAY);
    expect(describeChange(changes.get(child)!)).toBe('Changed: rescheduled');
    expect(describeChange(changes.get(phase)!)).toBe('Changed: rescheduled (by its subtasks)');
  });
});
