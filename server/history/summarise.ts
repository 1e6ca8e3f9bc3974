import { readBoard } from '../../shared/doc/read.ts';
import { diffBoards, emptyBoardContent, type BoardContent } from '../../shared/history/diff.ts';
import { CHANGE_KINDS, type VersionSummary } from '../../shared/history/summary.ts';
import { loadVersionState } from './loadState.ts';

/**
 * The summary stored with a version: what changed from the previous version's state (null for
 * a board's first version, or when the previous one does not load) to this one. CPU-heavy on
 * big boards (a 10k-task board decodes and diffs in about a second), which is why the server
 * runs it in a worker thread (summaryWorker.mjs); this module is what the worker calls.
 */
export function summariseStates(before: Uint8Array | null, after: Uint8Array): VersionSummary {
  const now = contentOf(after);
  let previous: BoardContent | null = null;
  if (before) {
    try {
      previous = contentOf(before);
    } catch {
      // A previous version that no longer loads: count from an empty board, never fail the new one.
      previous = null;
    }
  }
  return clampTitles(diffBoards(previous ?? emptyBoardContent(now.meta), now));
}

/**
 * Longest title (and former title) a stored summary keeps. Task titles may be 500 characters
 * and a link is named by two of them; every version's summary is stored and sent with every
 * GET /versions, so a few hundred characters per entry, times 50 entries, times 13 lists,
 * times every version, is what a list would cost. The history panel shows one line per entry.
 */
export const MAX_SUMMARY_TITLE = 120;

function clampTitles(summary: VersionSummary): VersionSummary {
  const clamp = (text: string) => (text.length > MAX_SUMMARY_TITLE ? `${text.slice(0, MAX_SUMMARY_TITLE - 1)}…` : text);
  for (const kind of CHANGE_KINDS) {
    summary[kind] = summary[kind].map((ref) => {
      const out = { ...ref, title: clamp(ref.title) };
      if (ref.from !== undefined) out.from = clamp(ref.from);
      return out;
    });
  }
  return summary;
}

/** The plan content of an encoded state (read through the validating layer). */
export function contentOf(state: Uint8Array): BoardContent {
  const doc = loadVersionState(state);
  try {
    const { tasks, deps, notes, meta } = readBoard(doc);
    return { tasks, deps, notes, meta };
  } finally {
    doc.destroy();
  }
}
