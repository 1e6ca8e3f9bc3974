import type { ControlMessage, SeqUpdate } from './fanout.ts';

/**
 * The binary format of one fan-out message (one Redis PUBLISH on a board's channel). The
 * board is the channel, so it is not repeated here. All integers big-endian:
 *
 *   u8  version            FANOUT_CODEC_VERSION (1); another version is dropped, not guessed at
 *   u8  kind               1 updates · 2 awareness · 3 awareness-query · 4 control
 *   u8  n, n bytes         sender's instanceId (UTF-8, 1..255 bytes): receivers drop their own
 *   f64 publishedAt        sender's clock, ms since the epoch (fan-out lag = now - publishedAt)
 *   payload by kind:
 *     updates          u32 count (>= 1), then count × { f64 seq (integer >= 0), u32 len, len bytes }
 *     awareness        u32 len, len bytes (a y-protocols awareness update)
 *     awareness-query  nothing
 *     control          u8 what: 1 deleted · 2 links-rotated, then u8 role (1 edit, 2 view), f64 generation
 *
 * Nothing may follow the payload. Decoding never throws: anyone with access to the Redis can
 * publish on our channels, so a message that does not follow this format is an error value
 * the caller counts and drops.
 *
 * @example
 *   const bytes = encodeFanoutMessage({ instanceId, publishedAt: Date.now(), body: { kind: 'awareness-query' } });
 *   const decoded = decodeFanoutMessage(bytes); // { ok: true, message } | { ok: false, error }
 */
export const FANOUT_CODEC_VERSION = 1;

export type FanoutBody =
  | { kind: 'updates'; batch: readonly SeqUpdate[] }
  | { kind: 'awareness'; update: Uint8Array }
  | { kind: 'awareness-query' }
  | { kind: 'control'; message: ControlMessage };

export interface FanoutMessage {
  instanceId: string;
  publishedAt: number;
  body: FanoutBody;
}

export type DecodeResult = { ok: true; message: FanoutMessage } | { ok: false; error: string };

const KIND = { updates: 1, awareness: 2, 'awareness-query': 3, control: 4 } as const;
const CONTROL = { deleted: 1, 'links-rotated': 2 } as const;
const ROLE = { edit: 1, view: 2 } as const;

/** Fixed bytes before the payload, besides the instanceId itself. */
const HEADER_BYTES = 1 + 1 + 1 + 8;
/** Per update in a batch, besides the update itself. */
export const UPDATE_OVERHEAD_BYTES = 8 + 4;

export function encodeFanoutMessage(message: FanoutMessage): Buffer {
  const id = Buffer.from(message.instanceId, 'utf8');
  if (id.length < 1 || id.length > 255) throw new RangeError('instanceId must be 1..255 bytes of UTF-8');
  const body = message.body;
  const payloadBytes =
    body.kind === 'updates'
      ? 4 + body.batch.reduce((sum, u) => sum + UPDATE_OVERHEAD_BYTES + u.update.byteLength, 0)
      : body.kind === 'awareness'
        ? 4 + body.update.byteLength
        : body.kind === 'control'
          ? body.message.kind === 'deleted'
            ? 1
            : 1 + 1 + 8
          : 0;
  const out = Buffer.allocUnsafe(HEADER_BYTES + id.length + payloadBytes);
  let pos = 0;
  pos = out.writeUInt8(FANOUT_CODEC_VERSION, pos);
  pos = out.writeUInt8(KIND[body.kind], pos);
  pos = out.writeUInt8(id.length, pos);
  pos += id.copy(out, pos);
  pos = out.writeDoubleBE(message.publishedAt, pos);
  switch (body.kind) {
    case 'updates':
      pos = out.writeUInt32BE(body.batch.length, pos);
      for (const { seq, update } of body.batch) {
        pos = out.writeDoubleBE(seq, pos);
        pos = out.writeUInt32BE(update.byteLength, pos);
        out.set(update, pos);
        pos += update.byteLength;
      }
      break;
    case 'awareness':
      pos = out.writeUInt32BE(body.update.byteLength, pos);
      out.set(body.update, pos);
      pos += body.update.byteLength;
      break;
    case 'awareness-query':
      break;
    case 'control':
      pos = out.writeUInt8(CONTROL[body.message.kind], pos);
      if (body.message.kind === 'links-rotated') {
        pos = out.writeUInt8(ROLE[body.message.role], pos);
        pos = out.writeDoubleBE(body.message.generation, pos);
      }
      break;
  }
  if (pos !== out.length) throw new Error(`fanoutCodec: wrote ${pos} of ${out.length} bytes`);
  return out;
}

/** Bounds-checked reads over one message; every read returns null past the end. */
class Reader {
  pos = 0;
  constructor(private readonly bytes: Uint8Array) {}
  private view(): DataView {
    return new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
  }
  u8(): number | null {
    if (this.pos + 1 > this.bytes.byteLength) return null;
    return this.bytes[this.pos++] ?? null;
  }
  u32(): number | null {
    if (this.pos + 4 > this.bytes.byteLength) return null;
    const value = this.view().getUint32(this.pos);
    this.pos += 4;
    return value;
  }
  f64(): number | null {
    if (this.pos + 8 > this.bytes.byteLength) return null;
    const value = this.view().getFloat64(this.pos);
    this.pos += 8;
    return value;
  }
  /** A copy: the receiver may keep it after the network buffer is reused. */
  bytesOf(length: number): Uint8Array | null {
    if (this.pos + length > this.bytes.byteLength) return null;
    // Not .slice(): on a Buffer (what Redis hands us) that is a view, not a copy.
    const out = new Uint8Array(length);
    out.set(this.bytes.subarray(this.pos, this.pos + length));
    this.pos += length;
    return out;
  }
  get done(): boolean {
    return this.pos === this.bytes.byteLength;
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function decodeFanoutMessage(bytes: Uint8Array): DecodeResult {
  const fail = (error: string): DecodeResult => ({ ok: false, error });
  const r = new Reader(bytes);
  const version = r.u8();
  if (version === null) return fail('empty message');
  if (version !== FANOUT_CODEC_VERSION) return fail(`unknown version ${version}`);
  const kind = r.u8();
  const idLength = r.u8();
  if (kind === null || idLength === null || idLength === 0) return fail('truncated header');
  const idBytes = r.bytesOf(idLength);
  if (idBytes === null) return fail('truncated instanceId');
  let instanceId: string;
  try {
    instanceId = utf8.decode(idBytes);
  } catch {
    return fail('instanceId is not UTF-8');
  }
  const publishedAt = r.f64();
  if (publishedAt === null || !Number.isFinite(publishedAt)) return fail('bad publish time');

  let body: FanoutBody;
  switch (kind) {
    case KIND.updates: {
      const count = r.u32();
      if (count === null || count === 0) return fail('empty or truncated updates batch');
      // Each entry takes at least UPDATE_OVERHEAD_BYTES: a huge count cannot allocate much.
      if (count * UPDATE_OVERHEAD_BYTES > bytes.byteLength) return fail('updates count larger than the message');
      const batch: SeqUpdate[] = [];
      for (let i = 0; i < count; i++) {
        const seq = r.f64();
        const length = r.u32();
        if (seq === null || length === null) return fail('truncated update');
        if (!Number.isSafeInteger(seq) || seq < 0) return fail('seq is not a non-negative integer');
        const update = r.bytesOf(length);
        if (update === null) return fail('update longer than the message');
        batch.push({ seq, update });
      }
      body = { kind: 'updates', batch };
      break;
    }
    case KIND.awareness: {
      const length = r.u32();
      const update = length === null ? null : r.bytesOf(length);
      if (update === null) return fail('truncated awareness update');
      body = { kind: 'awareness', update };
      break;
    }
    case KIND['awareness-query']:
      body = { kind: 'awareness-query' };
      break;
    case KIND.control: {
      const what = r.u8();
      if (what === CONTROL.deleted) {
        body = { kind: 'control', message: { kind: 'deleted' } };
      } else if (what === CONTROL['links-rotated']) {
        const role = r.u8();
        const generation = r.f64();
        if (role !== ROLE.edit && role !== ROLE.view) return fail('unknown role');
        if (generation === null || !Number.isSafeInteger(generation) || generation < 0) return fail('bad link generation');
        body = { kind: 'control', message: { kind: 'links-rotated', role: role === ROLE.edit ? 'edit' : 'view', generation } };
      } else {
        return fail('unknown control message');
      }
      break;
    }
    default:
      return fail(`unknown kind ${kind}`);
  }
  if (!r.done) return fail('trailing bytes');
  return { ok: true, message: { instanceId, publishedAt, body } };
}
