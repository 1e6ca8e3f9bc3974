import * as Y from 'yjs';
import { replaceBoardContent } from '../../shared/doc/replace.ts';
import { versionDisplayName, type VersionInfo } from '../../shared/history/versions.ts';
import type { BoardSession } from '../board/session.ts';
import { saveVersion } from './historyApi.ts';

/** `changed`: false when the board already equalled the version (then there is no undo step). */
export type RestoreResult = { ok: true; backupId: string; changed: boolean } | { ok: false; error: string };

/** Name of the backup saved before restoring `name` (the server uses the same wording). */
export function backupNameFor(version: Pick<VersionInfo, 'name' | 'kind'>): string {
  const name = versionDisplayName(version);
  return `Before restoring “${name.length > 98 ? `${name.slice(0, 97)}…` : name}”`;
}

/**
 * Restores a version as a new edit of this user, so Ctrl+Z undoes it:
 * 1. the board as it is now is saved as a version first (POST, kind 'restore'), so history
 *    never loses anything — without that backup nothing is restored;
 * 2. the live document is made equal to the version in ONE transaction with this session's
 *    origin (shared/doc/replace.ts), which the session's UndoManager records as one step.
 *    Comments are not rolled back. Peers see it live like any edit.
 */
export async function restoreVersion(session: BoardSession, editToken: string, version: VersionInfo, state: Uint8Array): Promise<RestoreResult> {
  if (session.readOnly) return { ok: false, error: 'This link is view-only; restoring needs the edit link.' };
  const source = new Y.Doc();
  try {
    Y.applyUpdate(source, state);
  } catch {
    source.destroy();
    return { ok: false, error: 'This version could not be read; nothing was restored.' };
  }
  try {
    const backup = await saveVersion(session.boardId, editToken, backupNameFor(version), version.id);
    if (!backup.ok) return { ok: false, error: `Nothing was restored: the current board could not be saved to history first. ${backup.error}` };
    // Its own undo step: not merged with an edit made just before.
    session.undoManager.stopCapturing();
    const steps = session.undoManager.undoStack.length;
    replaceBoardContent(session.doc, source, session.localOrigin);
    session.undoManager.stopCapturing();
    return { ok: true, backupId: backup.value.id, changed: session.undoManager.undoStack.length > steps };
  } finally {
    source.destroy();
  }
}
