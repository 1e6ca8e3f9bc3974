import { z } from 'zod';
import {
  DEFAULT_BOARD_TITLE,
  DEFAULT_NOTE_COLOR,
  DEFAULT_NOTE_SIZE,
  DEFAULT_TASK_COLOR,
  DEFAULT_TASK_SIZE,
  DEPENDENCY_TYPES,
  MAX_COORDINATE,
  MAX_NOTE_TEXT_LENGTH,
  MAX_SHAPE_SIZE,
  MAX_SHORT_TEXT_LENGTH,
  MAX_TITLE_LENGTH,
  MIN_SHAPE_SIZE,
  type DependencyType,
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

export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string' || !ISO_DATE.test(value)) return false;
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
  assignee: spec(shortText, ''),
  status: spec(shortText, ''),
  start: spec(isoDateOrEmpty, ''),
  end: spec(isoDateOrEmpty, ''),
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
  lag: spec(z.number().finite().min(-10_000).max(10_000), 0),
} satisfies Record<string, FieldSpec>;

export const META_FIELDS = {
  title: spec(z.string().transform((s) => s.slice(0, MAX_TITLE_LENGTH)), DEFAULT_BOARD_TITLE),
  schemaVersion: spec(z.number().int().min(0), 0),
  createdAt: spec(z.string(), ''),
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
      out[name] = fallback;
      continue;
    }
    const parsed = schema.safeParse(value);
    if (parsed.success) {
      out[name] = parsed.data;
    } else {
      out[name] = fallback;
      onProblem({ field: name, message: parsed.error.issues[0]?.message ?? 'invalid value' });
    }
  }
  return out as Output<F>;
}
