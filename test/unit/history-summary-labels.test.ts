import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { initBoardDocument } from '../../shared/doc/init.ts';
import { readBoard } from '../../shared/doc/read.ts';
import { setBoardSetting } from '../../shared/doc/planOps.ts';
import { diffBoards } from '../../shared/history/diff.ts';
import { settingLabel } from '../../shared/history/summary.ts';
import { versionAuthors } from '../../client/history/versionAuthors.ts';

describe('version summaries in people’s words', () => {
  it('names changed settings as the Settings dialog does, not by their meta field', () => {
    const doc = new Y.Doc();
    initBoardDocument(doc, 'Plan', '2026-01-05T09:00:00.000Z');
    const before = readBoard(doc);
    setBoardSetting(doc, 'viewersMayComment', true);
    setBoardSetting(doc, 'workingDays', [1, 2, 3, 4]);
    setBoardSetting(doc, 'holidays', ['2026-01-06']);
    setBoardSetting(doc, 'wipLimits', { todo: 2 });
    setBoardSetting(doc, 'projectStart', '2026-02-02');
    doc.getMap('meta').set('title', 'Plan B');
    const summary = diffBoards(before, readBoard(doc));
    expect(summary.settingsChanged.map((s) => [s.id, s.title])).toEqual([
      ['holidays', 'Holidays'],
      ['projectStart', 'Project start'],
      ['title', 'Title'],
      ['viewersMayComment', 'Viewers may comment'],
      ['wipLimits', 'WIP limits'],
      ['workingDays', 'Working days'],
    ]);
  });

  it('maps every known field, and shows an unknown one (or a prototype key) as written', () => {
    expect(settingLabel('statuses')).toBe('Statuses');
    expect(settingLabel('viewersMayComment')).toBe('Viewers may comment');
    expect(settingLabel('somethingNew')).toBe('somethingNew');
    expect(settingLabel('toString')).toBe('toString');
  });

  it('reads the "API" author as edits made via the API, apart from the people', () => {
    expect(versionAuthors(['API', 'Ed', 'Pam'])).toEqual({ people: 'Ed, Pam', viaApi: true });
    expect(versionAuthors(['API'])).toEqual({ people: '', viaApi: true });
    expect(versionAuthors(['Ed'])).toEqual({ people: 'Ed', viaApi: false });
    expect(versionAuthors([])).toEqual({ people: '', viaApi: false });
  });
});
