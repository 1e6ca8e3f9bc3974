import { useEffect, useState } from 'react';
import type * as Y from 'yjs';
import { readBoard, type BoardSnapshot } from '../../shared/doc/read.ts';

/**
 * A reading of the live document that follows its changes (at most every `throttleMs`), for
 * comparing a version with now while people keep editing. Only runs while `enabled`.
 */
export function useLiveBoard(doc: Y.Doc, enabled: boolean, throttleMs = 300): BoardSnapshot | null {
  const [board, setBoard] = useState<BoardSnapshot | null>(null);
  useEffect(() => {
    if (!enabled) {
      setBoard(null);
      return;
    }
    setBoard(readBoard(doc));
    let timer: ReturnType<typeof setTimeout> | null = null;
    const onUpdate = () => {
      if (timer) return;
      timer = setTimeout(() => {
        timer = null;
        setBoard(readBoard(doc));
      }, throttleMs);
    };
    doc.on('update', onUpdate);
    return () => {
      doc.off('update', onUpdate);
      if (timer) clearTimeout(timer);
    };
  }, [doc, enabled, throttleMs]);
  return board;
}
