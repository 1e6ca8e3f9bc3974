import type { CommentAnchor, CommentAuthor } from '../../shared/comments/types.ts';
import { createThread, deleteMessage, reopenThread, reply, resolveThread, type CommentResult } from '../../shared/doc/comments.ts';
import type { BoardSession } from '../board/session.ts';
import { commentsApi, type CommentApiResult } from './commentsApi.ts';

export type WriteResult = { ok: true; threadId: string } | { ok: false; error: string };

/**
 * Writes comments the way this link may: an editor straight into the document with the local
 * origin (undoable, works offline, syncs like any edit); a viewer through the REST endpoints
 * (the server refuses a viewer's document updates). Callers do not care which.
 */
export interface CommentWriter {
  /** False for a viewer on a board where viewers may not comment. */
  canComment: boolean;
  /** Deleting messages is for editors (their own messages); viewers have no REST route for it. */
  canDelete: boolean;
  /** Resolving and reopening are for editors: "Viewers may comment" lets a viewer add and reply only (the server refuses the rest). */
  canResolve: boolean;
  create(anchor: CommentAnchor, text: string, author: CommentAuthor, knownNames: Iterable<string>): Promise<WriteResult>;
  reply(threadId: string, text: string, author: CommentAuthor, knownNames: Iterable<string>): Promise<WriteResult>;
  resolve(threadId: string, author: CommentAuthor): Promise<WriteResult>;
  reopen(threadId: string): Promise<WriteResult>;
  deleteMessage(threadId: string, messageId: string): Promise<WriteResult>;
}

export function commentWriter(session: BoardSession, token: string, viewersMayComment: boolean): CommentWriter {
  if (!session.readOnly) {
    const local = <T>(threadId: (value: T) => string, result: CommentResult<T>): WriteResult => {
      // Each comment action is its own undo step.
      session.undoManager.stopCapturing();
      return result.ok ? { ok: true, threadId: threadId(result.value) } : { ok: false, error: result.error };
    };
    const { doc, localOrigin } = session;
    return {
      canComment: true,
      canDelete: true,
      canResolve: true,
      create: async (anchor, text, author, knownNames) =>
        local((v) => v.threadId, createThread(doc, { anchor, text, author, knownNames }, localOrigin)),
      reply: async (id, text, author, knownNames) => local(() => id, reply(doc, id, { text, author, knownNames }, localOrigin)),
      resolve: async (id, author) => local(() => id, resolveThread(doc, id, author.name, localOrigin)),
      reopen: async (id) => local(() => id, reopenThread(doc, id, localOrigin)),
      deleteMessage: async (id, messageId) => local(() => id, deleteMessage(doc, id, messageId, localOrigin)),
    };
  }
  const remote = async (call: Promise<CommentApiResult>): Promise<WriteResult> => {
    const result = await call;
    return result.ok ? { ok: true, threadId: result.thread.id } : result;
  };
  const { boardId } = session;
  return {
    canComment: viewersMayComment,
    canDelete: false,
    canResolve: false,
    create: (anchor, text, author) => remote(commentsApi.create(boardId, token, anchor, text, author)),
    reply: (id, text, author) => remote(commentsApi.reply(boardId, token, id, text, author)),
    resolve: async () => ({ ok: false, error: 'Only editors can resolve comments.' }),
    reopen: async () => ({ ok: false, error: 'Only editors can reopen comments.' }),
    deleteMessage: async () => ({ ok: false, error: 'Only editors can delete comments.' }),
  };
}
