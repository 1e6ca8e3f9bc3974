import { useEffect, type RefObject } from 'react';
import type { BoardSession } from '../../board/session.ts';
import { importCsvFile, type ImportResult } from './planFiles.ts';

const ACTIVE_CLASS = 'file-drop-active';

/** True when a drag carries files (not a card or text being dragged inside the page). */
function carriesFiles(e: DragEvent): boolean {
  return !!e.dataTransfer && [...e.dataTransfer.types].includes('Files');
}

function isCsv(file: File): boolean {
  return /\.csv$/i.test(file.name) || file.type === 'text/csv';
}

/**
 * Makes an element accept a dropped .csv file: highlights it (class `file-drop-active`) while
 * a file is dragged over it, imports the file on drop and reports the result. View-only
 * sessions refuse the drop (no highlight, the browser shows "not allowed").
 *
 * @example useFileDrop(rootRef, session, (result) => setMessage(describeImport(result)))
 */
export function useFileDrop(ref: RefObject<HTMLElement | null>, session: BoardSession, onResult: (result: ImportResult) => void): void {
  useEffect(() => {
    const el = ref.current;
    if (!el || session.readOnly) return;
    let depth = 0;
    const clear = () => {
      depth = 0;
      el.classList.remove(ACTIVE_CLASS);
    };
    const onEnter = (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      e.preventDefault();
      depth++;
      el.classList.add(ACTIVE_CLASS);
    };
    const onOver = (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    };
    const onLeave = (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      if (--depth <= 0) clear();
    };
    const onDrop = (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      e.preventDefault();
      clear();
      const file = [...(e.dataTransfer?.files ?? [])].find(isCsv);
      if (!file) {
        onResult({ ok: false, errors: [{ row: 0, message: 'drop a .csv file to import it' }] });
        return;
      }
      void importCsvFile(session, file).then(onResult);
    };
    el.addEventListener('dragenter', onEnter);
    el.addEventListener('dragover', onOver);
    el.addEventListener('dragleave', onLeave);
    el.addEventListener('drop', onDrop);
    return () => {
      clear();
      el.removeEventListener('dragenter', onEnter);
      el.removeEventListener('dragover', onOver);
      el.removeEventListener('dragleave', onLeave);
      el.removeEventListener('drop', onDrop);
    };
  }, [ref, session, onResult]);
}
