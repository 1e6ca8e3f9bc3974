import { z } from 'zod';
import {
  DEFAULT_BOARD_TITLE,
  DEFAULT_NOTE_COLOR,
  DEFAULT_NOTE_SIZE,
  DEFAULT_TASK_COLOR,
  DEFAULT_TASK_SIZE,
  DEFAULT_STATUSES,
  DEFAULT_WORKING_DAYS,
  DEPENDENCY_TYPES,
  MAX_ASSIGNEES,
  MAX_COORDINATE,
  MAX_DESCRIPTION_LENGTH,
  MAX_DURATION_DAYS,
  MAX_HOLIDAYS,
  MAX_LAG_DAYS,
  MAX_MONEY,
  MAX_STATUSES,
  MAX_NOTE_TEXT_LENGTH,
  MAX_SHAPE_SIZE,
  MAX_SHORT_TEXT_LENGTH,
  MAX_TITLE_LENGTH,
  MIN_SHAPE_SIZE,
  PRIORITIES,
  SCHEDULE_MODES,
  type DependencyType,
  type Priority,
  type ScheduleMode,
  type StatusDef,
} from './entities.ts';
import { DEFAULT_Z, isValidZ } from './zorder.ts';

/**
 * Field validators for everything a peer can write. Each field falls back to its default
 * when it is missing or unusable, and reports why through `onProblem`, so one bad field
 * never costs the whole entity.
 */
export interface FieldProblem {
  field: string;
  message: string;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const HEX_COLOR = /^#[0-9a-fA-F]{6}$/;

/** A real calendar date 'YYYY-MM-DD' between 1900 and 9999 (the range the planner schedules in). */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string' || !ISO_DATE.test(value) || value < '1900-01-01') return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

const coordinate = z.number().finite().min(-MAX_COORDINATE).max(MAX_COORDINATE);
const size = z
  .number()
  .finite()
  .transform((v) => Math.min(MAX_SHAPE_SIZE, Math.max(MIN_SHAPE_SIZE, v)));
const color = z.string().regex(HEX_COLOR).transform((c) => c.toLowerCase());
const zKey = z.string().refine(isValidZ, 'not a fractional index key');
const isoDateOrEmpty = z.string().refine((v) => v === '' || isIsoDate(v), 'not an ISO date (YYYY-MM-DD)');
const shortText = z.string().transform((s) => s.slice(0, MAX_SHORT_TEXT_LENGTH));
const dependencyType = z.enum(DEPENDENCY_TYPES as [DependencyType, ...DependencyType[]]);
const priority = z.enum(PRIORITIES as [Priority, ...Priority[]]);
const scheduleMode = z.enum(SCHEDULE_MODES as [ScheduleMode, ...ScheduleMode[]]);
/** Working days: whole numbers (fractions round up to the next whole day). */
const duration = z.number().finite().min(0).max(MAX_DURATION_DAYS).transform((v) => Math.max(0, Math.ceil(v - 1e-9)));
const money = z.number().finite().min(0).max(MAX_MONEY);
const percent = z.number().finite().min(0).max(100);
const rankKey = z.string().refine((v) => v === '' || isValidZ(v), 'not a fractional index key');
const assignees = z
  .array(z.string())
  .max(MAX_ASSIGNEES)
  .transform((names) => [...new Set(names.map((n) => n.trim().slice(0, MAX_SHORT_TEXT_LENGTH)).filter((n) => n !== ''))]);
const statusDefs = z
  .array(z.object({ key: z.string().trim().min(1).max(MAX_SHORT_TEXT_LENGTH), label: z.string().max(MAX_SHORT_TEXT_LENGTH) }))
  .min(1)
  .max(MAX_STATUSES)
  .refine((list) => new Set(list.map((s) => s.key)).size === list.length, 'status keys are not unique')
  .transform((list): StatusDef[] => list.map(({ key, label }) => ({ key, label: label.trim() || key })));
const workingDays = z
  .array(z.number().int().min(0).max(6))
  .min(1, 'a calendar needs at least one working weekday')
  .transform((days) => [...new Set(days)].sort((a, b) => a - b));
const holidays = z
  .array(z.string().refine(isIsoDate, 'not an ISO date (YYYY-MM-DD)'))
  .max(MAX_HOLIDAYS)
  .transform((days) => [...new Set(days)].sort());
const wipLimits = z
  .record(z.string(), z.unknown())
  .transform((raw) => {
    // One bad entry costs that entry only.
    const out: Record<string, number> = {};
    for (const [key, value] of Object.entries(raw)) {
      if (typeof value === 'number' && Number.isInteger(value) && value > 0 && value <= 100_000) out[key] = value;
    }
    return out;
  });

export interface FieldSpec<T = unknown> {
  schema: z.ZodType<T, unknown>;
  fallback: T;
}

function spec<T>(schema: z.ZodType<T, unknown>, fallback: T): FieldSpec<T> {
  return { schema, fallback };
}

export const TASK_FIELDS = {
  title: spec(z.string().transform((s) => s.slice(0, MAX_TITLE_LENGTH)), ''),
  x: spec(coordinate, 0),
  y: spec(coordinate, 0),
  w: spec(size, DEFAULT_TASK_SIZE.w),
  h: spec(size, DEFAULT_TASK_SIZE.h),
  color: spec(color, DEFAULT_TASK_COLOR),
  z: spec(zKey, DEFAULT_Z),
  description: spec(z.string().transform((s) => s.slice(0, MAX_DESCRIPTION_LENGTH)), ''),
  assignees: spec(assignees, [] as string[]),
  status: spec(shortText, ''),
  priority: spec<Priority>(priority, ''),
  start: spec(isoDateOrEmpty, ''),
  duration: spec(duration, 1),
  progress: spec(percent, 0),
  estimate: spec(z.number().finite().min(0).max(1e7), 0),
  budget: spec(money, 0),
  actualCost: spec(money, 0),
  milestone: spec(z.boolean(), false),
  parent: spec(z.string().max(100), ''),
  mode: spec<ScheduleMode>(scheduleMode, 'auto'),
  rank: spec(rankKey, ''),
  boardRank: spec(rankKey, ''),
} satisfies Record<string, FieldSpec>;

export const NOTE_FIELDS = {
  text: spec(z.string().transform((s) => s.slice(0, MAX_NOTE_TEXT_LENGTH)), ''),
  x: spec(coordinate, 0),
  y: spec(coordinate, 0),
  w: spec(size, DEFAULT_NOTE_SIZE.w),
  h: spec(size, DEFAULT_NOTE_SIZE.h),
  color: spec(color, DEFAULT_NOTE_COLOR),
  z: spec(zKey, DEFAULT_Z),
} satisfies Record<string, FieldSpec>;

export const DEPENDENCY_FIELDS = {
  from: spec(z.string().min(1), ''),
  to: spec(z.string().min(1), ''),
  type: spec<DependencyType>(dependencyType, 'FS'),
  /** Whole working days; fractions are rounded. */
  lag: spec(z.number().finite().min(-MAX_LAG_DAYS).max(MAX_LAG_DAYS).transform((v) => Math.round(v)), 0),
} satisfies Record<string, FieldSpec>;

export const META_FIELDS = {
  title: spec(z.string().transform((s) => s.slice(0, MAX_TITLE_LENGTH)), DEFAULT_BOARD_TITLE),
  schemaVersion: spec(z.number().int().min(0), 0),
  createdAt: spec(z.string(), ''),
  projectStart: spec(isoDateOrEmpty, ''),
  workingDays: spec(workingDays, [...DEFAULT_WORKING_DAYS]),
  holidays: spec(holidays, [] as string[]),
  statuses: spec(statusDefs, DEFAULT_STATUSES.map((s) => ({ ...s }))),
  wipLimits: spec(wipLimits, {} as Record<string, number>),
  viewersMayComment: spec(z.boolean(), false),
} satisfies Record<string, FieldSpec>;

type Output<F extends Record<string, FieldSpec>> = { [K in keyof F]: F[K] extends FieldSpec<infer T> ? T : never };

/**
 * Reads `raw` field by field. Missing fields take their default silently (that is how old
 * or minimal clients write); present-but-unusable fields take their default and are reported.
 */
export function readFields<F extends Record<string, FieldSpec>>(
  fields: F,
  raw: Record<string, unknown>,
  onProblem: (problem: FieldProblem) => void,
): Output<F> {
  const out: Record<string, unknown> = {};
  for (const [name, { schema, fallback }] of Object.entries(fields)) {
    const value = raw[name];
    if (value === undefined) {
      out[name] = freshCopy(fallback);
      continue;
    }
    const parsed = schema.safeParse(value);
    if (parsed.success) {
      out[name] = parsed.data;
    } else {
      out[name] = freshCopy(fallback);
      onProblem({ field: name, message: parsed.error.issues[0]?.message ?? 'invalid value' });
    }
  }
  return out as Output<F>;
}

/** Array and object defaults are copied, so no reader can change a default by mutating its result. */
function freshCopy<T>(value: T): T {
  return typeof value === 'object' && value !== null ? structuredClone(value) : value;
}
