import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import * as Y from 'yjs';
import { initBoardDocument } from '../../shared/doc/init.ts';
import { createDependency, createTask } from '../../shared/doc/ops.ts';
import { saveBaseline, setBoardSetting, setParent } from '../../shared/doc/planOps.ts';
import { readBoard } from '../../shared/doc/read.ts';
import { exportMspdi } from '../../shared/formats/mspdi/index.ts';
import { captureBaseline } from '../../shared/planning/baseline.ts';
import { resolveProjectStart, scheduleInputOf } from '../../shared/planning/fromBoard.ts';
import { schedule } from '../../shared/planning/schedule.ts';
import { MAX_TITLE_LENGTH } from '../../shared/schema/entities.ts';
import { ROOT } from '../helpers/server.ts';

/**
 * Validates exported MS Project XML against Microsoft's published schema: the parts of
 * mspdi_pj12.xsd that the Project 2007 documentation pages show ("XML Schema for the Project
 * Element", "... Tasks Element", ...), copied into test/fixtures/mspdi/schema/pages and joined
 * here. test/fixtures/mspdi/schema/README.md names the pages and says what the joining changes.
 */

const TODAY = '2026-02-20';
const PAGES = path.join(ROOT, 'test/fixtures/mspdi/schema/pages');
/** The namespace MS Project writes and reads (the pages' schema says ".../project/2007"). */
const NS = 'http://schemas.microsoft.com/project';

/** One page's ```xml block as copied, without its XML declaration and leading ". . ." elision. */
function page(file: string): string {
  return fs.readFileSync(path.join(PAGES, file), 'utf8').replace(/^<\?xml[^>]*\?>\r?\n(?:\. \. \.\r?\n)?/, '');
}

/**
 * The Project page's schema with each ". . ." elision filled by the page that defines that part
 * (TimephasedDataType, Calendars, Tasks, Resources, Assignments), the three parts the export never
 * writes (OutlineCodes, WBSMasks, ExtendedAttributes) left without a type (anything goes), the
 * target namespace MS Project files use, and the closing </xsd:schema> the page's block ends before.
 */
function publishedSchema(): string {
  let xsd = page('project.xsd.txt');
  const fill = (elided: string, text: string) => {
    if (xsd.split(elided).length !== 2) throw new Error(`not once in the Project page: ${elided}`);
    xsd = xsd.replace(elided, () => text);
  };
  fill('xmlns="http://schemas.microsoft.com/project/2007"', `xmlns="${NS}"`);
  fill('targetNamespace="http://schemas.microsoft.com/project/2007"', `targetNamespace="${NS}"`);
  fill('<xsd:complexType name="TimephasedDataType"> . . . </xsd:complexType>', page('timephaseddatatype.xsd.txt').trimEnd());
  for (const [element, file] of [['Calendars', 'calendars'], ['Tasks', 'tasks'], ['Resources', 'resources'], ['Assignments', 'assignments']] as const) {
    fill(`<xsd:element name="${element}" minOccurs="0"> . . . </xsd:element>`, page(`${file}.xsd.txt`).trimEnd());
  }
  for (const element of ['OutlineCodes', 'WBSMasks', 'ExtendedAttributes']) {
    fill(`<xsd:element name="${element}" minOccurs="0"> . . . </xsd:element>`, `<xsd:element name="${element}" minOccurs="0"></xsd:element>`);
  }
  if (xsd.includes('. . .')) throw new Error('an elision is left in the schema');
  return `${xsd}</xsd:schema>\n`;
}

const SCHEMA = publishedSchema();

/** xmllint's messages for each document (validated in one run), [] for each one valid against the published schema. */
async function schemaErrors(...docs: string[]): Promise<string[][]> {
  const names = docs.map((_, i) => `doc${i}.xml`);
  const result = await validateXML({
    xml: docs.map((contents, i) => ({ fileName: names[i]!, contents })),
    schema: [{ fileName: 'mspdi_pj12.xsd', contents: SCHEMA }],
  });
  // Besides the located messages xmllint says "docN.xml fails to validate" per invalid document.
  const located = result.errors.filter((e) => !/^doc\d+\.xml fails to validate$/.test(e.rawMessage.trim()));
  const errors = names.map((name) => located.filter((e) => e.loc?.fileName === name).map((e) => e.rawMessage));
  const placed = errors.reduce((n, list) => n + list.length, 0);
  if (placed !== located.length || (!result.valid && placed === 0)) throw new Error(`xmllint: ${result.rawOutput}`);
  return errors;
}

/**
 * Where the export knowingly differs from the published Project 2007 schema (README, "Departures"):
 * elements of Project 2010 and later that the file needs as a SaveVersion 14 file (manual
 * scheduling, new tasks auto-scheduled) but that no published schema page defines, and the
 * CurrencyCode the 2007 schema requires but a board, which has no currency, cannot fill.
 */
const LATER_ELEMENTS = ['NewTasksAreManual', 'Active', 'Manual', 'ManualStart', 'ManualFinish', 'ManualDuration'] as const;
const DEPARTURES = [...LATER_ELEMENTS, 'CurrencyCode'] as const;
type Departure = (typeof DEPARTURES)[number];

/**
 * The export with its departures undone, so that everything else can be checked strictly: the
 * later elements taken out, a placeholder CurrencyCode (ISO 4217 "no currency") put in its place.
 * `keep` leaves one departure as the export wrote it.
 */
function withoutDepartures(xml: string, keep?: Departure): string {
  let out = xml;
  for (const name of LATER_ELEMENTS) {
    if (name !== keep) out = out.replace(new RegExp(`\\s*<${name}>[^<]*</${name}>`, 'g'), '');
  }
  expect(out).not.toContain('<CurrencyCode>');
  if (keep !== 'CurrencyCode') {
    // Right before the project's CalendarUID (the first one in the file, a child of <Project>).
    expect(out).toMatch(/^\t<CalendarUID>/m);
    out = out.replace(/^\t<CalendarUID>/m, '\t<CurrencyCode>XXX</CurrencyCode>\r\n\t<CalendarUID>');
  }
  return out;
}

/** The title: XML's special characters, Cyrillic, CJK, an emoji, and as long as a title can be. */
const LONG_TITLE = `Launch <&"'> Запуск 発売 🚀 ${'x'.repeat(MAX_TITLE_LENGTH)}`.slice(0, MAX_TITLE_LENGTH);

/**
 * Everything the export writes: summaries two levels deep, milestones (one placed by a link), % complete,
 * costs, manual and auto tasks, all four link types with lags and leads, assignees (one MS Project
 * would refuse as written), holidays, two baselines, notes with a CR LF, XML specials and non-Latin text.
 */
function richBoard(): Y.Doc {
  const doc = new Y.Doc();
  initBoardDocument(doc, LONG_TITLE, '2026-02-01T09:00:00.000Z');
  setBoardSetting(doc, 'projectStart', '2026-03-02');
  setBoardSetting(doc, 'workingDays', [1, 2, 3, 4, 5, 6]);
  setBoardSetting(doc, 'holidays', ['2026-03-10', '2026-04-03', '2026-04-04', '2026-12-25']);
  const program = createTask(doc, { title: 'Programme « Ω » <&>' });
  const phase = createTask(doc, { title: 'Build & test <phase 1> 第一段階' });
  const a = createTask(doc, {
    title: 'Design "spec" — デザイン',
    duration: 3,
    progress: 50,
    budget: 1200.5,
    actualCost: 300.25,
    assignees: ['Ana', 'Smith, Bo [QA]'],
    description: 'Notes "quoted" & <tags>\r\nsecond line ünïcödé 🚀 \'single\'',
  });
  const b = createTask(doc, { title: 'Prototype', duration: 2, start: '2026-03-05', assignees: ['Bo'], budget: 80, progress: 33.3 });
  const m = createTask(doc, { title: 'Prototype done ◆', milestone: true, duration: 0 });
  const c = createTask(doc, { title: 'Vendor delivery (manual)', mode: 'manual', start: '2026-03-03', duration: 4, budget: 999999.99 });
  const d = createTask(doc, { title: 'Integrate', duration: 1, progress: 100, actualCost: 10 });
  const e = createTask(doc, { title: 'Document', duration: 2 });
  const f = createTask(doc, { title: 'Launch 🚀', duration: 1, assignees: ['Cy'] });
  const g = createTask(doc, { title: 'T'.repeat(MAX_TITLE_LENGTH), duration: 5, mode: 'manual' });
  const h = createTask(doc, { title: 'Sign-off', milestone: true, duration: 0, start: '2026-05-04' });
  setParent(doc, phase, program);
  setParent(doc, a, phase);
  setParent(doc, b, phase);
  setParent(doc, m, phase);
  setParent(doc, c, program);
  const links: Array<[string, string, 'FS' | 'SS' | 'FF' | 'SF', number]> = [
    [a, b, 'FS', 0],
    [b, m, 'FS', 0],
    [a, d, 'SS', 2],
    [c, d, 'FF', -1],
    [d, e, 'SF', 3],
    [program, f, 'FS', 1],
    [e, g, 'FS', -2],
    [f, h, 'FS', 0],
  ];
  for (const [from, to, type, lag] of links) expect(createDependency(doc, from, to, { type, lag })).toHaveProperty('id');
  const board = readBoard(doc);
  const plan = schedule(scheduleInputOf(board.tasks.values(), board.deps.values(), board.meta, resolveProjectStart(board.meta, board.tasks.values(), TODAY)));
  saveBaseline(doc, 'Baseline', captureBaseline(plan), '2026-02-15T10:00:00.000Z');
  saveBaseline(doc, 'Re-plan <2>', captureBaseline(plan), '2026-02-18T10:00:00.000Z');
  return doc;
}

function emptyBoard(): Y.Doc {
  const doc = new Y.Doc();
  initBoardDocument(doc, 'Empty', '2026-02-01T09:00:00.000Z');
  return doc;
}

describe('MSPDI export against the published MS Project XML schema (mspdi_pj12.xsd)', { timeout: 60_000 }, () => {
  const rich = exportMspdi({ board: readBoard(richBoard()), today: TODAY });

  it('the schema joined from the documentation pages compiles and is strict', async () => {
    const minimal = `<?xml version="1.0" encoding="UTF-8"?>\n<Project xmlns="${NS}"><SaveVersion>12</SaveVersion><CurrencyCode>USD</CurrencyCode></Project>\n`;
    const [ok, bogus] = await schemaErrors(minimal, minimal.replace('<CurrencyCode>USD</CurrencyCode>', '<Bogus>1</Bogus>'));
    expect(ok).toEqual([]);
    expect(bogus).toHaveLength(1);
    expect(bogus![0]).toContain("Element '{http://schemas.microsoft.com/project}Bogus': This element is not expected.");
  });

  it('a rich board exports a valid document: tasks, summaries, milestones, links, baselines, calendar, resources', async () => {
    // The document checked really has all of it.
    expect(rich.match(/<Task>/g)).toHaveLength(11);
    expect(rich.match(/<Summary>1<\/Summary>/g)).toHaveLength(2);
    expect(rich.match(/<Milestone>1<\/Milestone>/g)).toHaveLength(2);
    expect(rich.match(/<Manual>1<\/Manual>/g)).toHaveLength(2);
    for (const type of [0, 1, 2, 3]) expect(rich).toMatch(new RegExp(`<PredecessorLink>\\s*<PredecessorUID>\\d+</PredecessorUID>\\s*<Type>${type}</Type>`));
    expect(rich).toMatch(/<LinkLag>-\d+<\/LinkLag>/);
    expect(rich).toMatch(/<Baseline>\s*<Number>1<\/Number>/);
    expect(rich.match(/<Exception>/g)).toHaveLength(3);
    expect(rich.match(/<Resource>/g)).toHaveLength(4);
    expect(rich).toContain('<Title>Launch &lt;&amp;&quot;&apos;&gt; Запуск 発売 🚀 xxx');
    expect(rich).toContain('&#13;');

    const [errors] = await schemaErrors(withoutDepartures(rich));
    if (errors!.length > 0) console.error(errors!.join('\n'));
    expect(errors).toEqual([]);
  });

  it('an empty board exports a valid document', async () => {
    const xml = exportMspdi({ board: readBoard(emptyBoard()), today: TODAY });
    expect(xml).toContain('<Tasks>');
    const [errors] = await schemaErrors(withoutDepartures(xml));
    if (errors!.length > 0) console.error(errors!.join('\n'));
    expect(errors).toEqual([]);
  });

  it('each departure from the 2007 schema is real: left as exported, the schema rejects it', async () => {
    const results = await schemaErrors(...DEPARTURES.map((departure) => withoutDepartures(rich, departure)), rich);
    DEPARTURES.forEach((departure, i) => {
      expect(results[i]!.length, departure).toBeGreaterThan(0);
      expect(results[i]!.join('\n'), departure).toContain(`}${departure}`);
    });
    // And as exported, with all of them, the document is not valid against the 2007 schema.
    expect(results[DEPARTURES.length]!.length).toBeGreaterThan(0);
  });

  it('the validation fails on broken documents: sequence order, LagFormat, value types, lengths', async () => {
    const valid = withoutDepartures(rich);
    const broken: Array<[string, string, string]> = [
      ['Finish before Start', valid.replace(/(<Start>[^<]*<\/Start>)(\s*)(<Finish>[^<]*<\/Finish>)/, '$3$2$1'), "Element '{http://schemas.microsoft.com/project}Start': This element is not expected"],
      ['LagFormat 99', valid.replace('<LagFormat>7</LagFormat>', '<LagFormat>99</LagFormat>'), "The value '99' is not an element of the set"],
      ['a fractional PercentComplete', valid.replace(/<PercentComplete>\d+<\/PercentComplete>/, '<PercentComplete>33.3</PercentComplete>'), "'33.3' is not a valid value of the atomic type 'xs:integer'"],
      ['a 256-character project name', valid.replace(/<Name>[^<]*\.xml<\/Name>/, `<Name>${'n'.repeat(252)}.xml</Name>`), "[facet 'maxLength']"],
      ['a calendar without its UID', valid.replace(/<Calendar>\s*<UID>1<\/UID>/, '<Calendar>'), 'Expected is ( {http://schemas.microsoft.com/project}UID )'],
    ];
    for (const [what, xml] of broken) expect(xml, what).not.toBe(valid);
    const results = await schemaErrors(...broken.map(([, xml]) => xml));
    broken.forEach(([what, , message], i) => expect(results[i]!.join('\n'), what).toContain(message));
  });
});
