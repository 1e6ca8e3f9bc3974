import { prepareImport, type PrepareProgress, type PreparedImport } from './prepareImport.ts';
import type { ImportFormat } from './importFormats.ts';

/**
 * Validates an import off the main thread, so a 5,000-row file never freezes the board.
 * In: {format, text}. Out: any number of {type: 'progress'}, then one {type: 'result'}.
 */
export type ImportWorkerRequest = { format: ImportFormat; text: string };
export type ImportWorkerMessage = { type: 'progress'; progress: PrepareProgress } | { type: 'result'; result: PreparedImport };

/** The worker's global, typed by hand: the project compiles against the DOM lib, not the webworker lib. */
interface WorkerScope {
  onmessage: ((event: MessageEvent<ImportWorkerRequest>) => void) | null;
  postMessage(message: ImportWorkerMessage, transfer?: Transferable[]): void;
}
const scope = self as unknown as WorkerScope;

scope.onmessage = (event: MessageEvent<ImportWorkerRequest>) => {
  const { format, text } = event.data;
  let result: PreparedImport;
  try {
    result = prepareImport(format, text, (progress) => scope.postMessage({ type: 'progress', progress }));
  } catch (err) {
    result = { ok: false, errors: [`the file could not be checked: ${err instanceof Error ? err.message : String(err)}`] };
  }
  const transfer: Transferable[] = result.ok && result.format === 'json' ? [result.update.buffer as ArrayBuffer] : [];
  scope.postMessage({ type: 'result', result }, transfer);
};
