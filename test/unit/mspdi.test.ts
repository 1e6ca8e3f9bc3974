import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { initBoardDocument } from '../../shared/doc/init.ts';
import { createTask } from '../../shared/doc/ops.ts';
import { readBoard } from '../../shared/doc/read.ts';
import { applyMspdi, lagDays, parseIsoDuration, parseMspdi, type MspdiPlan } from '../../shared/formats/mspdi/index.ts';
import { scheduleReport } from '../../shared/planning/report.ts';
import { ROOT } from '../helpers/server.ts';

const FIXTURES = path.join(ROOT, 'test/fixtures/mspdi');

function fixture(name: string): string {
  return fs.readFileSync(path.join(FIXTURES, name), 'utf8');
}

function planOf(xml: string): { plan: MspdiPlan; warnings: string[] } {
  const result = parseMspdi(xml);
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.errors)}`);
  return { plan: result.plan, warnings: result.warnings };
}

function newBoard(createdAt = '2026-01-01T00:00:00.000Z'): Y.Doc {
  const doc = new Y.Doc();
  initBoardDocument(doc, 'Plan', createdAt);
  return doc;
}

/** Imports into a fresh board and returns the schedule per task title (titles must be unique in the caller's use). */
function importAndSchedule(xml: string) {
  const { plan } = planOf(xml);
  const doc = newBoard();
  const result = applyMspdi(doc, plan, 'import');
  const board = readBoard(doc);
  const report = scheduleReport({ ...board, today: '2026-01-05' });
  return { doc, board, report, result, plan };
}

describe('MSPDI fixtures saved by MS Project', () => {
  it('Project 2003 task links: 8 tasks, FS links with lags of 0, 1, 2 days and 1 week, scheduled on the dates MS Project computed', () => {
    const xml = fixture('project2003-task-links.xml');
    const { plan, warnings } = planOf(xml);
    expect(warnings).toEqual([]);
    expect(plan.tasks.map((t) => t.uid)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(plan.tasks.every((t) => t.duration === 1 && t.parentUid === null && t.mode === 'auto')).toBe(true);
    expect(plan.links).toEqual([
      { from: 1, to: 2, type: 'FS', lag: 0 },
      { from: 3, to: 4, type: 'FS', lag: 1 },
      { from: 5, to: 6, type: 'FS', lag: 2 },
      // LinkLag 24000 tenths of minutes with LagFormat 9 (weeks) = 1 week = 5 working days.
      { from: 7, to: 8, type: 'FS', lag: 5 },
    ]);
    expect(plan.projectStart).toBe('2014-10-17');

    const { report, result, board } = importAndSchedule(xml);
    expect(result).toEqual({ tasks: 8, dependencies: 4, baselines: 0, projectStart: '2014-10-17' });
    expect(board.meta.workingDays).toEqual([1, 2, 3, 4, 5]);
    // The Start of each task as MS Project saved it in the file.
    const msProjectStarts = [...xml.slice(xml.indexOf('<Tasks>')).matchAll(/<UID>(\d+)<\/UID>.*?<Start>(\d{4}-\d{2}-\d{2})T/g)].filter((m) => m[1] !== '0').map((m) => m[2]);
    expect(report.tasks.map((t) => t.earlyStart)).toEqual(msProjectStarts);
    expect(report.projectFinish).toBe('2014-10-27');
  });

  it('Project 2010 task links: SaveVersion 14 file, "start no earlier than" constraints, one FS link', () => {
    const { plan, warnings } = planOf(fixture('project2010-task-links.xml'));
    expect(warnings).toEqual([]);
    expect(plan.tasks.map((t) => [t.title, t.start, t.duration])).toEqual([
      ['Task 1', '2014-10-17', 1],
      ['Task 2', '2014-10-20', 1],
    ]);
    expect(plan.links).toEqual([{ from: 1, to: 2, type: 'FS', lag: 0 }]);
    const { report } = importAndSchedule(fixture('project2010-task-links.xml'));
    expect(report.tasks.map((t) => [t.earlyStart, t.earlyFinish])).toEqual([
      ['2014-10-17', '2014-10-17'],
      ['2014-10-20', '2014-10-20'],
    ]);
  });

  it('Project 2003 baselines: a 7.5-hour day (MinutesPerDay 450), Baselines 1-10 with dates, durations and costs (hundredths)', () => {
    const { plan, warnings } = planOf(fixture('project2003-baselines.xml'));
    expect(warnings).toEqual([]);
    expect(plan.title).toBe('project1');
    expect(plan.tasks).toHaveLength(1);
    // PT7H30M0S at 450 minutes a day is exactly one day.
    expect(plan.tasks[0]).toMatchObject({ uid: 1, title: 'Task One', duration: 1, assignees: [] });
    expect(plan.baselines.map((b) => b.name)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((n) => `Baseline ${n}`));
    expect(plan.baselines[2]!.tasks['1']).toEqual({ start: '2001-01-03', finish: '2000-01-03', duration: 3, cost: 3 });

    const { doc, result, report } = importAndSchedule(fixture('project2003-baselines.xml'));
    expect(result).toMatchObject({ tasks: 1, baselines: 10, projectStart: '2008-01-30' });
    const board = readBoard(doc);
    const taskId = [...board.tasks.keys()][0]!;
    const baseline3 = board.baselines.find((b) => b.name === 'Baseline 3')!;
    expect(baseline3.tasks[taskId]).toEqual({ start: '2001-01-03', finish: '2000-01-03', duration: 3, cost: 3 });
    expect(report.tasks[0]).toMatchObject({ earlyStart: '2008-01-30', earlyFinish: '2008-01-30' });
  });

  it('Project 2019 baselines: manually scheduled tasks keep their dates; cost-only baselines are reported, not imported', () => {
    const { plan, warnings } = planOf(fixture('project2019-task-baselines.xml'));
    expect(plan.tasks.map((t) => [t.title, t.mode, t.start])).toEqual([
      ['Baseline Cost - Task', 'manual', '2018-10-18'],
      ['Baseline1 Cost - Task', 'manual', '2018-10-18'],
    ]);
    expect(plan.baselines).toEqual([]);
    expect(warnings).toEqual([
      'Task UID 1 "Baseline Cost - Task": Baseline 0 has no start and finish (only a cost); it was not imported for this task',
      'Task UID 2 "Baseline1 Cost - Task": Baseline 1 has no start and finish (only a cost); it was not imported for this task',
    ]);
    const { report, result } = importAndSchedule(fixture('project2019-task-baselines.xml'));
    expect(result.baselines).toBe(0);
    expect(report.tasks.map((t) => t.earlyStart)).toEqual(['2018-10-18', '2018-10-18']);
  });
});

/** Hand-written MSPDI (not saved by MS Project): the parts the real fixtures above do not cover. */
function handWritten(tasks: string, extra = '', head = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<Project xmlns="http://schemas.microsoft.com/project"><Name>hand.xml</Name>${head}<StartDate>2026-01-05T08:00:00</StartDate><MinutesPerDay>480</MinutesPerDay>
<Tasks><Task><UID>0</UID><ID>0</ID><Name>Project summary</Name><OutlineLevel>0</OutlineLevel></Task>${tasks}</Tasks>${extra}</Project>`;
}

function task(uid: number, name: string, body = ''): string {
  return `<Task><UID>${uid}</UID><ID>${uid}</ID><Name>${name}</Name>${body}</Task>`;
}

function link(from: number, type: number, lag = 0, format = 7, cross = 0): string {
  return `<PredecessorLink><PredecessorUID>${from}</PredecessorUID><Type>${type}</Type><CrossProject>${cross}</CrossProject><LinkLag>${lag}</LinkLag><LagFormat>${format}</LagFormat></PredecessorLink>`;
}

describe('MSPDI task fields (hand-written XML)', () => {
  it('reads hierarchy from OutlineLevel, milestones, % complete, costs in hundredths, notes, and assignments by resource name', () => {
    const xml = handWritten(
      [
        task(1, 'Phase A', '<OutlineNumber>1</OutlineNumber><OutlineLevel>1</OutlineLevel><Summary>1</Summary><Duration>PT80H0M0S</Duration><Cost>999900</Cost>'),
        task(2, 'Design &amp; plan', '<OutlineNumber>1.1</OutlineNumber><OutlineLevel>2</OutlineLevel><Duration>PT40H0M0S</Duration><PercentComplete>40</PercentComplete><Cost>150050</Cost><ActualCost>60000</ActualCost><Notes>Line 1&#13;&#10;Line 2 &lt;b&gt;</Notes>'),
        task(3, 'Sign-off', `<OutlineNumber>1.2</OutlineNumber><OutlineLevel>2</OutlineLevel><Duration>PT0H0M0S</Duration><Milestone>1</Milestone>${link(2, 1)}`),
        task(4, 'Phase B', '<OutlineLevel>1</OutlineLevel><Duration>PT12H0M0S</Duration>'),
        task(5, 'Blank row', '<IsNull>1</IsNull>'),
      ].join(''),
      `<Resources><Resource><UID>0</UID><ID>0</ID></Resource><Resource><UID>1</UID><ID>1</ID><Name>Ana</Name></Resource><Resource><UID>2</UID><ID>2</ID><Name>Bo</Name></Resource></Resources>
       <Assignments><Assignment><UID>1</UID><TaskUID>2</TaskUID><ResourceUID>2</ResourceUID></Assignment><Assignment><UID>2</UID><TaskUID>2</TaskUID><ResourceUID>1</ResourceUID></Assignment><Assignment><UID>3</UID><TaskUID>3</TaskUID><ResourceUID>-65535</ResourceUID></Assignment></Assignments>`,
    );
    const { plan, warnings } = planOf(xml);
    expect(plan.tasks.map((t) => [t.uid, t.title, t.parentUid, t.summary])).toEqual([
      [1, 'Phase A', null, true],
      [2, 'Design & plan', 1, false],
      [3, 'Sign-off', 1, false],
      [4, 'Phase B', null, false],
    ]);
    const design = plan.tasks[1]!;
    expect(design).toMatchObject({ duration: 5, progress: 40, cost: 1500.5, actualCost: 600, assignees: ['Bo', 'Ana'], description: 'Line 1\nLine 2 <b>' });
    expect(plan.tasks[2]).toMatchObject({ milestone: true, duration: 0, assignees: [] });
    // A summary's own cost and dates roll up in Planvas.
    expect(plan.tasks[0]).toMatchObject({ cost: 0, start: '' });
    // 12 hours is 1.5 days: rounded up, and said so.
    expect(plan.tasks[3]!.duration).toBe(2);
    expect(warnings).toEqual(['Task UID 4 "Phase B": duration of 1.5 days rounded up to 2 days']);

    const doc = newBoard();
    applyMspdi(doc, plan);
    const board = readBoard(doc);
    const byTitle = new Map([...board.tasks.values()].map((t) => [t.title, t]));
    expect(byTitle.get('Design & plan')!.parent).toBe(byTitle.get('Phase A')!.id);
    expect(byTitle.get('Design & plan')!.description).toBe('Line 1\nLine 2 <b>');
    expect(byTitle.get('Sign-off')!.milestone).toBe(true);
    const report = scheduleReport({ ...board, today: '2026-01-05' });
    const at = new Map(report.tasks.map((t) => [t.title, t]));
    expect(at.get('Design & plan')).toMatchObject({ earlyStart: '2026-01-05', earlyFinish: '2026-01-09' });
    // A milestone after a finish shows on its predecessor's last day, as in MS Project.
    expect(at.get('Sign-off')).toMatchObject({ earlyStart: '2026-01-09' });
    expect(at.get('Phase A')).toMatchObject({ earlyStart: '2026-01-05' });
  });

  it('reads every link type with its lag, and skips links Planvas refuses, each with a warning', () => {
    const xml = handWritten(
      [
        task(1, 'A', '<OutlineLevel>1</OutlineLevel><Duration>PT32H0M0S</Duration>'),
        task(2, 'B', `<OutlineLevel>1</OutlineLevel><Duration>PT8H0M0S</Duration>${link(1, 3, 9600)}${link(1, 1, 0)}`),
        task(3, 'C', `<OutlineLevel>1</OutlineLevel><Duration>PT8H0M0S</Duration>${link(2, 0, -4800)}${link(99, 1)}${link(1, 1, 0, 7, 1)}`),
        task(4, 'D', `<OutlineLevel>1</OutlineLevel><Duration>PT8H0M0S</Duration>${link(3, 2, 50, 19)}${link(4, 1)}`),
        task(5, 'E', `<OutlineLevel>1</OutlineLevel><Duration>PT8H0M0S</Duration>${link(4, 1, 14400, 8)}${link(0, 1)}`),
        task(6, 'F', `<OutlineLevel>1</OutlineLevel><Duration>PT8H0M0S</Duration>${link(5, 1)}`),
        // Closes a loop E -> F -> E: the last link in file order goes.
        task(7, 'G', `<OutlineLevel>1</OutlineLevel><Duration>PT8H0M0S</Duration>`),
      ].join('').replace('<Name>E</Name><OutlineLevel>1</OutlineLevel><Duration>PT8H0M0S</Duration>', `<Name>E</Name><OutlineLevel>1</OutlineLevel><Duration>PT8H0M0S</Duration>${link(6, 1)}`),
    );
    const { plan, warnings } = planOf(xml);
    expect(plan.links).toEqual([
      { from: 1, to: 2, type: 'SS', lag: 2 },
      { from: 2, to: 3, type: 'FF', lag: -1 },
      // 50% of a 1-day predecessor is half a day: rounded to the nearest day.
      { from: 3, to: 4, type: 'SF', lag: 1 },
      { from: 6, to: 5, type: 'FS', lag: 0 },
      { from: 4, to: 5, type: 'FS', lag: 1 },
    ]);
    expect(warnings).toEqual([
      'Task UID 2: a second link from UID 1 was skipped (Planvas keeps one link per pair of tasks)',
      'Task UID 3: the link from UID 99 was skipped: no such task in the file',
      "Task UID 3: the link from another project's task (UID 1) was skipped",
      'Task UID 4: the lag of 0.5 days from UID 3 was rounded to 1 working days',
      'Task UID 4: a link from the task to itself was skipped',
      'Task UID 5: the elapsed lag of 0.71 days from UID 4 was rounded to 1 working days',
      'Task UID 5: the link from UID 0 was skipped: UID 0 is the project summary task',
      'Task UID 6: the link from UID 5 was skipped: it closes a loop of links',
    ]);
  });

  it('skips a link between a summary task and its own subtask', () => {
    const xml = handWritten(
      task(1, 'Summary', '<OutlineLevel>1</OutlineLevel>') + task(2, 'Child', `<OutlineLevel>2</OutlineLevel>${link(1, 1)}`),
    );
    const { plan, warnings } = planOf(xml);
    expect(plan.links).toEqual([]);
    expect(warnings).toEqual(['Task UID 2: the link from UID 1 was skipped: it joins a summary task and its own subtask']);
  });

  it('reads the project calendar: working weekdays and one-off non-working exceptions in both the 2003 and 2010 forms', () => {
    const weekDays = [1, 2, 3, 4, 5, 6, 7].map((d) => `<WeekDay><DayType>${d}</DayType><DayWorking>${d === 1 || d === 2 ? 0 : 1}</DayWorking></WeekDay>`).join('');
    const calendar = `<CalendarUID>3</CalendarUID><Calendars><Calendar><UID>1</UID><Name>Other</Name></Calendar><Calendar><UID>3</UID><Name>Tue-Sat</Name><IsBaseCalendar>1</IsBaseCalendar><WeekDays>${weekDays}
      <WeekDay><DayType>0</DayType><DayWorking>0</DayWorking><TimePeriod><FromDate>2026-12-24T00:00:00</FromDate><ToDate>2026-12-26T23:59:00</ToDate></TimePeriod></WeekDay></WeekDays>
      <Exceptions><Exception><TimePeriod><FromDate>2026-05-01T00:00:00</FromDate><ToDate>2026-05-01T23:59:00</ToDate></TimePeriod><Occurrences>1</Occurrences><Name>May Day</Name><Type>1</Type><DayWorking>0</DayWorking></Exception>
      <Exception><TimePeriod><FromDate>2026-01-01T00:00:00</FromDate><ToDate>2030-01-01T23:59:00</ToDate></TimePeriod><Name>New Year</Name><Type>7</Type><DayWorking>0</DayWorking></Exception>
      <Exception><TimePeriod><FromDate>2026-03-01T00:00:00</FromDate><ToDate>2026-03-01T23:59:00</ToDate></TimePeriod><Name>Sunday shift</Name><Type>1</Type><DayWorking>1</DayWorking></Exception></Exceptions></Calendar></Calendars>`;
    const { plan, warnings } = planOf(handWritten(task(1, 'A'), '', calendar));
    expect(plan.calendar).toEqual({ workingDays: [2, 3, 4, 5, 6], holidays: ['2026-05-01', '2026-12-24', '2026-12-25', '2026-12-26'] });
    expect(warnings).toEqual([
      'Calendar "Tue-Sat": the recurring exception "New Year" was not imported (only one-off non-working days become holidays)',
      'Calendar "Tue-Sat": the working exception "Sunday shift" (2026-03-01 to 2026-03-01) was not imported; Planvas calendars only have non-working dates',
    ]);
  });
});

describe('MSPDI durations and lags', () => {
  it.each([
    ['PT40H0M0S', 2400],
    ['PT7H30M0S', 450],
    ['PT0H0M0S', 0],
    ['P1DT4H', 1680],
    ['-PT8H0M0S', -480],
    ['PT0.5H', 30],
  ])('xsd:duration %s = %d minutes', (text, minutes) => {
    expect(parseIsoDuration(text)).toBe(minutes);
  });

  it.each(['', 'P', 'PT', '40h', 'PT-1H', 'abc'])('%j is not a duration', (text) => {
    expect(parseIsoDuration(text)).toBeNull();
  });

  // LinkLag is always in tenths of minutes (of working time; of wall-clock time for elapsed
  // formats); LagFormat only picks the unit MS Project shows. Percent lags are percent.
  it.each([
    // linkLag, LagFormat, MinutesPerDay, predecessor days -> working days, inexact, elapsed
    [0, 7, 480, 1, 0, false, false],
    [4800, 7, 480, 1, 1, false, false], // 1 day
    [-9600, 7, 480, 1, -2, false, false], // 2-day lead
    [24000, 9, 480, 1, 5, false, false], // 1 week shown as "1w"
    [4800, 5, 480, 1, 1, false, false], // 8 hours shown as "8h"
    [2400, 5, 480, 1, 1, true, false], // 4 hours = half a day, rounds to 1
    [1200, 3, 480, 1, 0, true, false], // 120 minutes shown as "120m" = 0.25 day
    [4500, 7, 450, 1, 1, false, false], // a 7.5-hour day
    [4800, 39, 480, 1, 1, false, false], // "1d?" (estimated)
    [14400, 8, 480, 1, 1, true, true], // 1 elapsed day = 5/7 working day
    [100800, 10, 480, 1, 5, false, true], // 1 elapsed week = 5 working days
    [50, 19, 480, 4, 2, false, false], // 50% of a 4-day predecessor
  ])('LinkLag %d, LagFormat %d, MinutesPerDay %d (predecessor %d days) -> %d days', (linkLag, format, perDay, predecessor, days, inexact, elapsed) => {
    const converted = lagDays(linkLag, format, perDay, 5, predecessor);
    expect(converted.days).toBe(days);
    expect(converted.inexact !== undefined).toBe(inexact);
    expect(converted.elapsed === true).toBe(elapsed);
  });
});

describe('MSPDI import into a board', () => {
  it('is one transaction: one update, after the existing tasks; an existing board keeps its calendar and project start', () => {
    const doc = newBoard('2026-01-01T00:00:00.000Z');
    createTask(doc, { title: 'Existing', start: '2026-02-02' });
    doc.getMap('meta').set('holidays', ['2026-02-03']);
    const { plan } = planOf(fixture('project2010-task-links.xml'));
    let updates = 0;
    doc.on('update', () => updates++);
    const result = applyMspdi(doc, plan, 'me');
    expect(updates).toBe(1);
    // The plan starts in 2014, before the board: the project start moves back, the calendar stays.
    expect(result).toEqual({ tasks: 2, dependencies: 1, baselines: 0, projectStart: '2014-10-17' });
    const board = readBoard(doc);
    expect(board.meta.holidays).toEqual(['2026-02-03']);
    expect(board.tasks.size).toBe(3);
  });

  it('undoes as one step for the importing user', () => {
    const doc = newBoard();
    const undo = new Y.UndoManager([doc.getMap('tasks'), doc.getMap('deps'), doc.getMap('baselines'), doc.getMap('meta')], { trackedOrigins: new Set(['me']) });
    applyMspdi(doc, planOf(fixture('project2003-baselines.xml')).plan, 'me');
    expect(readBoard(doc).baselines).toHaveLength(10);
    undo.undo();
    const board = readBoard(doc);
    expect(board.tasks.size).toBe(0);
    expect(board.baselines).toHaveLength(0);
  });
});

describe('MSPDI hostile and broken input fails cleanly and fast', () => {
  const fails = (xml: string, pattern: RegExp) => {
    const started = performance.now();
    const result = parseMspdi(xml);
    const elapsed = performance.now() - started;
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((e) => e.message).join('; ')).toMatch(pattern);
    expect(elapsed).toBeLessThan(3000);
  };

  it('entity expansion ("billion laughs") is refused before parsing', () => {
    const lol = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`).join('')}]><Project xmlns="http://schemas.microsoft.com/project"><Tasks><Task><UID>1</UID><Name>&lol9;</Name></Task></Tasks></Project>`;
    fails(lol, /DOCTYPE/);
  });

  it('an external entity is refused', () => {
    fails('<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]><Project><Tasks><Task><UID>1</UID><Name>&x;</Name></Task></Tasks></Project>', /DOCTYPE/);
  });

  it('deep nesting is refused', () => {
    const depth = 50_000;
    fails(`<Project xmlns="http://schemas.microsoft.com/project">${'<a>'.repeat(depth)}${'</a>'.repeat(depth)}</Project>`, /nested more than 40 levels/);
  });

  it('a file over 20 MB is refused without parsing', () => {
    fails(`<Project>${' '.repeat(21 * 1024 * 1024)}</Project>`, /larger than 20 MB/);
  });

  it('more than 20,000 tasks is refused', () => {
    const tasks = Array.from({ length: 20_002 }, (_, i) => `<Task><UID>${i + 1}</UID></Task>`).join('');
    fails(`<Project xmlns="http://schemas.microsoft.com/project"><Tasks>${tasks}</Tasks></Project>`, /20,002 tasks; at most 20,000/);
  });

  it.each([
    ['not XML', 'Name,Duration\nDesign,5 days', /not well-formed XML/],
    ['empty', '   ', /empty/],
    ['unclosed', '<Project xmlns="http://schemas.microsoft.com/project"><Tasks>', /not well-formed XML/],
    ['wrong root', '<html><body>hi</body></html>', /root element is <html>/],
    ['a Project without namespace or tasks', '<Project><Name>x</Name></Project>', /not an MS Project XML file/],
    ['no tasks', '<Project xmlns="http://schemas.microsoft.com/project"><Tasks><Task><UID>0</UID></Task></Tasks></Project>', /no tasks/],
  ])('%s', (_name, xml, pattern) => {
    fails(xml, pattern);
  });

  it('broken values in one task become warnings, the rest imports', () => {
    const xml = handWritten(
      task(1, 'Good', '<Duration>PT8H0M0S</Duration>') +
        task(2, 'Odd', '<Duration>soon</Duration><PercentComplete>150</PercentComplete><Cost>-5</Cost><Start>yesterday</Start>') +
        '<Task><UID>x</UID><Name>No UID</Name></Task>' +
        task(3, 'Late', '<Active>0</Active><ConstraintType>7</ConstraintType><ConstraintDate>2026-02-02T17:00:00</ConstraintDate>') +
        task(4, 'Other project', '<ExternalTask>1</ExternalTask>') +
        task(1, 'Duplicate UID'),
    );
    const { plan, warnings } = planOf(xml);
    expect(plan.tasks.map((t) => [t.title, t.duration, t.progress, t.cost])).toEqual([
      ['Good', 1, 0, 0],
      ['Odd', 1, 100, 0],
      ['Late', 1, 0, 0],
    ]);
    expect(warnings).toEqual([
      'Task UID 2 "Odd": Duration "soon" is not a duration; 1 day is used',
      'Task UID 2 "Odd": PercentComplete 150 is out of range; 100 is used',
      'Task UID 2 "Odd": Cost -0.05 is out of range; 0 is used',
      'Task UID ? "No UID": a task without a valid UID was skipped',
      'Task UID 3 "Late": the task is inactive in MS Project; it was imported as an active task',
      'Task UID 3 "Late": the constraint "Finish No Later Than" has no Planvas equivalent; the task is scheduled as soon as possible',
      'Task UID 4 "Other project": a placeholder for a task of another project (ExternalTask) was skipped',
      'Task UID 1: the UID is used by an earlier task; this one was skipped',
    ]);
  });
});
