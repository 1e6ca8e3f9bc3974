import * as Y from 'yjs';
import { IndexeddbPersistence } from 'y-indexeddb';
import { WebsocketProvider } from 'y-websocket';
import { createStore, type StoreApi } from 'zustand/vanilla';
import { migrateDocument } from '../../shared/doc/migrations.ts';
import { boardMaps } from '../../shared/doc/structure.ts';
import type { PresenceUser } from '../../shared/protocol/presence.ts';
import { CloseCode } from '../../shared/protocol/wire.ts';
import { readServerStatus, type ServerStatus } from '../../shared/protocol/serverStatus.ts';
import type { BoardSession, ConnectionStatus } from '../board/session.ts';
import { fetchBoardInfo } from './api.ts';
import { deriveStatus, type ConnectionFacts } from './connectionStatus.ts';
import { forgetBoardLocally } from './localBoardCache.ts';
import { linkResetPending, watchLinkResets } from './linkReset.ts';
import { noticeForClose, noticeForRefusal, type ServerNotice } from './serverNotices.ts';
import { createPresencePublisher, type LocalPresencePublisher } from './presencePublisher.ts';

/** Group keystrokes and drags of one gesture into one undo step. */
export const UNDO_CAPTURE_MS = 400;
/** IndexedDB key (y-indexeddb's custom store) set while local edits have not reached the server. */
const UNSYNCED_KEY = 'planvas:unsynced';

export interface ConnectionState {
  status: ConnectionStatus;
  /** Local edits the server has not acknowledged yet (kept in IndexedDB meanwhile). */
  unsynced: boolean;
  /** The document holds the board: synced with the server, or loaded from this browser's cache. */
  ready: boolean;
  /** Synced with the server at least once in this session. */
  serverSynced: boolean;
  /** The server closed the connection for good (e.g. access revoked); null otherwise. */
  closedReason: string | null;
  /** The board was deleted (close code 4404, or the server no longer knows it): no more syncing, the local copy is dropped. */
  deleted: boolean;
  /**
   * The server stopped syncing this board for good and why: the link was reset or has expired,
   * or the board is too large (serverNotices.ts). No more reconnects; the local copy is kept.
   */
  notice: ServerNotice | null;
  /** What the server says about itself (its database is unreachable: saving paused), or null. */
  serverStatus: ServerStatus | null;
}

export interface OpenBoardSession {
  session: BoardSession & { presence: LocalPresencePublisher };
  connection: StoreApi<ConnectionState>;
  /**
   * Switches to another token of the same role (the link was reset by this user, see
   * linkReset.ts) and reconnects with it, keeping the document, its unsynced edits and undo.
   */
  replaceToken(token: string): void;
  /** Disconnects, stops persistence and presence, destroys the document. */
  destroy(): void;
}

export interface BoardSessionOptions {
  boardId: string;
  token: string;
  readOnly: boolean;
  user: { name: string; color: string };
  /** ws(s)://host of the server; defaults to this page's host. */
  wsBase?: string;
}

function defaultWsBase(): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}`;
}

function hasContent(doc: Y.Doc): boolean {
  return doc.store.clients.size > 0;
}

/**
 * Opens one board: a Y.Doc cached in IndexedDB (offline edits survive a reload), synced with
 * the server through the stock y-websocket provider, an UndoManager that tracks only this
 * client's origin, and a throttled presence publisher.
 */
export function createBoardSession(options: BoardSessionOptions): OpenBoardSession {
  const { boardId, readOnly } = options;
  // Changes when this user resets the link (replaceToken); the provider reads it at each connect.
  let token = options.token;
  /** The token the current (or last) socket was opened with. */
  let socketToken = token;
  /** A 4401 arrived while this tab was resetting the link: wait for the new token instead of giving up. */
  let heldForReset = false;
  const doc = new Y.Doc();
  const localOrigin = { name: 'planvas-local', boardId };
  const maps = boardMaps(doc);
  const undoManager = new Y.UndoManager([maps.tasks, maps.deps, maps.notes, maps.meta, maps.baselines], {
    trackedOrigins: new Set([localOrigin]),
    captureTimeout: UNDO_CAPTURE_MS,
  });

  const persistence = new IndexeddbPersistence(`planvas-board-${boardId}`, doc);
  const provider = new WebsocketProvider(`${options.wsBase ?? defaultWsBase()}/ws`, boardId, doc, {
    params: { token },
    // Tabs must sync through the server, which enforces view-only links; the BroadcastChannel
    // shortcut would let a view tab's state reach the server through an edit tab.
    disableBc: true,
  });
  const role: PresenceUser['role'] = readOnly ? 'view' : 'edit';
  const presence = createPresencePublisher(provider.awareness, { ...options.user, role });

  const facts: ConnectionFacts = {
    browserOnline: typeof navigator === 'undefined' ? true : navigator.onLine,
    socket: 'connecting',
    everConnected: false,
    failedAttempts: 0,
  };
  const connection = createStore<ConnectionState>()(() => ({
    status: deriveStatus(facts),
    unsynced: false,
    ready: false,
    serverSynced: false,
    closedReason: null,
    deleted: false,
    notice: null,
    serverStatus: null,
  }));
  const refresh = () => connection.setState({ status: deriveStatus(facts) });

  let destroyed = false;
  let migrated = false;
  // Runs once the document holds the real board, never on an empty unsynced doc (that would
  // write meta that races the server's). View links cannot write, so they never migrate.
  const migrateOnce = () => {
    if (migrated || readOnly || destroyed) return;
    migrated = true;
    migrateDocument(doc, localOrigin);
  };

  const setUnsynced = (unsynced: boolean) => {
    if (connection.getState().unsynced === unsynced) return;
    connection.setState({ unsynced });
    if (!destroyed) void persistence.set(UNSYNCED_KEY, unsynced ? 1 : 0).catch(() => {});
  };

  const onUpdate = (_update: Uint8Array, origin: unknown) => {
    if (origin === provider || origin === persistence) return;
    // A local edit: it reaches the server at once only over a synced, open socket.
    if (!(provider.wsconnected && provider.synced)) setUnsynced(true);
  };
  doc.on('update', onUpdate);

  void persistence.whenSynced.then(async () => {
    if (destroyed) return;
    if (hasContent(doc)) {
      connection.setState({ ready: true });
      migrateOnce();
    }
    try {
      const flag: unknown = await persistence.get(UNSYNCED_KEY);
      if (!destroyed && flag === 1 && !connection.getState().serverSynced) connection.setState({ unsynced: true });
    } catch {
      // A missing flag only hides the "unsynced" hint.
    }
  });

  provider.on('status', ({ status }) => {
    facts.socket = status;
    // 'connecting' is emitted as the socket is created, with the URL of the current params.
    if (status === 'connecting') socketToken = token;
    if (status === 'connected') {
      facts.everConnected = true;
      // Peers dropped our presence when the connection broke, and they ignore a re-sent state
      // whose clock they have already seen: republish with a new clock so we reappear at once
      // instead of after awareness's 15 s renewal.
      const state = provider.awareness.getLocalState();
      if (state) provider.awareness.setLocalState({ ...state });
    }
    refresh();
  });
  provider.on('connection-close', () => {
    facts.failedAttempts += 1;
    // While the browser says it is offline, stop retrying (each attempt fails and logs) until
    // the 'online' event. The first attempt still runs: a loopback-only machine reports
    // offline yet reaches a local server. (Not disconnect(): it would re-enter this handler.)
    if (!navigator.onLine) provider.shouldConnect = false;
    refresh();
  });
  provider.on('sync', (synced: boolean) => {
    if (!synced || destroyed) return;
    facts.failedAttempts = 0;
    connection.setState({ serverSynced: true, ready: true, closedReason: null });
    refresh();
    migrateOnce();
    // Sync step 2 has carried every local edit to the server.
    setUnsynced(false);
  });
  provider.on('closed', ({ code, reason }) => {
    if (code === CloseCode.linkRevoked && !destroyed) {
      // A socket of the link this user has just replaced: reconnect with the new one.
      if (socketToken !== token) return provider.connect();
      // This tab is resetting the link: the new token is on its way (replaceToken).
      if (linkResetPending(boardId) && noticeForClose(code, reason) === 'link-revoked') {
        heldForReset = true;
        return;
      }
    }
    facts.closedForGood = true;
    refresh();
    if (code === CloseCode.boardDeleted) return markDeleted(true);
    const notice = noticeForClose(code, reason);
    if (notice) return stopWithNotice(notice);
    connection.setState({ closedReason: reason || `The server closed the connection (${code}).` });
  });

  // The link no longer opens the board or the board cannot grow: stop reconnecting, keep the
  // local copy (IndexedDB) and say why.
  const stopWithNotice = (notice: ServerNotice) => {
    if (destroyed || connection.getState().notice) return;
    heldForReset = false;
    provider.shouldConnect = false;
    provider.disconnect();
    facts.closedForGood = true;
    refresh();
    connection.setState({ notice, closedReason: null });
  };

  const replaceToken = (next: string) => {
    if (destroyed || next === token || connection.getState().notice || deleted) return;
    token = next;
    provider.params = { ...provider.params, token: next };
    if (heldForReset) {
      heldForReset = false;
      provider.connect();
    } else if (provider.ws !== null && socketToken !== next) {
      // Reopen now rather than wait for the server to close the old link's socket.
      provider.disconnect();
      provider.connect();
    }
  };
  const stopWatchingResets = watchLinkResets(boardId, {
    replaced: (role, next) => {
      if (role === (readOnly ? 'view' : 'edit')) replaceToken(next);
    },
    // The reset failed or gave no token for this session's role: the 4401 was real.
    settled: () => {
      if (heldForReset) stopWithNotice('link-revoked');
    },
  });

  // The server announces that it cannot store edits through its own awareness state.
  const onAwarenessChange = () => {
    const status = readServerStatus(provider.awareness.getStates());
    const previous = connection.getState().serverStatus;
    if (status?.since === previous?.since && status?.heldEdits === previous?.heldEdits) return;
    connection.setState({ serverStatus: status });
  };
  provider.awareness.on('change', onAwarenessChange);

  // The board was deleted: stop reconnecting (a reconnect must never recreate it), drop this
  // browser's copy so it is never pushed back, and say so. `certain` is false when we only
  // inferred it (the server answered 404 after failed reconnects): then offline edits that
  // never reached the server are kept in IndexedDB rather than thrown away.
  let deleted = false;
  const markDeleted = (certain: boolean) => {
    if (deleted || destroyed) return;
    deleted = true;
    provider.shouldConnect = false;
    provider.disconnect();
    facts.closedForGood = true;
    refresh();
    connection.setState({ deleted: true, closedReason: 'This board was deleted. Changes here are no longer saved.' });
    if (certain || !connection.getState().unsynced) {
      void persistence.clearData().then(() => forgetBoardLocally(boardId));
    }
  };
  // A client that was away when the board was deleted never gets the 4404: its reconnects are
  // refused (HTTP 404, which browsers report only as a failed socket). After a few failures,
  // ask the REST API, at most every 30 s.
  let lastGoneCheck = 0;
  provider.on('connection-close', () => {
    if (deleted || destroyed || facts.failedAttempts < 3 || Date.now() - lastGoneCheck < 30_000) return;
    lastGoneCheck = Date.now();
    void fetchBoardInfo(boardId, token).then((result) => {
      if (!result.ok && result.kind === 'not-found') markDeleted(false);
      // The upgrade was refused because the link was reset or has expired (a browser sees only a failed socket).
      if (!result.ok && result.kind === 'forbidden' && result.reason) stopWithNotice(noticeForRefusal(result.reason));
    });
  });

  const onOnline = () => {
    facts.browserOnline = true;
    refresh();
    // Reconnect at once rather than wait out the provider's back-off.
    provider.connect();
  };
  const onOffline = () => {
    facts.browserOnline = false;
    // Stop retrying until the 'online' event; edits keep going to IndexedDB meanwhile.
    provider.disconnect();
    refresh();
  };
  window.addEventListener('online', onOnline);
  window.addEventListener('offline', onOffline);

  const session: OpenBoardSession['session'] = {
    boardId,
    doc,
    awareness: provider.awareness,
    undoManager,
    localOrigin,
    readOnly,
    presence,
  };

  return {
    session,
    connection,
    replaceToken,
    destroy() {
      if (destroyed) return;
      destroyed = true;
      stopWatchingResets();
      provider.awareness.off('change', onAwarenessChange);
      window.removeEventListener('online', onOnline);
      window.removeEventListener('offline', onOffline);
      doc.off('update', onUpdate);
      presence.destroy();
      provider.destroy();
      undoManager.destroy();
      // y-indexeddb flushes its pending write before closing.
      void persistence.destroy();
      doc.destroy();
    },
  };
}
