/** Byte helpers shared by the surgery of header-surgery.ts and damage.ts. */
import { crc32 } from '../images/crc32.js';
import { randInt } from '../images/prng.js';
import type { TiffEntry } from '../images/tiff-structure.js';
import { pngChunks, type PngChunk } from './structure.js';

export function copy(b: Uint8Array): Uint8Array {
  return new Uint8Array(b);
}

export function dv(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

export function fixPngCrc(b: Uint8Array, c: PngChunk): void {
  dv(b).setUint32(c.crcAt, crc32(b, c.offset + 4, c.crcAt));
}

export function chunk(b: Uint8Array, type: string): PngChunk {
  const c = pngChunks(b).find((x) => x.type === type);
  if (!c) throw new Error(`PNG: no ${type}`);
  return c;
}

/**
 * A cut position in [min, max) (max exclusive), at least min: at the fraction `at` of the span
 * (0 its first byte, 1 its last) when given, else drawn.
 */
export function cutIn(rand: () => number, min: number, max: number, at?: number): number {
  if (max <= min) return min;
  return at === undefined ? randInt(rand, min, max - 1) : min + Math.min(max - 1 - min, Math.floor(at * (max - min)));
}

/** Sets value `index` of a SHORT or LONG TIFF entry in place. */
export function setTiffValue(b: Uint8Array, le: boolean, e: TiffEntry, index: number, value: number): void {
  if (e.type === 3) dv(b).setUint16(e.valueAt + 2 * index, Math.min(value, 0xffff), le);
  else if (e.type === 4) dv(b).setUint32(e.valueAt + 4 * index, value >>> 0, le);
  else throw new Error(`TIFF: tag ${e.tag} has type ${e.type}`);
}
