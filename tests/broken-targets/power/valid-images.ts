/**
 * Power targets for well-formed images that a hand-written structure walk (or a decoder used one
 * way) refuses: each refuses one kind with 400 ("Image bitmap is not valid."), which
 * valid-raw-upload catches. Each decides by the bytes alone, as a server would, and otherwise is
 * the reference target.
 * - A multi-page TIFF whose pages differ in size: refused by a server that decodes every page as
 *   one image (libvips `pages: -1` answers "tiff2vips: page 1 differs from page 0"); TIFF 6.0 ties
 *   no page's size to another, and GDI+ reads each page as a frame of its own.
 * - A JPEG with fill bytes (0xFF) before its markers: refused by a marker walk that expects the
 *   next segment's marker right after each segment (ITU T.81 B.1.1.2 allows any number of them;
 *   libjpeg and ImageSharp skip them).
 * - A GIF without a global colour table (a local one in every frame): refused by a reader that
 *   takes the global table for granted (GIF89a makes it optional).
 */
import { defaultBehaviour as d } from '../../../src/target/behaviour.js';
import type { TargetBehaviour } from '../../../src/target/types.js';
import { readTiffStructure, tiffEntryValues } from '../../../src/generate/images/tiff-structure.js';
import type { PowerTarget } from './types.js';

/** Refuses (400, as "not a valid image") the bytes `bad` picks, else the reference target's validation. */
const refusing = (bad: (b: Buffer) => boolean): Partial<TargetBehaviour> => ({
  validateImage: async (b, t, c) => (bad(b) ? { ok: false, reason: 'Image bitmap is not valid.' } : d.validateImage(b, t, c)),
});

/**
 * Whether a classic TIFF has a page whose width or height differs from the first page's (false
 * when the structure does not read): what makes libvips's `pages: -1` refuse a TIFF, read off the
 * IFDs (deterministic, and no second decode in flight beside the reference target's).
 */
function tiffPagesDiffer(b: Buffer): boolean {
  const head = b.toString('latin1', 0, 4);
  if (head !== 'II*\0' && head !== 'MM\0*') return false;
  try {
    const s = readTiffStructure(b);
    const sizes = s.ifds.map((ifd) => [256, 257].map((tag) => {
      const e = ifd.entries.find((x) => x.tag === tag);
      return e ? tiffEntryValues(b, s.littleEndian, e)[0] : undefined;
    }).join('x'));
    return sizes.some((z) => z !== sizes[0]);
  } catch {
    return false;
  }
}

/** Whether a JPEG has a fill byte (0xFF) before a marker of its header segments (up to SOS). */
function jpegFillBytes(b: Buffer): boolean {
  if (b[0] !== 0xff || b[1] !== 0xd8) return false;
  for (let p = 2; p + 4 <= b.length && b[p] === 0xff; p += 2 + b.readUInt16BE(p + 2)) {
    if (b[p + 1] === 0xff) return true;
    if (b[p + 1] === 0xda) return false;
  }
  return false;
}

/** Whether a GIF's logical screen descriptor has no global colour table. */
const gifNoGlobalTable = (b: Buffer) => b.length >= 13 && b.toString('latin1', 0, 4) === 'GIF8' && (b[10]! & 0x80) === 0;

export const validImageTargets: PowerTarget[] = [
  {
    name: 'refuses a multi-page TIFF whose pages differ in size',
    valueClass: 'valid-upload: tiff with pages of differing sizes raw',
    behaviour: refusing(tiffPagesDiffer),
    caughtBy: 'valid-raw-upload',
  },
  { name: 'refuses a JPEG with fill bytes before a marker', valueClass: 'valid-upload: jpeg with fill bytes raw', behaviour: refusing(jpegFillBytes), caughtBy: 'valid-raw-upload' },
  { name: 'refuses a GIF without a global colour table', valueClass: 'valid-upload: gif without global colour table raw', behaviour: refusing(gifNoGlobalTable), caughtBy: 'valid-raw-upload' },
];
