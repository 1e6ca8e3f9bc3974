import { describe, expect, it } from 'vitest';
import { parseSettingsPatch, type BoardSettings } from './settings.ts';

const current: BoardSettings = {
  title: 'Plan',
  projectStart: '2026-01-05',
  workingDays: [1, 2, 3, 4, 5],
  holidays: [],
  statuses: [
    { key: 'todo', label: 'To do' },
    { key: 'doing', label: 'Doing' },
    { key: 'done', label: 'Done' },
  ],
  wipLimits: { doing: 3 },
  viewersMayComment: false,
};

const fieldsOf = (body: unknown) => {
  const r = parseSettingsPatch(body, current);
  return r.ok ? [] : r.problems.map((p) => p.field);
};

describe('parseSettingsPatch', () => {
  it('accepts a subset and normalises it the way every reader will read it', () => {
    expect(parseSettingsPatch({ title: '  Q3 ', workingDays: [5, 1], holidays: ['2026-12-25', '2026-01-01', '2026-01-01'] }, current)).toEqual({
      ok: true,
      patch: { title: 'Q3', workingDays: [1, 5], holidays: ['2026-01-01', '2026-12-25'] },
    });
    expect(parseSettingsPatch({}, current)).toEqual({ ok: true, patch: {} });
    expect(parseSettingsPatch({ projectStart: '' }, current)).toEqual({ ok: true, patch: { projectStart: '' } });
  });

  it.each<[string, unknown, string[]]>([
    ['not an object', [1], ['']],
    ['null', null, ['']],
    ['unknown field', { colour: 'red' }, ['colour']],
    ['blank title', { title: '  ' }, ['title']],
    ['title too long', { title: 'x'.repeat(501) }, ['title']],
    ['impossible date', { projectStart: '2026-02-30' }, ['projectStart']],
    ['no working day', { workingDays: [] }, ['workingDays']],
    ['weekday 7', { workingDays: [1, 7] }, ['workingDays[1]']],
    ['weekday twice', { workingDays: [1, 1] }, ['workingDays']],
    ['bad holiday', { holidays: ['2026-01-01', 'soon'] }, ['holidays[1]']],
    ['no statuses', { statuses: [] }, ['statuses']],
    ['duplicate key', { statuses: [{ key: 'a', label: 'A' }, { key: 'a', label: 'B' }] }, ['statuses[1].key']],
    ['extra status field', { statuses: [{ key: 'a', label: 'A', color: 'red' }] }, ['statuses[0]']],
    ['WIP limit zero', { wipLimits: { doing: 0 } }, ['wipLimits.doing']],
    ['WIP limit fraction', { wipLimits: { doing: 1.5 } }, ['wipLimits.doing']],
    ['WIP limit of an unknown status', { wipLimits: { review: 2 } }, ['wipLimits.review']],
    ['WIP limit of a status the same patch removes', { statuses: [{ key: 'todo', label: 'To do' }], wipLimits: { doing: 2 } }, ['wipLimits.doing']],
    ['comment flag as a string', { viewersMayComment: 'true' }, ['viewersMayComment']],
    ['every problem at once', { title: '', workingDays: [], viewersMayComment: 1 }, ['title', 'workingDays', 'viewersMayComment']],
  ])('refuses %s', (_name, body, fields) => {
    expect(fieldsOf(body)).toEqual(fields);
  });

  it('drops the WIP limits of removed statuses unless the patch sets the limits itself', () => {
    const removeDoing = { statuses: [{ key: 'todo', label: 'To do' }, { key: 'done', label: 'Done' }] };
    expect(parseSettingsPatch(removeDoing, current)).toEqual({ ok: true, patch: { ...removeDoing, wipLimits: {} } });
    expect(parseSettingsPatch({ ...removeDoing, wipLimits: { done: 9 } }, current)).toEqual({ ok: true, patch: { ...removeDoing, wipLimits: { done: 9 } } });
    // Statuses that keep every limited key leave the limits alone.
    const rename = { statuses: current.statuses.map((s) => ({ ...s, label: s.label.toUpperCase() })) };
    expect(parseSettingsPatch(rename, current)).toEqual({ ok: true, patch: rename });
  });
});
