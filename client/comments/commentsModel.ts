import { useEffect, useSyncExternalStore } from 'react';
import * as Y from 'yjs';
import { COMMENTS_MAP, openThreadCounts, readComments } from '../../shared/doc/comments.ts';
import { readMeta } from '../../shared/doc/read.ts';
import type { CommentThread } from '../../shared/comments/types.ts';

/** What every comment view reads: the threads, open-thread counts per task, and the board setting. */
export interface CommentsSnapshot {
  threads: readonly CommentThread[];
  /** Task id -> number of open threads on it (what cards and the timeline grid show). */
  openCounts: ReadonlyMap<string, number>;
  /** Open threads on the whole board. */
  openTotal: number;
  viewersMayComment: boolean;
}

/**
 * The one live read model of a board's comments, shared by the panel, the canvas pins, the
 * cards and the grid (so a change is read once). Reads lazily: a burst of remote updates costs
 * one read, when something renders.
 */
export class CommentsModel {
  private snapshot: CommentsSnapshot | null = null;
  private readonly listeners = new Set<() => void>();
  private users = 0;

  constructor(private readonly doc: Y.Doc) {}

  private readonly onChange = (): void => {
    this.snapshot = null;
    for (const listener of this.listeners) listener();
  };

  /** Only the presence of tasks matters here (a thread "on a deleted task"), not their fields. */
  private readonly onTasks = (event: Y.YMapEvent<unknown>): void => {
    for (const change of event.changes.keys.values()) if (change.action !== 'update') return this.onChange();
  };

  private readonly onMeta = (event: Y.YMapEvent<unknown>): void => {
    if (event.keysChanged.has('viewersMayComment')) this.onChange();
  };

  retain(): () => void {
    if (this.users++ === 0) {
      this.doc.getMap(COMMENTS_MAP).observeDeep(this.onChange);
      this.doc.getMap('tasks').observe(this.onTasks);
      this.doc.getMap('meta').observe(this.onMeta);
      this.onChange();
    }
    return () => {
      if (--this.users > 0) return;
      this.doc.getMap(COMMENTS_MAP).unobserveDeep(this.onChange);
      this.doc.getMap('tasks').unobserve(this.onTasks);
      this.doc.getMap('meta').unobserve(this.onMeta);
    };
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): CommentsSnapshot => {
    // Not observing (nobody retained the model): read fresh, a cached snapshot may be stale.
    if (!this.snapshot || this.users === 0) {
      const threads = readComments(this.doc);
      const openCounts = openThreadCounts(threads.filter((t) => !t.taskDeleted));
      this.snapshot = {
        threads,
        openCounts,
        openTotal: threads.filter((t) => !t.resolved).length,
        viewersMayComment: readMeta(this.doc).viewersMayComment,
      };
    }
    return this.snapshot;
  };
}

const models = new WeakMap<Y.Doc, CommentsModel>();

export function commentsModelFor(doc: Y.Doc): CommentsModel {
  let model = models.get(doc);
  if (!model) models.set(doc, (model = new CommentsModel(doc)));
  return model;
}

/** The live comments of `doc`; re-renders when a thread, the task set or the setting changes. */
export function useComments(doc: Y.Doc): CommentsSnapshot {
  const model = commentsModelFor(doc);
  useEffect(() => model.retain(), [model]);
  return useSyncExternalStore(model.subscribe, model.getSnapshot);
}
