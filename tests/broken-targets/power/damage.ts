/**
 * Power targets for damage where a server does not look: in a large image (a decoder that
 * crashes, 500, on damage past the part it checks first), and at the ends of the image data
 * (a PNG cut before its last data byte, a TIFF cut right where its strip data begins), each
 * accepted by a check that is off by a little, and corrupt data in an interlaced PNG, accepted by a
 * server that trusts libvips alone; damaged-image-rejected (SHOULD) catches the last three.
 * Each decides by the bytes alone, as a server would.
 */
import sharp from 'sharp';
import { defaultBehaviour as d } from '../../../src/target/behaviour.js';
import { readTiffStructure, tiffEntryValues } from '../../../src/generate/images/tiff-structure.js';
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
];
