import { describe, expect, it } from 'vitest';
import { decodeFanoutMessage, encodeFanoutMessage, FANOUT_CODEC_VERSION, type FanoutMessage } from './fanoutCodec.ts';

const base = { instanceId: 'inst-é1', publishedAt: 1_700_000_000_123 };

const roundTrips: [string, FanoutMessage][] = [
  ['an updates batch, with an empty update and a 0x00 byte', { ...base, body: { kind: 'updates', batch: [{ seq: 0, update: new Uint8Array([0, 1, 2]) }, { seq: 2 ** 40, update: new Uint8Array() }] } }],
  ['awareness', { ...base, body: { kind: 'awareness', update: new Uint8Array([255, 0, 7]) } }],
  ['an empty awareness update', { ...base, body: { kind: 'awareness', update: new Uint8Array() } }],
  ['awareness-query', { ...base, body: { kind: 'awareness-query' } }],
  ['control: deleted', { ...base, body: { kind: 'control', message: { kind: 'deleted' } } }],
  ['control: edit link rotated', { ...base, body: { kind: 'control', message: { kind: 'links-rotated', role: 'edit', generation: 3 } } }],
  ['control: view link rotated', { ...base, body: { kind: 'control', message: { kind: 'links-rotated', role: 'view', generation: 0 } } }],
];

describe('fan-out codec', () => {
  it.each(roundTrips)('round-trips %s', (_name, message) => {
    const decoded = decodeFanoutMessage(encodeFanoutMessage(message));
    expect(decoded).toEqual({ ok: true, message });
  });

  it('decodes from a view into a larger buffer and returns copies the network buffer cannot change', () => {
    const encoded = encodeFanoutMessage({ ...base, body: { kind: 'awareness', update: new Uint8Array([9, 9]) } });
    const big = Buffer.alloc(encoded.length + 10);
    big.set(encoded, 5);
    const decoded = decodeFanoutMessage(big.subarray(5, 5 + encoded.length));
    if (!decoded.ok || decoded.message.body.kind !== 'awareness') throw new Error('did not decode');
    big.fill(0);
    expect([...decoded.message.body.update]).toEqual([9, 9]);
  });

  const valid = encodeFanoutMessage({ ...base, body: { kind: 'updates', batch: [{ seq: 1, update: new Uint8Array([1, 2, 3]) }] } });
  const idLength = Buffer.byteLength(base.instanceId);
  const countAt = 3 + idLength + 8;
  const patched = (at: number, bytes: number[]): Buffer => {
    const copy = Buffer.from(valid);
    copy.set(bytes, at);
    return copy;
  };
  const malformed: [string, Uint8Array, RegExp][] = [
    ['an empty message', new Uint8Array(), /empty/],
    ['another version', patched(0, [FANOUT_CODEC_VERSION + 1]), /version/],
    ['an unknown kind', patched(1, [99]), /unknown kind/],
    ['an empty instanceId', patched(2, [0]), /header/],
    ['an instanceId longer than the message', Buffer.from([FANOUT_CODEC_VERSION, 1, 200, 65]), /instanceId/],
    ['an instanceId that is not UTF-8', patched(3, [0xff]), /UTF-8/],
    ['a truncated publish time', valid.subarray(0, 3 + idLength + 4), /publish time/],
    ['a NaN publish time', patched(3 + idLength, [0x7f, 0xf8, 0, 0, 0, 0, 0, 0]), /publish time/],
    ['an empty batch', patched(countAt, [0, 0, 0, 0]), /empty/],
    ['a count of 4 billion', patched(countAt, [0xff, 0xff, 0xff, 0xff]), /count/],
    ['a negative seq', patched(countAt + 4, [0xbf, 0xf0, 0, 0, 0, 0, 0, 0]), /seq/],
    ['a fractional seq', patched(countAt + 4, [0x3f, 0xf8, 0, 0, 0, 0, 0, 0]), /seq/],
    ['an update longer than the message', patched(countAt + 12, [0, 0, 1, 0]), /longer/],
    ['trailing bytes', Buffer.concat([valid, Buffer.from([0])]), /trailing/],
    ['a truncated update', valid.subarray(0, valid.length - 1), /longer/],
    ['plain text', Buffer.from('hello, planvas'), /version/],
    ['an unknown control message', Buffer.concat([patched(1, [4]).subarray(0, countAt), Buffer.from([7])]), /control/],
    ['an unknown role', Buffer.concat([patched(1, [4]).subarray(0, countAt), Buffer.from([2, 3, 0, 0, 0, 0, 0, 0, 0, 0])]), /role/],
    ['a fractional link generation', Buffer.concat([patched(1, [4]).subarray(0, countAt), Buffer.from([2, 1, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0])]), /generation/],
  ];
  it.each(malformed)('rejects %s without throwing', (_name, bytes, reason) => {
    const decoded = decodeFanoutMessage(bytes);
    expect(decoded.ok).toBe(false);
    if (!decoded.ok) expect(decoded.error).toMatch(reason);
  });

  it('never throws on random bytes or on any truncation or single-byte change of valid messages', () => {
    let seed = 12345;
    const random = (): number => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    for (let i = 0; i < 2000; i++) {
      const bytes = Uint8Array.from({ length: Math.floor(random() * 64) }, () => Math.floor(random() * 256));
      if (random() < 0.5) bytes[0] = FANOUT_CODEC_VERSION;
      expect(() => decodeFanoutMessage(bytes)).not.toThrow();
    }
    for (const [, message] of roundTrips) {
      const encoded = encodeFanoutMessage(message);
      for (let end = 0; end < encoded.length; end++) expect(decodeFanoutMessage(encoded.subarray(0, end)).ok).toBe(false);
      for (let at = 0; at < encoded.length; at++) {
        const copy = Buffer.from(encoded);
        copy[at] = (copy[at] ?? 0) ^ 0xa5;
        expect(() => decodeFanoutMessage(copy)).not.toThrow();
      }
    }
  });

  it('refuses to encode an instanceId it could not decode', () => {
    expect(() => encodeFanoutMessage({ ...base, instanceId: '', body: { kind: 'awareness-query' } })).toThrow(RangeError);
    expect(() => encodeFanoutMessage({ ...base, instanceId: 'x'.repeat(256), body: { kind: 'awareness-query' } })).toThrow(RangeError);
  });
});
