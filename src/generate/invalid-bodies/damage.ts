/**
 * Byte surgery on real images: damage behind a readable header (zero dimensions and cut headers
 * are in header-surgery.ts).
 * Every operation keeps everything else valid (PNG CRCs are recomputed where only the dimension or
 * the compressed data is meant to be wrong).
 *
 * Damage is undecodable by construction, not by luck: a few pixels of scrambled LZW codes or
 * deflate bits can decode cleanly (a 1x1 LZW TIFF with scrambled data was accepted by a strict
 * server), so corrupt data always starts with something no conforming decoder can read: a
 * deflate block of the reserved type 3, an LZW code beyond the table, a run of 1-bits that is no
 * JPEG Huffman code. tests/generate/damage-undecodable.test.ts checks every kind with libvips and
 * the format's Debian tool (bench/damage-sample.ts for a large sample).
 *
 * Some kinds aim at the structure a server must bound-check rather than at the pixels: a cut
 * inside a PNG chunk header or a GIF image descriptor, a TIFF value past the end, a bad CRC on a
 * critical chunk other than IHDR and IDAT. Where that structure lies beyond what libvips reads (a
 * chunk after the image data, IEND's CRC, an XResolution libtiff ignores) libvips decodes them;
 * the test names these, and damaged-image-rejected is a SHOULD for them as for every damage.
 */
import { walkGif } from '../images/gif-blocks.js';
import { fillRandomBytes, randInt } from '../images/prng.js';
import { readTiffStructure, tiffEntryValues, type TiffStructure } from '../images/tiff-structure.js';
import type { ImageFormat } from '../images/types.js';
import { jpegStructure, pngChunks } from './structure.js';
import { chunk, copy, cutIn, dv, fixPngCrc, setTiffValue } from './surgery.js';

type TiffIfd = TiffStructure['ifds'][number];

// ---- damage behind a readable header ---------------------------------------------------------

export const DAMAGE_KINDS = {
  png: ['truncated', 'bad-crc', 'no-iend', 'corrupt-data', 'cut-in-chunk-header', 'bad-crc-other-chunk'],
  jpeg: ['truncated', 'no-eoi', 'corrupt-data'],
  gif: ['truncated', 'no-trailer', 'corrupt-data', 'descriptor-cut', 'corrupt-later-frame'],
  tiff: ['truncated', 'offset-past-end', 'bytecount-past-end', 'next-ifd-past-end', 'ifd-loop', 'corrupt-data', 'value-past-end', 'corrupt-later-page'],
} as const satisfies Record<ImageFormat, readonly string[]>;

/** Overwrites [start, end) with random bytes that are never 0xFF (so no JPEG marker appears). */
function scramble(b: Uint8Array, start: number, end: number, seed: number): void {
  if (end <= start) return;
  const r = fillRandomBytes(new Uint8Array(end - start), seed);
  for (let i = 0; i < r.length; i++) b[start + i] = r[i] === 0xff ? 0xfe : r[i]!;
}

/**
 * Makes the first deflate block of the zlib stream at `zlibStart` one of the reserved type 3
 * (BTYPE bits 1-2 of its first byte, after the 2-byte zlib header): RFC 1951 calls it an error,
 * so every inflater stops there ("invalid block type").
 */
function reservedDeflateBlock(b: Uint8Array, zlibStart: number, end: number): void {
  if (zlibStart + 3 > end) throw new Error('deflate: no block header to damage');
  b[zlibStart + 2]! |= 0x06;
}

/**
 * Starts the LZW strip at `start` (TIFF: MSB-first codes, 9 bits wide after a Clear) with Clear
 * (256) and then code 511: right after a Clear only the 258 codes 0..257 exist, so the second code
 * lies beyond the table and no decoder can expand it (libtiff: "Corrupted LZW table").
 */
function lzwCodeBeyondTable(b: Uint8Array, start: number, end: number): void {
  if (start + 3 > end) throw new Error('LZW: strip too short to damage');
  // 100000000 111111111: Clear then 511, in the first 18 bits.
  b[start] = 0x80;
  b[start + 1] = 0x7f;
  b[start + 2] = (b[start + 2]! & 0x3f) | 0xc0;
}

/**
 * 64 one-bits as entropy-coded data (0xFF is stuffed as FF 00), put where the first Huffman code
 * of the scan starts. JPEG reserves the all-1 code word of every length, so no table decodes
 * them ("bad Huffman code").
 */
const NO_HUFFMAN_CODE = Uint8Array.from({ length: 16 }, (_, i) => (i % 2 === 0 ? 0xff : 0x00));

/**
 * Damages `src` by `kind` (one of DAMAGE_KINDS[format]). A kind the format's own surgery does not
 * know falls through to the TIFF surgery, which refuses it.
 */
export function damage(format: ImageFormat, kind: string, src: Uint8Array, rand: () => number, seed: number, at?: number): Uint8Array {
  const b = copy(src);
  return damageByFormat(format, kind, b, rand, seed, at) ?? damageTiff(kind, b, src, rand, seed, at);
}

/** Damage kinds whose position in the data is free (`at`): the cuts. */
export const POSITIONAL_DAMAGE = 'truncated';

function damageByFormat(format: ImageFormat, kind: string, b: Uint8Array, rand: () => number, seed: number, at?: number): Uint8Array | undefined {
  switch (format) {
    case 'png': return damagePng(kind, b, rand, seed, at);
    case 'jpeg': return damageJpeg(kind, b, rand, seed, at);
    case 'gif': return damageGif(kind, b, rand, seed, at);
    case 'tiff': return undefined;
  }
}

/** PNG damage, or undefined for a kind it does not know. */
function damagePng(kind: string, b: Uint8Array, rand: () => number, seed: number, at?: number): Uint8Array | undefined {
  switch (kind) {
    case 'truncated': {
      const idat = chunk(b, 'IDAT');
      return b.slice(0, cutIn(rand, idat.dataStart, idat.crcAt, at));
    }
    case 'bad-crc': {
      const idat = chunk(b, 'IDAT');
      b[idat.crcAt + randInt(rand, 0, 3)]! ^= 1 << randInt(rand, 0, 7);
      return b;
    }
    case 'no-iend': {
      const iend = chunk(b, 'IEND');
      return b.slice(0, iend.offset);
    }
    case 'corrupt-data': {
      // Keep the 2-byte zlib header, scramble deflate data (and/or its Adler-32), make the first
      // block one of the reserved type, recompute the CRC.
      const idat = chunk(b, 'IDAT');
      const start = idat.dataStart + Math.min(2, idat.length);
      const len = Math.max(1, Math.ceil((idat.crcAt - start) / 2));
      scramble(b, start, Math.min(idat.crcAt, start + len), seed);
      reservedDeflateBlock(b, idat.dataStart, idat.crcAt);
      fixPngCrc(b, idat);
      return b;
    }
    case 'cut-in-chunk-header': {
      // The body ends 1 to 3 bytes into the length field of a chunk after IHDR (one before the
      // image data, an IDAT, or IEND after the whole image data): a reader that takes 12 bytes
      // of chunk header on trust reads past the end.
      const later = pngChunks(b).slice(1);
      return b.slice(0, later[randInt(rand, 0, later.length - 1)]!.offset + randInt(rand, 1, 3));
    }
    case 'bad-crc-other-chunk': {
      // A wrong CRC on a critical chunk that is neither IHDR nor IDAT: IEND, or PLTE. A server that
      // checks only the image data's CRC misses it. (Not on an ancillary chunk: the PNG
      // specification lets a decoder ignore one whose CRC is wrong.)
      const others = pngChunks(b).filter((c) => c.type === 'IEND' || c.type === 'PLTE');
      const c = others[randInt(rand, 0, others.length - 1)]!;
      b[c.crcAt + randInt(rand, 0, 3)]! ^= 1 << randInt(rand, 0, 7);
      return b;
    }
  }
  return undefined;
}

/** JPEG damage, or undefined for a kind it does not know. */
function damageJpeg(kind: string, b: Uint8Array, rand: () => number, seed: number, at?: number): Uint8Array | undefined {
  switch (kind) {
    case 'truncated': {
      const s = jpegStructure(b);
      return b.slice(0, cutIn(rand, s.scanStart, Math.max(s.scanStart + 1, s.eoi), at));
    }
    case 'no-eoi': {
      const s = jpegStructure(b);
      return b.slice(0, s.eoi);
    }
    case 'corrupt-data': {
      // Scramble the first half of the entropy-coded data and start it with no Huffman code.
      const s = jpegStructure(b);
      const len = Math.max(1, Math.ceil((s.eoi - s.scanStart) / 2));
      scramble(b, s.scanStart, Math.min(s.eoi, s.scanStart + len), seed);
      const out = new Uint8Array(b.length + NO_HUFFMAN_CODE.length);
      out.set(b.subarray(0, s.scanStart), 0);
      out.set(NO_HUFFMAN_CODE, s.scanStart);
      out.set(b.subarray(s.scanStart), s.scanStart + NO_HUFFMAN_CODE.length);
      return out;
    }
  }
  return undefined;
}

/** GIF damage, or undefined for a kind it does not know. */
function damageGif(kind: string, b: Uint8Array, rand: () => number, seed: number, at?: number): Uint8Array | undefined {
  switch (kind) {
    case 'truncated': {
      const img = walkGif(b).blocks.find((x) => x.kind === 'image');
      if (!img || img.kind !== 'image') throw new Error('GIF: no image');
      return b.slice(0, cutIn(rand, img.dataOffset + 1, img.end - 1, at));
    }
    case 'no-trailer': {
      const t = walkGif(b).blocks.find((x) => x.kind === 'trailer');
      return t ? b.slice(0, t.offset) : b;
    }
    case 'corrupt-data': {
      // An LZW minimum code size above 11 (codes would exceed 12 bits) plus scrambled sub-block bytes.
      const img = walkGif(b).blocks.find((x) => x.kind === 'image');
      if (!img || img.kind !== 'image') throw new Error('GIF: no image');
      b[img.dataOffset] = randInt(rand, 12, 15);
      const first = img.dataOffset + 1;
      scramble(b, first + 1, first + 1 + b[first]!, seed);
      return b;
    }
    case 'descriptor-cut': {
      // The body ends 1 to 8 bytes into the FIRST image descriptor (10 bytes: separator, left,
      // top, width, height, packed fields), before its height is whole: no frame is whole, so no
      // decoder can show one, and a walk that reads the frame's size on trust reads past the end.
      const img = walkGif(b).blocks.find((x) => x.kind === 'image');
      if (!img) throw new Error('GIF: no image');
      return b.slice(0, img.offset + randInt(rand, 1, 8));
    }
    case 'corrupt-later-frame': {
      // An LZW code beyond the table at the start of the LAST frame of an animated GIF; the
      // descriptor and the sub-block structure stay valid, so only a decoder of every frame sees it.
      const images = walkGif(b).blocks.filter((x) => x.kind === 'image');
      if (images.length < 2) throw new Error('GIF corrupt-later-frame: needs 2 frames or more');
      gifLzwCodeBeyondTable(b, images[images.length - 1]!.dataOffset);
      return b;
    }
  }
  return undefined;
}

/**
 * Starts the GIF frame data whose LZW minimum code size byte is at `dataOffset` with Clear and
 * then the largest code of the first width, 2^(m+1) - 1 (codes are LSB-first, m+1 bits wide):
 * right after a Clear only the 2^m + 2 codes up to End of Information exist (m >= 2), so the
 * second code lies beyond the table and no decoder can expand it (giflib: "image defect").
 */
function gifLzwCodeBeyondTable(b: Uint8Array, dataOffset: number): void {
  const m = b[dataOffset]!;
  const size = b[dataOffset + 1]!;
  const bytes = Math.ceil((2 * (m + 1)) / 8);
  if (m < 2 || m > 11 || size < bytes) throw new Error(`GIF: LZW data of code size ${m} in a ${size}-byte sub-block cannot be damaged`);
  const bits = (1 << m) | (((1 << (m + 1)) - 1) << (m + 1));
  for (let i = 0; i < bytes; i++) b[dataOffset + 2 + i] = (bits >> (8 * i)) & 0xff;
}

function damageTiff(kind: string, b: Uint8Array, src: Uint8Array, rand: () => number, seed: number, at?: number): Uint8Array {
  const s = readTiffStructure(src);
  const first = s.ifds[0]!;
  const le = s.littleEndian;
  const offsets = first.entries.find((e) => e.tag === 273 || e.tag === 324);
  const counts = first.entries.find((e) => e.tag === 279 || e.tag === 325);
  if (!offsets || !counts) throw new Error('TIFF: no strip/tile offsets');
  switch (kind) {
    case 'truncated': {
      // Cut inside the pixel data of the first strip or tile, keeping every IFD: only for files
      // whose IFDs come before the data (the utif2 layout).
      const start = tiffEntryValues(src, le, offsets)[0]!;
      const lastIfdEnd = Math.max(...s.ifds.map((i) => i.nextFieldAt + 4), ...s.ifds.flatMap((i) => i.entries.map((e) => (e.byteLength > 4 ? e.valueAt + e.byteLength : 0))));
      if (start < lastIfdEnd) throw new Error('TIFF truncated: needs IFDs before the data');
      const total = tiffEntryValues(src, le, counts).reduce((a, x) => a + x, 0);
      return b.slice(0, cutIn(rand, start, start + Math.max(1, total), at));
    }
    case 'offset-past-end':
      setTiffValue(b, le, offsets, randInt(rand, 0, offsets.count - 1), src.length + randInt(rand, 1, 1 << 20));
      return b;
    case 'bytecount-past-end':
      setTiffValue(b, le, counts, randInt(rand, 0, counts.count - 1), src.length + randInt(rand, 1, 1 << 20));
      return b;
    case 'next-ifd-past-end': {
      const last = s.ifds[s.ifds.length - 1]!;
      dv(b).setUint32(last.nextFieldAt, (src.length + randInt(rand, 1, 1 << 16)) & ~1, le);
      return b;
    }
    case 'ifd-loop': {
      // The last IFD links back to the first (or to itself): naive readers loop for ever.
      const last = s.ifds[s.ifds.length - 1]!;
      dv(b).setUint32(last.nextFieldAt, s.ifds[randInt(rand, 0, s.ifds.length - 1)]!.offset, le);
      return b;
    }
    case 'corrupt-data':
      corruptFirstStrip(b, src, le, first, seed, kind);
      return b;
    case 'corrupt-later-page': {
      // corrupt-data on the LAST page: the first page decodes, so only a server that decodes
      // every page sees it.
      if (s.ifds.length < 2) throw new Error('TIFF corrupt-later-page: needs 2 pages or more');
      corruptFirstStrip(b, src, le, s.ifds[s.ifds.length - 1]!, seed, kind);
      return b;
    }
    case 'value-past-end': {
      // The out-of-line value (more than 4 bytes) of XResolution, YResolution or Software, on any
      // page, starts at the end of the file or 4 bytes before it: it runs past the end.
      const values = s.ifds.flatMap((i) => i.entries.filter((e) => e.byteLength > 4 && [282, 283, 305].includes(e.tag)));
      if (values.length === 0) throw new Error('TIFF value-past-end: no out-of-line XResolution, YResolution or Software');
      const e = values[randInt(rand, 0, values.length - 1)]!;
      dv(b).setUint32(e.at + 8, src.length - 4 * randInt(rand, 0, 1), le);
      return b;
    }
  }
  throw new Error(`unknown damage tiff-${kind}`);
}

/**
 * Scrambles the first half of the first strip or tile of `page` (after the zlib header of Deflate
 * data), then makes its start undecodable (a reserved deflate block, or an LZW code beyond the table).
 */
function corruptFirstStrip(b: Uint8Array, src: Uint8Array, le: boolean, page: TiffIfd, seed: number, kind: string): void {
  const offsets = page.entries.find((e) => e.tag === 273 || e.tag === 324);
  const counts = page.entries.find((e) => e.tag === 279 || e.tag === 325);
  if (!offsets || !counts) throw new Error('TIFF: no strip/tile offsets');
  const start = tiffEntryValues(src, le, offsets)[0]!;
  const count = tiffEntryValues(src, le, counts)[0]!;
  const compression = page.entries.find((e) => e.tag === 259);
  const scheme = compression ? tiffEntryValues(src, le, compression)[0] : 1;
  const deflate = scheme === 8 || scheme === 32946;
  if (scheme !== 5 && !deflate) throw new Error(`TIFF ${kind}: compression ${scheme} has no undecodable form (LZW or Deflate only)`);
  const from = start + (deflate ? Math.min(2, count) : 0);
  scramble(b, from, from + Math.max(1, Math.ceil((start + count - from) / 2)), seed);
  if (deflate) reservedDeflateBlock(b, start, start + count);
  else lzwCodeBeyondTable(b, start, start + count);
}
