import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { MAX_ASSIGNEES, MAX_SHORT_TEXT_LENGTH } from '../../schema/entities.ts';
import { MAX_MSPDI_BYTES, MAX_MSPDI_DEPTH, MAX_MSPDI_LINKS, MAX_MSPDI_TASKS, MSPDI_NAMESPACE, NULL_RESOURCE_UID } from './codes.ts';
import { readCalendar } from './calendar.ts';
import { resolveLinks } from './links.ts';
import { readTask, type RawTask, type TaskContext } from './readTask.ts';
import type { MspdiBaseline, MspdiParseResult, MspdiPlan, MspdiTask } from './types.ts';
import { child, children, dateTime, int, isNode, text, timeOfDay, type XmlNode } from './values.ts';

/** Warnings past this many are summed up in one line: a user reads the first ones, not 20,000. */
const MAX_WARNINGS = 200;
const ARRAY_ELEMENTS = new Set(['Task', 'PredecessorLink', 'Baseline', 'Resource', 'Assignment', 'Calendar', 'WeekDay', 'Exception', 'WorkingTime', 'ExtendedAttribute', 'TimephasedData']);

/**
 * Reads an MS Project XML file (MSPDI, as saved by Project 2003 to 2019 and by this module's
 * export) into a validated plan in Planvas units. The whole file is checked before anything
 * is returned: a file that is not usable at all (not XML, not a Project document, over the
 * limits) gives `ok: false` with every fatal problem; tasks, links, baselines or calendar
 * entries that cannot be used are skipped and named in `warnings`. Pure; hostile input
 * (entity expansion, deep nesting, huge files) fails fast with a clear message.
 *
 * @example
 *   const result = parseMspdi(xml);
 *   if (result.ok) applyMspdi(doc, result.plan, origin);
 */
export function parseMspdi(input: string): MspdiParseResult {
  if (input.length > MAX_MSPDI_BYTES || new TextEncoder().encode(input).length > MAX_MSPDI_BYTES) {
    return fail(`the file is larger than ${MAX_MSPDI_BYTES / 1024 / 1024} MB`);
  }
  const xml = input.replace(/^\uFEFF/, '');
  if (xml.trim() === '') return fail('the file is empty');
  // MS Project never writes a DTD; refusing one rules out entity expansion ("billion laughs")
  // and external entities before any parser sees them.
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) return fail('the file has a DOCTYPE or entity declarations, which MS Project XML files never have; it was not read');
  // Counted on the text first, so an oversized plan is refused before the (slower) XML parse.
  const tooBig = countLimits(xml);
  if (tooBig) return fail(tooBig);
  const valid = XMLValidator.validate(xml);
  if (valid !== true) return fail(`the file is not well-formed XML (line ${valid.err.line}: ${valid.err.msg})`);
  let tree: XmlNode;
  try {
    tree = new XMLParser({
      ignoreAttributes: true,
      parseTagValue: false,
      trimValues: true,
      removeNSPrefix: true,
      ignoreDeclaration: true,
      ignorePiTags: true,
      processEntities: true,
      htmlEntities: true,
      maxNestedTags: MAX_MSPDI_DEPTH,
      isArray: (name) => ARRAY_ELEMENTS.has(name),
    }).parse(xml) as XmlNode;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return fail(/nested/i.test(message) ? `the XML is nested more than ${MAX_MSPDI_DEPTH} levels deep, which MS Project files never are` : `the XML could not be read (${message})`);
  }
  const roots = Object.keys(tree).filter((k) => !k.startsWith('?') && k !== '#comment');
  const project = tree.Project;
  if (roots.length !== 1 || !isNode(project)) {
    const name = roots[0] ?? 'none';
    return fail(`this is not an MS Project XML file: its root element is <${name}>, not <Project xmlns="${MSPDI_NAMESPACE}">`);
  }
  if (!xml.slice(0, 4096).includes(MSPDI_NAMESPACE) && child(project, 'Tasks') === undefined) {
    return fail(`this is not an MS Project XML file: <Project> has neither the namespace ${MSPDI_NAMESPACE} nor <Tasks>`);
  }
  return readProject(project);
}

function readProject(project: XmlNode): MspdiParseResult {
  const warnings: string[] = [];
  let dropped = 0;
  const warn = (message: string, task?: string) => {
    if (warnings.length < MAX_WARNINGS) warnings.push(task ? `Task ${task}: ${message}` : message);
    else dropped++;
  };
  const taskNodes = children(child(project, 'Tasks'), 'Task');
  const tooBig = limitMessage(taskNodes.length, taskNodes.reduce((n, t) => n + children(t, 'PredecessorLink').length, 0));
  if (tooBig) return fail(tooBig);

  const calendar = readCalendar(project, warn);
  const minutesPerDay = positive(int(project, 'MinutesPerDay'), 480, 'MinutesPerDay', warn);
  const ctx: TaskContext = {
    minutesPerDay,
    workingDaysPerWeek: calendar.workingDays.length,
    dayEnd: timeOfDay(text(project, 'DefaultFinishTime')) ?? 17 * 60,
  };

  const raw: RawTask[] = [];
  const seen = new Set<number>();
  taskNodes.forEach((node, position) => {
    // UID 0 / outline level 0 is the project summary task: the board itself. IsNull marks blank rows.
    if (int(node, 'UID') === 0 || int(node, 'OutlineLevel') === 0 || text(node, 'IsNull') === '1') return;
    const task = readTask(node, position, ctx, warn);
    if (!task) return;
    if (seen.has(task.uid)) {
      warn(`the UID is used by an earlier task; this one was skipped`, `UID ${task.uid}`);
      return;
    }
    seen.add(task.uid);
    raw.push(task);
  });
  if (raw.length === 0) return fail('the project has no tasks to import');
  raw.sort((a, b) => a.order - b.order);

  const tasks = buildOutline(raw, warn);
  attachAssignees(project, tasks, warn);
  const links = resolveLinks(raw, tasks, ctx, warn);
  const plan: MspdiPlan = {
    title: text(project, 'Title') || text(project, 'Name').replace(/\.(xml|mpp)$/i, ''),
    projectStart: dateTime(project, 'StartDate')?.date ?? '',
    calendar,
    savedAt: savedAt(project),
    tasks,
    links,
    baselines: collectBaselines(raw),
  };
  if (dropped > 0) warnings.push(`… and ${dropped.toLocaleString('en-US')} more warnings`);
  return { ok: true, plan, warnings };
}

/** Parents from outline levels, in ID order: a task belongs to the last task one level up. */
function buildOutline(raw: readonly RawTask[], warn: (message: string, task?: string) => void): MspdiTask[] {
  const ancestors: RawTask[] = [];
  const hasChildren = new Set<number>();
  const parentOf = new Map<number, number | null>();
  for (const task of raw) {
    let level = Math.max(1, task.outlineLevel);
    if (level > ancestors.length + 1) {
      warn(`outline level ${level} is more than one level below the task above; placed at level ${ancestors.length + 1}`, `UID ${task.uid}`);
      level = ancestors.length + 1;
    }
    ancestors.length = level - 1;
    const parent = ancestors[level - 2];
    parentOf.set(task.uid, parent ? parent.uid : null);
    if (parent) hasChildren.add(parent.uid);
    ancestors.push(task);
  }
  return raw.map((t) => ({
    uid: t.uid,
    title: t.title,
    description: t.description,
    parentUid: parentOf.get(t.uid) ?? null,
    summary: hasChildren.has(t.uid),
    // A summary's own dates and costs roll up from its subtasks in Planvas.
    start: hasChildren.has(t.uid) ? '' : t.start,
    duration: t.milestone ? 0 : t.duration,
    milestone: t.milestone && !hasChildren.has(t.uid),
    mode: t.mode,
    progress: t.progress,
    cost: hasChildren.has(t.uid) ? 0 : t.cost,
    actualCost: hasChildren.has(t.uid) ? 0 : t.actualCost,
    assignees: [],
  }));
}

/** Assignments -> each task's assignees, by resource name, in assignment order. */
function attachAssignees(project: XmlNode, tasks: MspdiTask[], warn: (message: string, task?: string) => void): void {
  const names = new Map<number, string>();
  for (const resource of children(child(project, 'Resources'), 'Resource')) {
    const uid = int(resource, 'UID');
    const name = text(resource, 'Name').slice(0, MAX_SHORT_TEXT_LENGTH);
    if (uid !== null && name !== '' && !names.has(uid)) names.set(uid, name);
  }
  const byUid = new Map(tasks.map((t) => [t.uid, t]));
  const capped = new Set<number>();
  for (const assignment of children(child(project, 'Assignments'), 'Assignment')) {
    const task = byUid.get(int(assignment, 'TaskUID') ?? -1);
    const resourceUid = int(assignment, 'ResourceUID');
    if (!task || resourceUid === null || resourceUid === NULL_RESOURCE_UID) continue;
    const name = names.get(resourceUid);
    if (name === undefined || task.assignees.includes(name)) continue;
    if (task.assignees.length >= MAX_ASSIGNEES) {
      if (!capped.has(task.uid)) warn(`more than ${MAX_ASSIGNEES} resources are assigned; the first ${MAX_ASSIGNEES} were kept`, `UID ${task.uid}`);
      capped.add(task.uid);
      continue;
    }
    task.assignees.push(name);
  }
}

/** Baseline n of every task that has one, as Planvas baselines ("Baseline", "Baseline 1", …). */
function collectBaselines(raw: readonly RawTask[]): MspdiBaseline[] {
  const byNumber = new Map<number, MspdiBaseline>();
  for (const task of raw) {
    for (const [number, entry] of task.baselines) {
      let baseline = byNumber.get(number);
      if (!baseline) byNumber.set(number, (baseline = { number, name: number === 0 ? 'Baseline' : `Baseline ${number}`, tasks: {} }));
      baseline.tasks[String(task.uid)] = entry;
    }
  }
  return [...byNumber.values()].sort((a, b) => a.number - b.number);
}

/** The task and link limits, on raw element counts (the project summary task is allowed on top). */
function limitMessage(tasks: number, links: number): string | null {
  if (tasks > MAX_MSPDI_TASKS + 1) return `the project has ${tasks.toLocaleString('en-US')} tasks; at most ${MAX_MSPDI_TASKS.toLocaleString('en-US')} can be imported at once`;
  if (links > MAX_MSPDI_LINKS) return `the project has ${links.toLocaleString('en-US')} links; at most ${MAX_MSPDI_LINKS.toLocaleString('en-US')} can be imported at once`;
  return null;
}

function countLimits(xml: string): string | null {
  const count = (pattern: RegExp) => {
    let n = 0;
    pattern.lastIndex = 0;
    while (pattern.exec(xml) !== null) n++;
    return n;
  };
  return limitMessage(count(/<(?:\w+:)?Task>/g), count(/<(?:\w+:)?PredecessorLink>/g));
}

function savedAt(project: XmlNode): string {
  for (const name of ['LastSaved', 'CreationDate']) {
    // As MS Project wrote it: local time of the machine that saved the file, no zone.
    if (dateTime(project, name)) return text(project, name);
  }
  return '';
}

function positive(value: number | null, fallback: number, name: string, warn: (message: string) => void): number {
  if (value === null) return fallback;
  if (value > 0 && value <= 1440) return value;
  warn(`${name} ${value} is not usable; ${fallback} is used`);
  return fallback;
}

function fail(message: string): MspdiParseResult {
  return { ok: false, errors: [{ message }] };
}
