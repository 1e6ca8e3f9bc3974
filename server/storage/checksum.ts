import { crc32 } from 'node:zlib';

/**
 * The CRC-32 every stored blob carries (snapshots, log rows, versions), so damage is detected
 * on load instead of served. An unsigned 32-bit integer (0 .. 2^32-1).
 */
export function checksum(data: Uint8Array): number {
  return crc32(data);
}
