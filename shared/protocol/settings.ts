import { z } from 'zod';
import { MAX_HOLIDAYS, MAX_SHORT_TEXT_LENGTH, MAX_STATUSES, MAX_TITLE_LENGTH, type BoardMeta, type StatusDef } from '../schema/entities.ts';
import { META_FIELDS, isIsoDate } from '../schema/validators.ts';

/**
 * Board settings over REST (GET/PATCH /api/boards/:id/settings, docs/api.md "Board
 * settings"): the settable part of the document's `meta`. Pure: no Yjs, no I/O.
 */
export type BoardSettings = Pick<BoardMeta, 'title' | 'projectStart' | 'workingDays' | 'holidays' | 'statuses' | 'wipLimits' | 'viewersMayComment'>;

export type SettingsPatch = Partial<BoardSettings>;

export const SETTINGS_FIELDS = ['title', 'projectStart', 'workingDays', 'holidays', 'statuses', 'wipLimits', 'viewersMayComment'] as const satisfies readonly (keyof BoardSettings)[];

/** The largest WIP limit the document validator keeps. */
export const MAX_WIP_LIMIT = 100_000;

export interface SettingsProblem {
  /** The field, with a path inside it: `statuses[1].key`, `wipLimits.doing`; '' for the body itself. */
  field: string;
  message: string;
}

export function settingsOf(meta: BoardMeta): BoardSettings {
  return {
    title: meta.title,
    projectStart: meta.projectStart,
    workingDays: [...meta.workingDays],
    holidays: [...meta.holidays],
    statuses: meta.statuses.map((s) => ({ ...s })),
    wipLimits: { ...meta.wipLimits },
    viewersMayComment: meta.viewersMayComment,
  };
}

/**
 * What a REST client may send, strictly: unlike the document's read validators, which repair
 * what a peer wrote (truncate, drop, default), a request with a bad value is refused whole,
 * so nobody gets a silently different board from the one they asked for.
 */
const REQUEST_FIELDS = {
  title: z.string().trim().min(1, 'the title cannot be empty').max(MAX_TITLE_LENGTH, `at most ${MAX_TITLE_LENGTH} characters`),
  projectStart: z.string().refine((v) => v === '' || isIsoDate(v), 'not a date (YYYY-MM-DD), nor "" to unset it'),
  workingDays: z
    .array(z.number().int('a weekday is a whole number 0 (Sunday) to 6 (Saturday)').min(0, 'a weekday is 0 (Sunday) to 6 (Saturday)').max(6, 'a weekday is 0 (Sunday) to 6 (Saturday)'))
    .min(1, 'a calendar needs at least one working weekday')
    .max(7, 'at most 7 weekdays')
    .refine((days) => new Set(days).size === days.length, 'a weekday is listed twice'),
  holidays: z
    .array(z.string().refine(isIsoDate, 'not a date (YYYY-MM-DD)'))
    .max(MAX_HOLIDAYS, `at most ${MAX_HOLIDAYS} holidays`),
  statuses: z
    .array(
      z.strictObject({
        key: z.string().trim().min(1, 'a status key cannot be empty').max(MAX_SHORT_TEXT_LENGTH, `at most ${MAX_SHORT_TEXT_LENGTH} characters`),
        label: z.string().trim().min(1, 'a status label cannot be empty').max(MAX_SHORT_TEXT_LENGTH, `at most ${MAX_SHORT_TEXT_LENGTH} characters`),
      }),
    )
    .min(1, 'a board needs at least one status')
    .max(MAX_STATUSES, `at most ${MAX_STATUSES} statuses`)
    .superRefine((list, ctx) => {
      const seen = new Set<string>();
      list.forEach((s, i) => {
        if (seen.has(s.key)) ctx.addIssue({ code: 'custom', path: [i, 'key'], message: `status key ${JSON.stringify(s.key)} is used twice` });
        seen.add(s.key);
      });
    }),
  wipLimits: z.record(
    z.string(),
    z.number().int('a WIP limit is a whole number').min(1, 'a WIP limit is at least 1 (leave the status out for no limit)').max(MAX_WIP_LIMIT, `at most ${MAX_WIP_LIMIT}`),
  ),
  viewersMayComment: z.boolean(),
} satisfies Record<keyof BoardSettings, z.ZodType>;

function pathOf(field: string, path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, part) => (typeof part === 'number' ? `${out}[${part}]` : `${out}.${String(part)}`), field);
}

/**
 * Checks a PATCH body against the request rules and the document validators, and against the
 * board as it is (`current`): a WIP limit must name a status the board will have. Returns
 * every problem at once, or the patch to apply. When the statuses change and the body has no
 * `wipLimits`, the limits of removed statuses are dropped with them.
 *
 * @example parseSettingsPatch({ workingDays: [1, 2, 3, 4] }, current) // { ok: true, patch: { workingDays: [1, 2, 3, 4] } }
 */
export function parseSettingsPatch(body: unknown, current: BoardSettings): { ok: true; patch: SettingsPatch } | { ok: false; problems: SettingsProblem[] } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, problems: [{ field: '', message: 'the body must be a JSON object of settings' }] };
  }
  const problems: SettingsProblem[] = [];
  const patch: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(body)) {
    if (!(SETTINGS_FIELDS as readonly string[]).includes(field)) {
      problems.push({ field, message: `not a setting; settings are ${SETTINGS_FIELDS.join(', ')}` });
      continue;
    }
    const name = field as keyof BoardSettings;
    const strict = REQUEST_FIELDS[name].safeParse(value);
    if (!strict.success) {
      for (const issue of strict.error.issues) problems.push({ field: pathOf(field, issue.path), message: issue.message });
      continue;
    }
    // Then the document's own validator (the one every reader applies), so what is written
    // is exactly what every client will read back.
    const stored = name === 'title' ? { success: true as const, data: strict.data } : META_FIELDS[name].schema.safeParse(strict.data);
    if (!stored.success) {
      problems.push({ field, message: stored.error.issues[0]?.message ?? 'invalid value' });
      continue;
    }
    patch[field] = stored.data;
  }
  const statuses = (patch.statuses as StatusDef[] | undefined) ?? current.statuses;
  const keys = new Set(statuses.map((s) => s.key));
  const limits = patch.wipLimits as Record<string, number> | undefined;
  if (limits) {
    for (const key of Object.keys(limits)) {
      if (!keys.has(key)) problems.push({ field: `wipLimits.${key}`, message: `the board has no status ${JSON.stringify(key)}` });
    }
  } else if (patch.statuses) {
    const kept = Object.fromEntries(Object.entries(current.wipLimits).filter(([key]) => keys.has(key)));
    if (Object.keys(kept).length !== Object.keys(current.wipLimits).length) patch.wipLimits = kept;
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, patch: patch as SettingsPatch };
}
