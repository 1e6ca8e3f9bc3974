import * as Y from 'yjs';
import type { StatusDef } from '../schema/entities.ts';
import { type BoardSettings, type SettingsPatch, settingsOf } from '../protocol/settings.ts';
import { readMeta } from './read.ts';
import { setBoardTitle } from './init.ts';
import { setBoardSetting } from './planOps.ts';
import { boardMaps } from './structure.ts';

/** The board's settings as every reader sees them (validated, defaults filled). */
export function readBoardSettings(doc: Y.Doc): BoardSettings {
  return settingsOf(readMeta(doc));
}

/**
 * Writes a checked patch (parseSettingsPatch) in one transaction: one update, one undo step.
 * Fields equal to what the document already holds are not written again. Tasks in a status
 * the patch removes move to the first remaining status (rehomeTasks).
 */
export function applySettingsPatch(doc: Y.Doc, patch: SettingsPatch, origin?: unknown): void {
  const current = readBoardSettings(doc);
  doc.transact(() => {
    for (const [field, value] of Object.entries(patch) as [keyof BoardSettings, unknown][]) {
      if (value === undefined || JSON.stringify(value) === JSON.stringify(current[field])) continue;
      if (field === 'title') setBoardTitle(doc, value as string, origin);
      else setBoardSetting(doc, field, value, origin);
    }
    if (patch.statuses) rehomeTasks(doc, current.statuses, patch.statuses);
  }, origin);
}

/**
 * Moves the tasks of statuses that `before` had and `after` lacks to the first status of
 * `after`, so removing a status never leaves tasks in a column nobody defined. Call inside
 * the transaction that changes the statuses.
 */
export function rehomeTasks(doc: Y.Doc, before: readonly StatusDef[], after: readonly StatusDef[]): void {
  const kept = new Set(after.map((s) => s.key));
  const removed = new Set(before.map((s) => s.key).filter((key) => !kept.has(key)));
  const fallback = after[0]?.key;
  if (removed.size === 0 || fallback === undefined) return;
  boardMaps(doc).tasks.forEach((task) => {
    if (task instanceof Y.Map && removed.has(task.get('status') as string)) task.set('status', fallback);
  });
}
