import * as Y from 'yjs';
import { IndexeddbPersistence } from 'y-indexeddb';
import { WebsocketProvider } from 'y-websocket';
import { createStore, type StoreApi } from 'zustand/vanilla';
import { migrateDocument } from '../../shared/doc/migrations.ts';
import { boardMaps } from '../../shared/doc/structure.ts';
import type { PresenceUser } from '../../shared/protocol/presence.ts';
import { CloseCode } from '../../shared/protocol/wire.ts';
import type { BoardSession, ConnectionStatus } from '../board/session.ts';
import { fetchBoardInfo } from './api.ts';
import { deriveStatus, type ConnectionFacts } from './connectionStatus.ts';
import { forgetBoardLocally } from './localBoardCache.ts';
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
}

export interface OpenBoardSession {
  session: BoardSession & { presence: LocalPresencePublisher };
  connection: StoreApi<ConnectionState>;
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
  const { boardId, token, readOnly } = options;
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
    facts.closedForGood = true;
    refresh();
    if (code === CloseCode.boardDeleted) return markDeleted(true);
    connection.setState({ closedReason: reason || `The server closed the connection (${code}).` });
  });

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
    destroy() {
      if (destroyed) return;
      destroyed = true;
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
