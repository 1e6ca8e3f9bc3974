import { useCallback, useEffect, useRef, useState } from 'react';
import { useStore } from 'zustand';
import { readBoard } from '../../shared/doc/read.ts';
import { boardPagePath, type BoardRole } from '../../shared/protocol/api.ts';
import { fetchBoardInfo } from '../sync/api.ts';
import { createBoardSession, type OpenBoardSession } from '../sync/createBoardSession.ts';
import { TaskInspector } from '../panels/TaskInspector.tsx';
import { useLocalSelection } from '../panels/useLocalSelection.ts';
import { BoardHeader } from './BoardHeader.tsx';
import { BoardNotices } from './BoardNotices.tsx';
import { CanvasHost } from './CanvasHost.tsx';
import { useBoardView } from './boardView.ts';
import { ViewTabs } from './ViewTabs.tsx';
import { ViewErrorBoundary } from './ViewErrorBoundary.tsx';
import { useUndoShortcuts } from './useUndoShortcuts.ts';
import { usePlan } from '../plan/usePlan.ts';
import { TimelineView } from '../views/timeline/TimelineView.tsx';
import { KanbanView } from '../views/kanban/KanbanView.tsx';
import { DashboardView } from '../views/dashboard/DashboardView.tsx';
import { ImportExportMenu } from '../views/io/ImportExportMenu.tsx';
import { useFileDrop } from '../views/io/useFileDrop.ts';
import { identityStore } from './identityStore.ts';
import { Logo } from './Logo.tsx';
import { NameDialog } from './NameDialog.tsx';
import { bestToken, cachedRole, getRecentBoard, recordBoard, removeRecentBoard } from './recentBoards.ts';
import { navigate, onLinkClick } from './router.ts';
import { clearTestHooks, setTestHooks, type PlainSchedule } from './testHooks.ts';
import { planModelFor } from '../plan/planModel.ts';
import { boardModelFor } from '../canvas/useBoardModel.ts';
import { useBoardTitle } from './useBoardMeta.ts';
import { CommentsButton } from '../comments/CommentsButton.tsx';
import { CommentsPanel } from '../comments/CommentsPanel.tsx';
import { createFollow, destroyFollow } from '../follow/followController.ts';
import { FollowBanner } from '../follow/FollowBanner.tsx';
import { HistoryPanel } from '../history/HistoryPanel.tsx';
import { HistoryNotice, VersionPreview } from '../history/VersionPreview.tsx';

type Access =
  | { phase: 'resolving' }
  | { phase: 'open'; role: BoardRole }
  | { phase: 'error'; message: string; retry: boolean };

/**
 * /b/:id?token=… — finds out what the token allows (cached per token, so a reload without the
 * server still opens the board), then opens the session.
 */
export function BoardPage({ id, token }: { id: string; token: string | null }) {
  const [access, setAccess] = useState<Access>(() => initialAccess(id, token));
  const [attempt, setAttempt] = useState(0);

  // A link without a token: use the one this browser has for the board, if any.
  useEffect(() => {
    if (token) return;
    const entry = getRecentBoard(localStorage, id);
    if (entry) navigate(boardPagePath(id, bestToken(entry)), { replace: true });
  }, [id, token]);

  useEffect(() => {
    setAccess(initialAccess(id, token));
    // Opening a known link offline counts as a visit too (the server check below may not run).
    const role = token ? cachedRole(getRecentBoard(localStorage, id), token) : null;
    if (token && role) recordBoard(localStorage, { id, token: { value: token, role } });
  }, [id, token]);

  // Ask the server what the token allows; also validates a cached role.
  useEffect(() => {
    if (!token) return;
    // Offline with a cached role: the board opens from IndexedDB; check again when online.
    if (!navigator.onLine && cachedRole(getRecentBoard(localStorage, id), token)) {
      const retry = () => setAttempt((a) => a + 1);
      window.addEventListener('online', retry, { once: true });
      return () => window.removeEventListener('online', retry);
    }
    let cancelled = false;
    void fetchBoardInfo(id, token).then((result) => {
      if (cancelled) return;
      if (result.ok) {
        const { role, title, viewToken } = result.value;
        const hadTitle = getRecentBoard(localStorage, id)?.title;
        recordBoard(localStorage, { id, token: { value: token, role }, title: hadTitle ?? title, viewToken });
        setAccess((prev) => (prev.phase === 'open' && prev.role === role ? prev : { phase: 'open', role }));
      } else if (result.kind === 'forbidden' && result.reason) {
        // A reset or expired link: a board already open here stays open with its local copy
        // (the session stops syncing and says why); otherwise there is nothing to show.
        setAccess((prev) => (prev.phase === 'open' ? prev : { phase: 'error', retry: false, message: result.message }));
      } else if (result.kind === 'network' || result.kind === 'server') {
        setAccess((prev) =>
          prev.phase === 'open'
            ? prev
            : {
                phase: 'error',
                retry: true,
                message:
                  result.kind === 'network'
                    ? "Can't reach the Planvas server, and this board has not been opened in this browser before. Try again when you are online."
                    : result.message,
              },
        );
      } else {
        // A board deleted while this browser was away: forget it here too.
        if (result.kind === 'not-found') removeRecentBoard(localStorage, id);
        setAccess({ phase: 'error', retry: false, message: result.message });
      }
    });
    return () => {
      cancelled = true;
    };
  }, [id, token, attempt]);

  if (!token) return <BoardError message="This link has no access token. Ask for the board's share link." retry={null} />;
  if (access.phase === 'error') return <BoardError message={access.message} retry={access.retry ? () => setAttempt((a) => a + 1) : null} />;
  if (access.phase === 'resolving') return <div className="page-center muted">Opening board…</div>;
  // Not keyed by the token: after this user resets the link, the open session switches to the new token in place.
  return <OpenBoard key={`${id}:${access.role}`} id={id} token={token} readOnly={access.role === 'view'} />;
}

function initialAccess(id: string, token: string | null): Access {
  const role = token ? cachedRole(getRecentBoard(localStorage, id), token) : null;
  return role ? { phase: 'open', role } : { phase: 'resolving' };
}

function OpenBoard({ id, token, readOnly }: { id: string; token: string; readOnly: boolean }) {
  const identity = useStore(identityStore);
  const [open, setOpen] = useState<OpenBoardSession | null>(null);
  const [renaming, setRenaming] = useState(false);
  // The session opens with the token of its first render; later tokens (a link this user reset) are swapped in below.
  const tokenRef = useRef(token);
  tokenRef.current = token;

  useEffect(() => {
    const { name, color } = identityStore.getState();
    const opened = createBoardSession({ boardId: id, token: tokenRef.current, readOnly, user: { name: name || 'Anonymous', color } });
    createFollow(opened.session);
    setOpen(opened);
    const hooks = {
      session: opened.session,
      readBoard: () => readBoard(opened.session.doc),
      status: () => opened.connection.getState().status,
      unsynced: () => opened.connection.getState().unsynced,
      schedule: () => {
        const doc = opened.session.doc;
        const s = planModelFor(doc, boardModelFor(doc)).schedule();
        const tasks: PlainSchedule['tasks'] = {};
        for (const t of s.tasks.values()) tasks[t.id] = { start: t.start, finish: t.finish, critical: t.critical, totalFloat: t.totalFloat };
        return { projectFinish: s.projectFinish, tasks, cycles: s.cycles };
      },
    };
    setTestHooks(hooks);
    return () => {
      clearTestHooks(hooks);
      destroyFollow(opened.session);
      opened.destroy();
    };
  }, [id, readOnly]);

  useEffect(() => open?.replaceToken(token), [open, token]);

  // The name and colour go out through awareness as soon as they change.
  useEffect(() => {
    open?.session.presence.setUser({ name: identity.name || 'Anonymous', color: identity.color, role: readOnly ? 'view' : 'edit' });
  }, [open, identity.name, identity.color, readOnly]);

  const editName = useCallback(() => setRenaming(true), []);
  if (!open) return null;
  return (
    <OpenBoardView
      open={open}
      token={token}
      askName={!identity.name || renaming}
      renaming={renaming}
      identityName={identity.name}
      identityColor={identity.color}
      onEditName={editName}
      onNameDone={(name) => {
        if (name) identityStore.getState().setName(name);
        setRenaming(false);
      }}
    />
  );
}

function OpenBoardView(props: {
  open: OpenBoardSession;
  token: string;
  askName: boolean;
  renaming: boolean;
  identityName: string;
  identityColor: string;
  onEditName(): void;
  onNameDone(name: string | null): void;
}) {
  const { open, token } = props;
  const { session, connection } = open;
  const { title, known } = useBoardTitle(session.doc);
  const ready = useStore(connection, (s) => s.ready);
  const status = useStore(connection, (s) => s.status);
  const closedReason = useStore(connection, (s) => s.closedReason);
  const deleted = useStore(connection, (s) => s.deleted);
  const selection = useLocalSelection(session.presence);
  const view = useBoardView();
  const plan = usePlan(session.doc);

  useEffect(() => session.presence.setView(view), [session, view]);
  useUndoShortcuts(session, view !== 'canvas');
  // A .csv dropped anywhere on the board imports it (every view).
  const bodyRef = useRef<HTMLDivElement>(null);
  // A dropped file Planvas cannot import is refused here; every other file goes through the import dialog.
  const [dropError, setDropError] = useState<string | null>(null);
  useFileDrop(bodyRef, session, setDropError);

  // Keep the recent-boards entry's title fresh, and the tab's.
  useEffect(() => {
    if (known) recordBoard(localStorage, { id: session.boardId, title, touch: false });
    document.title = `${known ? title : 'Board'} — Planvas`;
  }, [known, title, session.boardId]);

  // Deleted under us (close code 4404): nothing here can be saved any more, so no edit controls.
  if (deleted) return <BoardError message="This board was deleted by someone with its edit link." retry={null} />;
  const entry = getRecentBoard(localStorage, session.boardId);
  const editToken = entry?.editToken ?? (session.readOnly ? undefined : token);
  const viewToken = entry?.viewToken ?? (session.readOnly ? token : undefined);

  return (
    <div className="board-page">
      <BoardHeader
        session={session}
        connection={connection}
        title={known ? title : ready ? title : 'Loading…'}
        editToken={editToken}
        viewToken={viewToken}
        onEditName={props.onEditName}
      />
      <BoardNotices connection={connection} />
      <div className="view-tabs-row">
        <ViewTabs current={view} />
        <ImportExportMenu session={session} plan={plan} />
        <CommentsButton session={session} />
      </div>
      <div className="board-body" data-view={view} ref={bodyRef}>
        <div className="board-view" role="tabpanel" aria-labelledby={`tab-${view}`}>
          <ViewErrorBoundary key={view} view={view}>
            {view === 'canvas' && <CanvasHost session={session} />}
            {view === 'timeline' && <TimelineView session={session} plan={plan} />}
            {view === 'board' && <KanbanView session={session} plan={plan} />}
            {view === 'dashboard' && <DashboardView session={session} plan={plan} />}
          </ViewErrorBoundary>
        </div>
        {view !== 'dashboard' && (
          <ViewErrorBoundary key={`inspector-${view}`} view="details">
            <TaskInspector session={session} plan={plan} selection={selection} onClose={view === 'canvas' ? undefined : () => session.presence.setSelection([])} />
          </ViewErrorBoundary>
        )}
        <ViewErrorBoundary view="comments">
          <CommentsPanel session={session} token={token} />
        </ViewErrorBoundary>
        {!ready && (
          <div className="board-loading" role="status">
            {status === 'offline' || status === 'reconnecting'
              ? 'This board is not saved in this browser yet; it will load when the server is reachable.'
              : 'Loading board…'}
          </div>
        )}
        {dropError && (
          <div className="import-result floating error" role="alert">
            <strong>Nothing was imported</strong>
            <p>{dropError}</p>
            <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => setDropError(null)}>
              ×
            </button>
          </div>
        )}
        <FollowBanner session={session} selfColor={props.identityColor} />
        <VersionPreview session={session} editToken={editToken} view={view} />
        <HistoryPanel session={session} editToken={editToken} viewToken={viewToken} />
        <HistoryNotice session={session} />
        {closedReason && (
          <div className="error-banner floating" role="alert">
            {closedReason}
          </div>
        )}
      </div>
      {props.askName && (
        <NameDialog
          initial={props.renaming ? props.identityName : ''}
          color={props.identityColor}
          onSave={(name) => props.onNameDone(name)}
          onCancel={props.renaming && props.identityName ? () => props.onNameDone(null) : undefined}
        />
      )}
    </div>
  );
}

function BoardError({ message, retry }: { message: string; retry: (() => void) | null }) {
  return (
    <div className="page-center">
      <div className="card error-card">
        <Logo />
        <h2>Can't open this board</h2>
        <p role="alert">{message}</p>
        <div className="modal-actions">
          {retry && (
            <button type="button" className="button" onClick={retry}>
              Try again
            </button>
          )}
          <a className="button primary" href="/" onClick={(e) => onLinkClick(e, '/')}>
            All boards
          </a>
        </div>
      </div>
    </div>
  );
}
