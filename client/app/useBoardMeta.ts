import { useEffect, useState } from 'react';
import type * as Y from 'yjs';
import { readMeta } from '../../shared/doc/read.ts';
import { boardMaps } from '../../shared/doc/structure.ts';

/** The board's title, live from meta.title; `known` is false until the document has one. */
export function useBoardTitle(doc: Y.Doc): { title: string; known: boolean } {
  const [state, setState] = useState(() => read(doc));
  useEffect(() => {
    const meta = boardMaps(doc).meta;
    const update = () => setState(read(doc));
    update();
    meta.observe(update);
    return () => meta.unobserve(update);
  }, [doc]);
  return state;
}

function read(doc: Y.Doc): { title: string; known: boolean } {
  const known = typeof boardMaps(doc).meta.get('title') === 'string';
  return { title: readMeta(doc).title, known };
}
