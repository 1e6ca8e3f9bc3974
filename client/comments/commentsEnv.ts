import { useMemo } from 'react';
import { useStore } from 'zustand';
import type { CommentAnchor, CommentAuthor } from '../../shared/comments/types.ts';
import type { BoardSession } from '../board/session.ts';
import { identityStore } from '../app/identityStore.ts';
import { useBoardView } from '../app/boardView.ts';
import { boardModelFor } from '../canvas/useBoardModel.ts';
import { goToAnchor } from './anchorNavigation.ts';
import { commentWriter, type CommentWriter } from './commentWriter.ts';
import { useComments, type CommentsSnapshot } from './commentsModel.ts';
import { commentsUiFor, type CommentsUiStore } from './commentsUi.ts';
import { knownNames } from './useKnownNames.ts';

/** What every comment component needs, built once per render of its owner. */
export interface CommentsEnv {
  session: BoardSession;
  comments: CommentsSnapshot;
  writer: CommentWriter;
  /** Names that can be @mentioned, read when asked (the @ suggestions open, a message is sent). */
  names(): string[];
  /** This user, as comments record them. */
  author: CommentAuthor;
  ui: CommentsUiStore;
  goTo(anchor: CommentAnchor): void;
  /** Put the caret in the focused thread's reply box (after opening it from a pin or a card). */
  focusComposer: boolean;
}

export function useCommentsEnv(session: BoardSession): CommentsEnv {
  const comments = useComments(session.doc);
  const ui = commentsUiFor(session.doc);
  const token = useStore(ui, (s) => s.token);
  const identity = useStore(identityStore);
  const view = useBoardView();
  // Not subscribed to the board: a task moving must not re-render every comment view.
  const names = () => knownNames(session.awareness, boardModelFor(session.doc).tasks.values(), comments.threads);
  const author = useMemo(() => ({ name: identity.name || 'Anonymous', color: identity.color }), [identity.name, identity.color]);
  const writer = useMemo(() => commentWriter(session, token, comments.viewersMayComment), [session, token, comments.viewersMayComment]);
  return {
    session,
    comments,
    writer,
    names,
    author,
    ui,
    goTo: (anchor) => goToAnchor(anchor, view, session, ui),
    focusComposer: true,
  };
}
