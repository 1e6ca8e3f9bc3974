/**
 * The WebSocket protocol between clients and the server: the standard y-websocket protocol,
 * so the stock `y-websocket` WebsocketProvider is a complete client. docs/protocol.md is the
 * prose version (frames, close codes, limits); keep the two in step.
 *
 * A binary frame is `varUint messageType` followed by the type's payload:
 * - 0 sync: `varUint syncType` (0 step 1: state vector; 1 step 2: update; 2 update) then
 *   `varUint8Array` — y-protocols/sync.
 * - 1 awareness: `varUint8Array` of an awareness update — y-protocols/awareness.
 * - 3 query-awareness: no payload; the server answers with every known awareness state.
 */
export const MessageType = {
  sync: 0,
  awareness: 1,
  auth: 2,
  queryAwareness: 3,
} as const;

export const SyncMessageType = {
  step1: 0,
  step2: 1,
  update: 2,
} as const;

/** Close codes the server uses (RFC 6455 section 7.4.1 plus one private code). */
export const CloseCode = {
  /** Server shutting down (SIGTERM) or board unloading; the client reconnects. */
  goingAway: 1001,
  /** A text frame: this protocol is binary only. */
  unsupportedData: 1003,
  /** A frame that does not decode as a y-websocket message (truncated, unknown type, bad update). */
  invalidPayload: 1007,
  /** The peer broke a rule other than size (e.g. too many messages). */
  policyViolation: 1008,
  /** A frame larger than the configured limit. */
  messageTooBig: 1009,
  /** The board could not be loaded or stored; the client should retry later. */
  internalError: 1011,
  /** The server cannot store edits right now (database unreachable for too long); the client keeps its edits and retries later. */
  tryAgainLater: 1013,
  /**
   * The board was deleted (DELETE /api/boards/:id). In the 4400-4499 range, which the stock
   * y-websocket provider treats as final: it stops reconnecting and emits `closed`.
   */
  boardDeleted: 4404,
  /**
   * The link was reset or has expired (server/auth/tokens.ts). Final, like 4404: the client
   * stops reconnecting and asks for a new link.
   */
  linkRevoked: 4401,
  /**
   * The board reached its size limit (PLANVAS_MAX_DOC_BYTES): the edit was not stored. Final:
   * the client stops reconnecting, keeps its copy and says so.
   */
  boardTooLarge: 4413,
} as const;

/** Default limit on one WebSocket message (configurable on the server). */
export const DEFAULT_MAX_MESSAGE_BYTES = 2 * 1024 * 1024;

/** Path of the sync endpoint: `/ws/<boardId>?token=<token>`. */
export const WS_PATH_PREFIX = '/ws/';
