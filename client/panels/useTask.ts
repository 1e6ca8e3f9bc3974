import { useEffect, useState } from 'react';
import type * as Y from 'yjs';
import { readTask } from '../../shared/doc/read.ts';
import { boardMaps, entityMap } from '../../shared/doc/structure.ts';
import type { Task } from '../../shared/schema/entities.ts';

/** One task, read through the validating layer and kept live with local and remote edits. */
export function useTask(doc: Y.Doc, id: string | null): Task | null {
  const [task, setTask] = useState<Task | null>(() => read(doc, id));
  useEffect(() => {
    if (!id) {
      setTask(null);
      return;
    }
    const tasks = boardMaps(doc).tasks;
    let entity: Y.Map<unknown> | null = null;
    const update = () => setTask(read(doc, id));
    // Follow the entity map itself, and the collection in case the task is deleted or replaced.
    const attach = () => {
      entity?.unobserveDeep(update);
      entity = entityMap(tasks, id);
      entity?.observeDeep(update);
      update();
    };
    const onTasks = (event: Y.YMapEvent<unknown>) => {
      if (event.keysChanged.has(id)) attach();
    };
    attach();
    tasks.observe(onTasks);
    return () => {
      tasks.unobserve(onTasks);
      entity?.unobserveDeep(update);
    };
  }, [doc, id]);
  return task;
}

function read(doc: Y.Doc, id: string | null): Task | null {
  if (!id) return null;
  return readTask(id, boardMaps(doc).tasks.get(id));
}
