/**
 * A minimal PNG writer for what neither pngjs nor sharp writes: greyscale at 1, 2 and 4 bits,
 * plain or Adam7-interlaced. Straight from the PNG spec: IHDR, one IDAT (node:zlib), IEND;
 * every scanline uses filter type 0 (None), as the spec recommends for sub-byte depths.
 * Independent decoders (pngcheck, libspng through sharp, ImageMagick) check it in tests.
 */
import { deflateSync } from 'node:zlib';
import { crc32 } from './crc32.js';

export const PNG_SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

/** Adam7 passes: [xStart, yStart, xStep, yStep]. */
const ADAM7: readonly (readonly [number, number, number, number])[] = [
  [0, 0, 8, 8], [4, 0, 8, 8], [0, 4, 4, 8], [2, 0, 4, 4], [0, 2, 2, 4], [1, 0, 2, 2], [0, 1, 1, 2],
];

/** One chunk: length, type, data and the CRC over type and data. */
export function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  dv.setUint32(8 + data.length, crc32(out, 4, 8 + data.length));
  return out;
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

/** Packs one row of `levels` (each < 2^bitDepth) behind a filter byte 0. */
function packRows(levels: Uint8Array, width: number, bitDepth: number, xs: number[], ys: number[], out: Uint8Array, at: number): number {
  const perByte = 8 / bitDepth;
  const rowBytes = Math.ceil(xs.length / perByte);
  for (const y of ys) {
    out[at++] = 0;
    out.fill(0, at, at + rowBytes);
    for (let i = 0; i < xs.length; i++) {
      const v = levels[y * width + xs[i]!]!;
      const shift = 8 - bitDepth * ((i % perByte) + 1);
      out[at + Math.floor(i / perByte)]! |= v << shift;
    }
    at += rowBytes;
  }
  return at;
}

function range(start: number, end: number, step: number): number[] {
  const r: number[] = [];
  for (let i = start; i < end; i += step) r.push(i);
  return r;
}

/** Encodes grey levels (one byte per pixel, each already < 2^bitDepth) as a 1/2/4-bit grey PNG. */
export function encodeGreyLowBitPng(levels: Uint8Array, width: number, height: number, bitDepth: 1 | 2 | 4, interlaced: boolean): Uint8Array {
  const passes = interlaced ? ADAM7 : [[0, 0, 1, 1] as const];
  let size = 0;
  const plan: [number[], number[]][] = [];
  for (const [x0, y0, dx, dy] of passes) {
    const xs = range(x0, width, dx);
    const ys = range(y0, height, dy);
    if (xs.length === 0 || ys.length === 0) continue; // empty passes have no scanlines at all
    plan.push([xs, ys]);
    size += ys.length * (1 + Math.ceil((xs.length * bitDepth) / 8));
  }
  const raw = new Uint8Array(size);
  let at = 0;
  for (const [xs, ys] of plan) at = packRows(levels, width, bitDepth, xs, ys, raw, at);
  const ihdr = new Uint8Array(13);
  const dv = new DataView(ihdr.buffer);
  dv.setUint32(0, width);
  dv.setUint32(4, height);
  ihdr[8] = bitDepth;
  ihdr[9] = 0; // greyscale
  ihdr[10] = 0; // deflate
  ihdr[11] = 0; // adaptive filtering
  ihdr[12] = interlaced ? 1 : 0;
  return concatBytes([PNG_SIGNATURE, pngChunk('IHDR', ihdr), pngChunk('IDAT', deflateSync(raw)), pngChunk('IEND', new Uint8Array(0))]);
}
