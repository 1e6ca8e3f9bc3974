import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import WebSocket from 'ws';

/**
 * Headless Yjs clients for tests: the stock y-websocket provider with `ws` as the WebSocket.
 * BroadcastChannel is disabled: providers in one process would otherwise sync through it
 * and bypass the server (a view-only test would pass for the wrong reason).
 */
export interface TestClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** Resolves on the first `synced` (server's step 2 received). */
  synced: Promise<void>;
  /** Close codes the server sent, in order. */
  closeCodes: number[];
  destroy(): void;
}

export function connectClient(wsUrl: string, boardId: string, token: string, opts: { doc?: Y.Doc; connect?: boolean } = {}): TestClient {
  const doc = opts.doc ?? new Y.Doc();
  const provider = new WebsocketProvider(wsUrl, boardId, doc, {
    params: { token },
    // The provider's type wants the DOM WebSocket; `ws` implements the same surface.
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    connect: opts.connect ?? true,
    maxBackoffTime: 300,
  });
  const closeCodes: number[] = [];
  provider.on('connection-close', (event) => {
    if (event) closeCodes.push(event.code);
  });
  const synced = new Promise<void>((resolve) => {
    if (provider.synced) resolve();
    const onSync = (state: boolean) => {
      if (!state) return;
      provider.off('sync', onSync);
      resolve();
    };
    provider.on('sync', onSync);
  });
  return {
    doc,
    provider,
    synced,
    closeCodes,
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
}

/** Polls `cond` until true; throws with `message` after `timeoutMs`. */
export async function waitFor(cond: () => boolean | Promise<boolean>, message = 'condition', timeoutMs = 5000, intervalMs = 10): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${message}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** True when both docs hold the same state (same state vector and same content). */
export function sameState(a: Y.Doc, b: Y.Doc): boolean {
  return Buffer.from(Y.encodeStateVector(a)).equals(Buffer.from(Y.encodeStateVector(b)));
}

export interface RawSocket {
  ws: WebSocket;
  /** Binary frames received. */
  frames: Uint8Array[];
  /** Resolves with the close code and reason. */
  closed: Promise<{ code: number; reason: string }>;
}

/** A bare `ws` socket (for sending hand-made frames); resolves once open. */
export function openRawSocket(url: string, opts?: WebSocket.ClientOptions): Promise<RawSocket> {
  const ws = new WebSocket(url, opts);
  const frames: Uint8Array[] = [];
  ws.on('message', (data: Buffer) => frames.push(new Uint8Array(data)));
  ws.on('error', () => {}); // refusals and resets are asserted through `closed` or `unexpected-response`
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ ws, frames, closed }));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

/** Attempts an upgrade and resolves with the HTTP status of the refusal (or 101 when accepted). */
export function upgradeStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.on('error', () => {});
    ws.once('open', () => {
      ws.terminate();
      resolve(101);
    });
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
      ws.terminate();
    });
    ws.once('error', reject);
  });
}
