/**
 * Power targets for damage where a server does not look: in a large image (a decoder that
 * crashes, 500, on damage past the part it checks first), and at the ends of the image data
 * (a PNG cut before its last data byte, a TIFF cut right where its strip data begins), each
 * accepted by a check that is off by a little, and corrupt data in an interlaced PNG, accepted by a
 * server that trusts libvips alone; damaged-image-rejected (SHOULD) catches the last three.
 * Then the positions of the structure a walk must bound-check (each a crash, 500, where a walk
 * reads a field on trust: a PNG chunk header, a GIF image descriptor, a JPEG segment header or
 * SOF, a TIFF page's ImageLength; the JPEG ones are incomplete
 * headers, the missing ImageLength a zero dimension) and the damage a server that looks
 * at part of the file accepts (a CRC checked on IHDR and IDAT only, the first GIF frame or TIFF
 * page only, only the TIFF tags needed to decode).
 * Each decides by the bytes alone, as a server would.
 */
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { defaultBehaviour as d } from '../../../src/target/behaviour.js';
import { walkGif } from '../../../src/generate/images/gif-blocks.js';
import { readTiffStructure, tiffEntryValues } from '../../../src/generate/images/tiff-structure.js';
import type { ImageValidation, TargetBehaviour } from '../../../src/target/types.js';
import type { PowerTarget } from './types.js';

/** Pixels of the largest medium image (512 x 512): above it an image is large. */
const LARGE = 512 * 512;

/** Width x height the header declares: GIF and PNG read directly, the others through libvips; undefined when unreadable. */
async function declaredPixels(b: Buffer): Promise<number | undefined> {
  if (b.toString('latin1', 0, 4) === 'GIF8' && b.length >= 10) return b.readUInt16LE(6) * b.readUInt16LE(8);
  if (b.toString('latin1', 1, 4) === 'PNG' && b.length >= 24) return b.readUInt32BE(16) * b.readUInt32BE(20);
  const m = await sharp(b).metadata().catch(() => undefined);
  return m?.width && m.height ? m.width * m.height : undefined;
}

/** A PNG that ends inside an IDAT chunk with at most one byte of its data missing. */
function pngMissingLastDataByte(b: Buffer): { width: number; height: number } | undefined {
  if (b.toString('latin1', 1, 4) !== 'PNG' || b.length < 24) return undefined;
  let p = 8;
  while (p + 8 <= b.length) {
    const length = b.readUInt32BE(p);
    const end = p + 8 + length;
    if (end + 4 > b.length) return b.toString('latin1', p + 4, p + 8) === 'IDAT' && b.length - (p + 8) >= length - 1 && b.length <= end ? { width: b.readUInt32BE(16), height: b.readUInt32BE(20) } : undefined;
    p = end + 4;
  }
  return undefined;
}

/** A TIFF whose body ends exactly where its first strip's data begins (an `offset <= length` check passes it). */
function tiffEndsAtStripData(b: Buffer): { width: number; height: number } | undefined {
  try {
    const s = readTiffStructure(b);
    const first = s.ifds[0]!;
    const offsets = first.entries.find((e) => e.tag === 273);
    const width = first.entries.find((e) => e.tag === 256);
    const height = first.entries.find((e) => e.tag === 257);
    if (!offsets || !width || !height) return undefined;
    if (tiffEntryValues(b, s.littleEndian, offsets)[0] !== b.length) return undefined;
    return { width: tiffEntryValues(b, s.littleEndian, width)[0]!, height: tiffEntryValues(b, s.littleEndian, height)[0]! };
  } catch {
    return undefined;
  }
}

/** An Adam7-interlaced PNG (IHDR's interlace method, byte 28 of the file, is 1). */
function interlacedPng(b: Buffer): boolean {
  return b.toString('latin1', 1, 4) === 'PNG' && b.length > 28 && b[28] === 1;
}

/**
 * What libvips alone says of the bytes, read as the reference target reads them (every pixel
 * through `stats()`, failOn 'warning'), without its own inflate of the PNG data. (Raw output,
 * `toBuffer()`, does report the zlib error: a server that re-encodes uploads rejects them.)
 */
async function libvipsDecodes(b: Buffer): Promise<{ width: number; height: number } | undefined> {
  try {
    const image = sharp(b, { failOn: 'warning' });
    const meta = await image.metadata();
    await image.stats();
    return { width: meta.width ?? 0, height: meta.height ?? 0 };
  } catch {
    return undefined;
  }
}

/** A crash as .NET reports an index past the end of a byte array. */
function outOfRange(): never {
  throw new Error('System.IndexOutOfRangeException: Index was outside the bounds of the array.');
}

const isPng = (b: Buffer) => b.length >= 8 && b.toString('latin1', 1, 4) === 'PNG';
const isGif = (b: Buffer) => b.toString('latin1', 0, 4) === 'GIF8';
const isTiff = (b: Buffer) => ['II*\0', 'MM\0*'].includes(b.toString('latin1', 0, 4));

/** A PNG that ends inside the 8-byte header (length, type) of a chunk after IHDR. */
function pngEndsInChunkHeader(b: Buffer): boolean {
  if (!isPng(b)) return false;
  let p = 8;
  while (p + 8 <= b.length) p += 12 + b.readUInt32BE(p);
  return p > 8 && p < b.length;
}

/** The PNG with the CRC of every chunk but IHDR and IDAT recomputed: what a server that checks only those two sees. */
function pngOtherCrcsFixed(b: Buffer): Buffer | undefined {
  if (!isPng(b)) return undefined;
  const out = Buffer.from(b);
  for (let p = 8; p + 12 <= out.length; ) {
    const len = out.readUInt32BE(p);
    const type = out.toString('latin1', p + 4, p + 8);
    if (p + 12 + len > out.length) break;
    if (type !== 'IHDR' && type !== 'IDAT') out.writeUInt32BE(crc32(out.subarray(p + 4, p + 8 + len)), p + 8 + len);
    p += 12 + len;
  }
  return out.equals(b) ? undefined : out;
}

/** A GIF that ends inside an image descriptor (its separator and fewer than 9 bytes after it). */
function gifEndsInDescriptor(b: Buffer): boolean {
  if (!isGif(b) || b.length < 13) return false;
  let p = 13 + (b[10]! & 0x80 ? 3 * 2 ** ((b[10]! & 7) + 1) : 0);
  const skip = (q: number): number => {
    while (q < b.length && b[q] !== 0) q += 1 + b[q]!;
    return q + 1;
  };
  while (p < b.length) {
    if (b[p] === 0x21) p = skip(p + 2);
    else if (b[p] === 0x2c) {
      if (p + 10 > b.length) return true;
      const local = b[p + 9]!;
      p = skip(p + 11 + (local & 0x80 ? 3 * 2 ** ((local & 7) + 1) : 0));
    } else return false;
  }
  return false;
}

/** A GIF of two frames or more, whole to its trailer, as its first frame alone (what is before it, that frame, the trailer). */
function gifFirstFrameOnly(b: Buffer): Buffer | undefined {
  if (!isGif(b)) return undefined;
  try {
    const blocks = walkGif(b).blocks;
    const images = blocks.filter((x) => x.kind === 'image');
    if (images.length < 2 || blocks.at(-1)?.kind !== 'trailer') return undefined;
    return Buffer.concat([b.subarray(0, images[0]!.end), Buffer.from([0x3b])]);
  } catch {
    return undefined;
  }
}

/** The offsets where a classic TIFF's IFDs start, walked until one runs past the end (at most 100). */
function tiffIfds(b: Buffer): { le: boolean; offsets: number[] } | undefined {
  if (!isTiff(b) || b.length < 8) return undefined;
  const le = b[0] === 0x49;
  const offsets: number[] = [];
  for (let ifd = le ? b.readUInt32LE(4) : b.readUInt32BE(4); ifd !== 0 && offsets.length < 100 && !offsets.includes(ifd); ) {
    if (ifd + 2 > b.length) break;
    offsets.push(ifd);
    const next = ifd + 2 + (le ? b.readUInt16LE(ifd) : b.readUInt16BE(ifd)) * 12;
    if (next + 4 > b.length) break;
    ifd = le ? b.readUInt32LE(next) : b.readUInt32BE(next);
  }
  return { le, offsets };
}

/** A TIFF with a whole page (IFD) that has no ImageLength entry. */
function tiffPageWithoutLength(b: Buffer): boolean {
  if (!isTiff(b)) return false;
  try {
    return readTiffStructure(b).ifds.some((i) => !i.entries.some((e) => e.tag === 257));
  } catch {
    return false;
  }
}

/** A TIFF of two pages or more as its first page alone (the first IFD's next-IFD field set to 0). */
function tiffFirstPageOnly(b: Buffer): Buffer | undefined {
  const t = tiffIfds(b);
  if (!t || t.offsets.length < 2) return undefined;
  const out = Buffer.from(b);
  const next = t.offsets[0]! + 2 + (t.le ? b.readUInt16LE(t.offsets[0]!) : b.readUInt16BE(t.offsets[0]!)) * 12;
  out.writeUInt32LE(0, next);
  return out;
}

/**
 * The tags a decoder needs (sizes, samples, compression, photometric, planar, predictor, strips,
 * tiles, colour map, extra samples, sample format): a walk that reads only these never looks at
 * the others' values.
 */
const DECODING_TAGS = new Set([254, 256, 257, 258, 259, 262, 273, 277, 278, 279, 284, 317, 320, 322, 323, 324, 325, 338, 339]);

/** The TIFF with every other tag's out-of-line value (and count) emptied: what such a walk sees. */
function tiffOtherTagsEmptied(b: Buffer): Buffer | undefined {
  const t = tiffIfds(b);
  if (!t) return undefined;
  const out = Buffer.from(b);
  for (const ifd of t.offsets) {
    const n = t.le ? b.readUInt16LE(ifd) : b.readUInt16BE(ifd);
    for (let i = 0; i < n && ifd + 2 + i * 12 + 12 <= b.length; i++) {
      const e = ifd + 2 + i * 12;
      if (!DECODING_TAGS.has(t.le ? b.readUInt16LE(e) : b.readUInt16BE(e))) out.fill(0, e + 4, e + 12);
    }
  }
  return out.equals(b) ? undefined : out;
}

/**
 * Where a JPEG that ends before its first scan ends: inside a segment's marker and length
 * ('segment header'), before the sizes of SOF (9 bytes from its marker: 'SOF sizes'), or elsewhere.
 */
function jpegEndsIn(b: Buffer): 'segment header' | 'SOF sizes' | undefined {
  if (b[0] !== 0xff || b[1] !== 0xd8) return undefined;
  for (let p = 2; p < b.length; ) {
    if (p + 4 > b.length) return 'segment header';
    const marker = b[p + 1]!;
    if (b[p] !== 0xff || marker === 0xda || marker === 0xd9) return undefined;
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01 || marker === 0xff) {
      p += marker === 0xff ? 1 : 2;
      continue;
    }
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) return p + 9 > b.length ? 'SOF sizes' : undefined;
    p += 2 + b.readUInt16BE(p + 2);
  }
  return undefined;
}

/** Validates what a server that looks at part of the file sees (`seen`), else the whole body as usual. */
function acceptsWhatItSees(seen: (b: Buffer) => Buffer | undefined): TargetBehaviour['validateImage'] {
  return async (b, t, c) => {
    const whole = await d.validateImage(b, t, c);
    const part = whole.ok ? undefined : seen(b);
    if (!part) return whole;
    const v: ImageValidation = await d.validateImage(part, t, c);
    return v.ok ? v : whole;
  };
}

/** Crashes (500) where `crashes` says, else validates as usual. */
function crashesOn(crashes: (b: Buffer) => boolean): TargetBehaviour['validateImage'] {
  return (b, t, c) => (crashes(b) ? outOfRange() : d.validateImage(b, t, c));
}

export const damageTargets: PowerTarget[] = [
  {
    name: 'crashes on damage in a large image',
    valueClass: 'invalid-body: damage in a large image',
    behaviour: {
      validateImage: async (b, t, c) => {
        const verdict = await d.validateImage(b, t, c);
        if (!verdict.ok && ((await declaredPixels(b)) ?? 0) > LARGE) throw new Error('System.AccessViolationException: Attempted to read or write protected memory.');
        return verdict;
      },
    },
    caughtBy: 'damaged-image-no-5xx',
  },
  {
    name: 'accepts a PNG cut before its last data byte',
    valueClass: 'invalid-body: png cut before the last byte of its image data',
    behaviour: {
      validateImage: async (b, t, c) => {
        const cut = pngMissingLastDataByte(b);
        return cut ? { ok: true, format: 'png', mediaType: 'image/png', ...cut, pages: 1 } : d.validateImage(b, t, c);
      },
    },
    caughtBy: 'damaged-image-rejected',
  },
  {
    name: 'accepts a TIFF cut where its strip data begins',
    valueClass: 'invalid-body: tiff cut at the first byte of its image data',
    behaviour: {
      validateImage: async (b, t, c) => {
        const cut = tiffEndsAtStripData(b);
        return cut ? { ok: true, format: 'tiff', mediaType: 'image/tiff', ...cut, pages: 1 } : d.validateImage(b, t, c);
      },
    },
    caughtBy: 'damaged-image-rejected',
  },
  {
    // A server that trusts its decoder alone: libvips passes corrupt zlib data in interlaced PNGs.
    name: 'accepts corrupt data in an interlaced PNG',
    valueClass: 'invalid-body: png corrupt data in an interlaced image',
    behaviour: {
      validateImage: async (b, t, c) => {
        const decoded = interlacedPng(b) ? await libvipsDecodes(b) : undefined;
        return decoded ? { ok: true, format: 'png', mediaType: 'image/png', ...decoded, pages: 1 } : d.validateImage(b, t, c);
      },
    },
    caughtBy: 'damaged-image-rejected',
  },
  {
    name: 'crashes on a PNG ending inside a chunk header',
    valueClass: 'invalid-body: png-cut-in-chunk-header',
    behaviour: { validateImage: crashesOn(pngEndsInChunkHeader) },
    caughtBy: 'damaged-image-no-5xx',
  },
  {
    name: 'checks the CRC of IHDR and IDAT only',
    valueClass: 'invalid-body: png-bad-crc-other-chunk',
    behaviour: { validateImage: acceptsWhatItSees(pngOtherCrcsFixed) },
    caughtBy: 'damaged-image-rejected',
  },
  {
    name: 'crashes on a GIF ending inside an image descriptor',
    valueClass: 'invalid-body: gif-descriptor-cut',
    behaviour: { validateImage: crashesOn(gifEndsInDescriptor) },
    caughtBy: 'damaged-image-no-5xx',
  },
  {
    name: 'decodes the first GIF frame only',
    valueClass: 'invalid-body: gif-corrupt-later-frame',
    behaviour: { validateImage: acceptsWhatItSees(gifFirstFrameOnly) },
    caughtBy: 'damaged-image-rejected',
  },
  {
    // The walk reads each segment's marker and length (4 bytes) without a bound.
    name: 'crashes on a JPEG ending inside a segment header',
    valueClass: 'invalid-body: jpeg-cut-in-segment-header',
    behaviour: { validateImage: crashesOn((b) => jpegEndsIn(b) === 'segment header') },
    caughtBy: 'incomplete-header-rejected',
  },
  {
    // The walk reads SOF's height and width (bytes 5 to 8 after its marker) without a bound, whatever SOF's length says.
    name: 'crashes on a JPEG ending before the SOF sizes',
    valueClass: 'invalid-body: jpeg-short-sof',
    behaviour: { validateImage: crashesOn((b) => jpegEndsIn(b) === 'SOF sizes') },
    caughtBy: 'incomplete-header-rejected',
  },
  {
    // It checks that a page has a width, and reads its length on trust.
    name: 'crashes on a TIFF page without its ImageLength',
    valueClass: 'invalid-body: tiff-no-length',
    behaviour: { validateImage: crashesOn(tiffPageWithoutLength) },
    caughtBy: 'zero-dimension-rejected',
  },
  {
    name: 'reads the first TIFF page only',
    valueClass: 'invalid-body: tiff-corrupt-later-page',
    behaviour: { validateImage: acceptsWhatItSees(tiffFirstPageOnly) },
    caughtBy: 'damaged-image-rejected',
  },
  {
    name: 'reads only the TIFF tags needed to decode',
    valueClass: 'invalid-body: tiff-value-past-end',
    behaviour: { validateImage: acceptsWhatItSees(tiffOtherTagsEmptied) },
    caughtBy: 'damaged-image-rejected',
  },
];
