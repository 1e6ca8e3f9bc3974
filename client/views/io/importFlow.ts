import * as Y from 'yjs';
import { createStore, type StoreApi } from 'zustand/vanilla';
import { applyPlanRows } from '../../../shared/formats/csv/index.ts';
import { importBoardJson } from '../../../shared/formats/json/index.ts';
import { boardMaps } from '../../../shared/doc/structure.ts';
import { applyMspdi } from '../../../shared/formats/mspdi/index.ts';
import type { BoardSession } from '../../board/session.ts';
import { IMPORT_FORMAT_LABELS, importFormatOf, type ImportFormat } from './importFormats.ts';
import { prepareImport, type PrepareProgress, type PreparedImport } from './prepareImport.ts';
import type { ImportWorkerMessage, ImportWorkerRequest } from './importWorker.ts';
import { DEFAULT_MAX_MESSAGE_BYTES } from '../../../shared/protocol/wire.ts';
import { importThroughServer } from './serverImport.ts';

/**
 * Imports whose update is larger than this go through the server: the server refuses a
 * WebSocket message over its limit (DEFAULT_MAX_MESSAGE_BYTES unless configured), and the
 * sync envelope and other pending edits need room too.
 */
export const LOCAL_IMPORT_MAX_BYTES = Math.floor(DEFAULT_MAX_MESSAGE_BYTES * 0.75);

/**
 * The import of a file into the open board, for every format and every entry point (the
 * Import/Export menu and a file dropped on the board): read with progress, validate in a Web
 * Worker with progress, show what will be imported and what cannot be used, and only on
 * "Import" write it, in one transaction with the session's origin (one undo step). A file
 * with any error imports nothing. Session state: one store per open board, never shared.
 */
export type ReadyImport = Extract<PreparedImport, { ok: true }>;

export type ImportState =
  | { phase: 'idle' }
  | { phase: 'reading'; fileName: string; loaded: number; total: number }
  | { phase: 'checking'; fileName: string; format: ImportFormat; progress: PrepareProgress | null }
  | { phase: 'ready'; fileName: string; prepared: ReadyImport; text: string }
  | { phase: 'applying'; fileName: string }
  | { phase: 'failed'; fileName: string; title: string; lines: string[] }
  | { phase: 'done'; title: string; lines: string[] };

export interface ImportFlow {
  store: StoreApi<ImportState>;
  /** Starts importing `file` (replacing any import in progress). */
  start(file: File): void;
  /** Writes the checked file into the board ("Import" in the dialog). */
  confirm(): void;
  /** Stops reading or checking, or closes the dialog; nothing is written. */
  cancel(): void;
  /** Calls `listener` after each import this page wrote (the canvas brings it into view); returns the unsubscribe. */
  onImported(listener: (event: ImportedEvent) => void): () => void;
}

/**
 * An import this page completed. `before`: ids of the tasks and notes on the board before it,
 * so whatever else is there now came from the file. `applied`: the board already holds the
 * import (false when the server applied it and the update is still on its way over sync).
 */
export interface ImportedEvent {
  before: ReadonlySet<string>;
  applied: boolean;
}

/** Lines listed in the dialog before "and N more". */
export const MAX_LISTED_LINES = 50;

const flows = new WeakMap<BoardSession, ImportFlow>();

/** The import flow of an open board (one per session, shared by the menu and the drop target). */
export function importFlowFor(session: BoardSession): ImportFlow {
  let flow = flows.get(session);
  if (!flow) {
    flow = createImportFlow(session);
    flows.set(session, flow);
  }
  return flow;
}

function createImportFlow(session: BoardSession): ImportFlow {
  const store = createStore<ImportState>(() => ({ phase: 'idle' }));
  const importedListeners = new Set<(event: ImportedEvent) => void>();
  const imported = (event: ImportedEvent) => importedListeners.forEach((listener) => listener(event));
  // Every start or cancel bumps the generation; callbacks of an older one are ignored.
  let generation = 0;
  let stop: (() => void) | null = null;

  const halt = () => {
    generation++;
    stop?.();
    stop = null;
  };

  async function run(file: File, mine: number): Promise<void> {
    const fileName = file.name || 'file';
    const live = () => mine === generation;
    const failWith = (title: string, lines: string[]) => live() && store.setState({ phase: 'failed', fileName, title, lines: capLines(lines) }, true);
    if (session.readOnly) return void failWith('Nothing was imported', ['This is a view-only link; importing needs the edit link.']);
    const head = await file.slice(0, 256).text().catch(() => '');
    const format = importFormatOf(file, head);
    if (!format) return void failWith('Nothing was imported', [`${fileName} is not a CSV, Planvas JSON or MS Project XML file.`]);

    store.setState({ phase: 'reading', fileName, loaded: 0, total: file.size }, true);
    let text: string;
    try {
      text = await readText(file, (loaded, total) => live() && store.setState({ phase: 'reading', fileName, loaded, total }, true), (abort) => (stop = abort));
    } catch {
      return void failWith('Nothing was imported', [`${fileName} could not be read.`]);
    }
    if (!live()) return;

    store.setState({ phase: 'checking', fileName, format, progress: null }, true);
    const result = await check(format, text, (progress) => live() && store.setState({ phase: 'checking', fileName, format, progress }, true), (abort) => (stop = abort));
    if (!live()) return;
    stop = null;
    if (!result.ok) {
      const n = result.errors.length;
      return void failWith(n === 1 ? 'Nothing was imported' : `Nothing was imported: the file has ${n} problems`, result.errors);
    }
    store.setState({ phase: 'ready', fileName, prepared: result, text }, true);
  }

  return {
    store,
    start(file) {
      halt();
      const mine = generation;
      run(file, mine).catch((err: unknown) => {
        if (mine === generation) store.setState({ phase: 'failed', fileName: file.name, title: 'Nothing was imported', lines: [String(err)] }, true);
      });
    },
    confirm() {
      const state = store.getState();
      if (state.phase !== 'ready' || session.readOnly) return;
      const { fileName, prepared, text } = state;
      const maps = boardMaps(session.doc);
      const before = new Set([...maps.tasks.keys(), ...maps.notes.keys()]);
      const finish = (counts: Record<string, number | string | undefined>, note?: string) => {
        const lines = [`From ${fileName}.`];
        if (typeof counts.projectStart === 'string') lines.push(`The project start moved to ${counts.projectStart}, where the imported plan begins.`);
        if (note) lines.push(note);
        store.setState({ phase: 'done', title: `Imported ${describeCounts(counts)}`, lines }, true);
      };
      if (prepared.updateBytes <= LOCAL_IMPORT_MAX_BYTES) {
        finish(applyPrepared(session, prepared));
        return imported({ before, applied: true });
      }
      // Too large for one sync message: the server applies it and sends it to everyone, this browser too.
      halt();
      const mine = generation;
      store.setState({ phase: 'applying', fileName }, true);
      void importThroughServer(session.boardId, prepared.format, text).then((result) => {
        if (mine !== generation) return;
        if (result.ok) {
          finish(result.counts, 'A file this large is imported by the server in one step; Undo does not take it back.');
          imported({ before, applied: false });
        } else store.setState({ phase: 'failed', fileName, title: 'Nothing was imported', lines: capLines(result.lines) }, true);
      });
    },
    cancel() {
      halt();
      store.setState({ phase: 'idle' }, true);
    },
    onImported(listener) {
      importedListeners.add(listener);
      return () => importedListeners.delete(listener);
    },
  };
}

/** Writes a checked file into the board: one transaction, the session's origin. */
function applyPrepared(session: BoardSession, prepared: ReadyImport): Record<string, number | string | undefined> {
  if (prepared.format === 'csv') return { ...applyPlanRows(session.doc, prepared.rows, session.localOrigin) };
  if (prepared.format === 'mspdi') return { ...applyMspdi(session.doc, prepared.plan, session.localOrigin) };
  const source = new Y.Doc();
  try {
    Y.applyUpdate(source, prepared.update);
    return { ...importBoardJson(session.doc, source, session.localOrigin) };
  } finally {
    source.destroy();
  }
}

/** Reads a file as text with byte progress (FileReader reports it for large files). */
function readText(file: File, onProgress: (loaded: number, total: number) => void, onAbort: (abort: () => void) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    reader.onload = () => resolve(typeof reader.result === 'string' ? reader.result : '');
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.onabort = () => reject(new Error('aborted'));
    onAbort(() => reader.abort());
    reader.readAsText(file);
  });
}

/** Validates in the import worker; on the main thread where workers cannot start. */
function check(format: ImportFormat, text: string, onProgress: (p: PrepareProgress) => void, onAbort: (abort: () => void) => void): Promise<PreparedImport> {
  let worker: Worker;
  try {
    worker = new Worker(new URL('./importWorker.ts', import.meta.url), { type: 'module' });
  } catch {
    return Promise.resolve(prepareImport(format, text, onProgress));
  }
  return new Promise((resolve) => {
    const finish = (result: PreparedImport) => {
      worker.terminate();
      resolve(result);
    };
    onAbort(() => finish({ ok: false, errors: ['cancelled'] }));
    worker.onmessage = (e: MessageEvent<ImportWorkerMessage>) => {
      if (e.data.type === 'progress') onProgress(e.data.progress);
      else finish(e.data.result);
    };
    worker.onerror = (e) => {
      e.preventDefault();
      finish({ ok: false, errors: [`the file could not be checked${e.message ? `: ${e.message}` : ''}`] });
    };
    worker.postMessage({ format, text } satisfies ImportWorkerRequest);
  });
}

function capLines(lines: string[]): string[] {
  return lines.length <= MAX_LISTED_LINES ? lines : [...lines.slice(0, MAX_LISTED_LINES), `and ${lines.length - MAX_LISTED_LINES} more`];
}

const NOUNS: Record<string, [string, string]> = {
  tasks: ['task', 'tasks'],
  dependencies: ['link', 'links'],
  notes: ['note', 'notes'],
  baselines: ['baseline', 'baselines'],
  comments: ['comment thread', 'comment threads'],
};

/** "12 tasks, 9 links and 1 note" (zero counts after the tasks are left out). */
export function describeCounts(counts: Record<string, number | string | undefined>): string {
  const parts = Object.entries(NOUNS)
    .map(([key, nouns]) => [counts[key], nouns] as const)
    .filter((entry): entry is readonly [number, [string, string]] => typeof entry[0] === 'number')
    .filter(([n, [one]]) => n > 0 || one === 'task' || one === 'link')
    .map(([n, [one, many]]) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`);
  return parts.length <= 1 ? parts.join('') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}

/** The ready dialog's text for a checked file. */
export function describeReady(prepared: ReadyImport): { title: string; lines: string[]; replaces: boolean } {
  const what = describeCounts({ ...prepared.counts });
  const label = IMPORT_FORMAT_LABELS[prepared.format];
  if (prepared.format === 'json') {
    return {
      title: `Ready to import: ${what}`,
      lines: [`${label}: this replaces everything on this board (tasks, links, notes, baselines, settings and comments) with the file's content. Undo brings the plan back; replaced comment threads do not come back.`],
      replaces: true,
    };
  }
  return { title: `Ready to import: ${what}`, lines: [`${label}: the tasks are added after the ones already on the board.`], replaces: false };
}

