import { useEffect, useRef, type RefObject } from 'react';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { BoardSession } from '../../board/session.ts';
import { importFlowFor } from './importFlow.ts';
import { importFormatOf } from './importFormats.ts';

const ACTIVE_CLASS = 'file-drop-active';

/** The element a file is being dragged over (null: none); DropOverlay draws on it. */
export type DropTarget = StoreApi<{ target: HTMLElement | null }>;
const dropTargets = new WeakMap<BoardSession, DropTarget>();

/** The drag-over state of an open board, shared by the drop target and its overlay. */
export function dropTargetFor(session: BoardSession): DropTarget {
  let store = dropTargets.get(session);
  if (!store) {
    store = createStore(() => ({ target: null as HTMLElement | null }));
    dropTargets.set(session, store);
  }
  return store;
}

/** True when a drag carries files (not a card or text being dragged inside the page). */
function carriesFiles(e: DragEvent): boolean {
  return !!e.dataTransfer && [...e.dataTransfer.types].includes('Files');
}

/**
 * Makes an element accept a dropped plan file (.csv, .json, .xml): marks it (class
 * `file-drop-active`, and `dropTargetFor(session)`, which DropOverlay draws) while a file is
 * dragged over it, and on drop starts the same import as the menu (progress, check, confirm:
 * ImportDialog). A file of no known format is refused with a message through `onRefused`.
 * View-only sessions refuse the drop (no highlight, "not allowed").
 *
 * @example useFileDrop(rootRef, session, (message) => setDropError(message))
 */
export function useFileDrop(ref: RefObject<HTMLElement | null>, session: BoardSession, onRefused: (message: string) => void): void {
  // Read through a ref: a caller's inline callback must not re-attach the listeners (which
  // clears the drag state, and the overlay with it, in the middle of a drag).
  const onRefusedRef = useRef(onRefused);
  onRefusedRef.current = onRefused;
  useEffect(() => {
    const el = ref.current;
    if (!el || session.readOnly) return;
    const dropTarget = dropTargetFor(session);
    let depth = 0;
    const clear = () => {
      depth = 0;
      el.classList.remove(ACTIVE_CLASS);
      if (dropTarget.getState().target === el) dropTarget.setState({ target: null });
    };
    const onEnter = (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      e.preventDefault();
      depth++;
      el.classList.add(ACTIVE_CLASS);
      if (dropTarget.getState().target !== el) dropTarget.setState({ target: el });
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
      // Known by name or type; a file without either is sniffed by the import itself.
      const file = [...(e.dataTransfer?.files ?? [])].find((f) => importFormatOf(f) !== null);
      if (!file) {
        onRefusedRef.current('Drop a .csv, .json or MS Project .xml file to import it.');
        return;
      }
      importFlowFor(session).start(file);
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
  }, [ref, session]);
}
