/**
 * Power targets for the variety real image files have (each refuses one kind with 400, which
 * valid-raw-upload catches) and for images at the extremes of their format (each crashes, 500,
 * on one kind of decompression bomb, which decompression-bomb-no-5xx catches). Each decides by
 * the bytes alone, as a server would.
 */
import { defaultBehaviour as d } from '../../../src/target/behaviour.js';
import type { TargetBehaviour } from '../../../src/target/types.js';
import { PNG_ANCILLARY } from '../../../src/generate/images/png-chunks.js';
import type { PowerTarget } from './types.js';

/** The markers of a JPEG before its first scan: marker and payload (after the length). */
function jpegMarkers(b: Buffer): { marker: number; data: Buffer }[] {
  const out: { marker: number; data: Buffer }[] = [];
  if (b[0] !== 0xff || b[1] !== 0xd8) return out;
  for (let p = 2; p + 4 <= b.length && b[p] === 0xff && b[p + 1] !== 0xda; ) {
    if (b[p + 1] === 0xff) { p++; continue; } // a fill byte (ITU T.81 B.1.1.2)
    const end = p + 2 + b.readUInt16BE(p + 2);
    out.push({ marker: b[p + 1]!, data: b.subarray(p + 4, Math.min(end, b.length)) });
    p = end;
  }
  return out;
}

/** The Adobe APP14 transform flag (0 CMYK, 1 YCbCr, 2 YCCK), or undefined without the marker. */
function adobeTransform(b: Buffer): number | undefined {
  const app14 = jpegMarkers(b).find((m) => m.marker === 0xee && m.data.toString('latin1', 0, 5) === 'Adobe');
  return app14?.data[11];
}

const fourComponents = (b: Buffer) => jpegMarkers(b).some((m) => m.marker >= 0xc0 && m.marker <= 0xc2 && m.data[5] === 4);
const hasIcc = (b: Buffer) => jpegMarkers(b).some((m) => m.marker === 0xe2 && m.data.toString('latin1', 0, 12) === 'ICC_PROFILE\0');

/** The chunk types of a PNG, in order. */
function pngChunkTypes(b: Buffer): string[] {
  const out: string[] = [];
  if (b.toString('latin1', 1, 4) !== 'PNG') return out;
  for (let p = 8; p + 12 <= b.length; p += 12 + b.readUInt32BE(p)) out.push(b.toString('latin1', p + 4, p + 8));
  return out;
}

/** Refuses (400, as "not a valid image") the bytes `bad` picks, else the reference target's validation. */
const refusing = (bad: (b: Buffer) => boolean): Partial<TargetBehaviour> => ({
  validateImage: async (b, t, c) => (bad(b) ? { ok: false, reason: 'Image bitmap is not valid.' } : d.validateImage(b, t, c)),
});

/** Crashes (500) on the bytes `bomb` picks, as a decoder that runs out of memory. */
const crashing = (bomb: (b: Buffer) => boolean): Partial<TargetBehaviour> => ({
  validateImage: async (b, t, c) => {
    if (bomb(b)) throw new Error('System.OutOfMemoryException: Out of memory.');
    return d.validateImage(b, t, c);
  },
});

/** More pixels than the reference target decodes (8192 x 8192). */
const huge = (w: number, h: number) => w * h > 8192 * 8192;
const pngBomb = (b: Buffer) => pngChunkTypes(b)[0] === 'IHDR' && huge(b.readUInt32BE(16), b.readUInt32BE(20));
const gifBomb = (b: Buffer) => b.toString('latin1', 0, 4) === 'GIF8' && b.length >= 10 && huge(b.readUInt16LE(6), b.readUInt16LE(8));

export const imageTargets: PowerTarget[] = [
  { name: 'refuses CMYK JPEG', valueClass: 'valid-upload: jpeg cmyk raw', behaviour: refusing((b) => fourComponents(b) && adobeTransform(b) === 0), caughtBy: 'valid-raw-upload' },
  { name: 'refuses YCCK JPEG', valueClass: 'valid-upload: jpeg ycck raw', behaviour: refusing((b) => fourComponents(b) && adobeTransform(b) === 2), caughtBy: 'valid-raw-upload' },
  { name: 'refuses JPEG with an ICC profile', valueClass: 'valid-upload: jpeg with ICC profile raw', behaviour: refusing(hasIcc), caughtBy: 'valid-raw-upload' },
  ...PNG_ANCILLARY.map((chunk): PowerTarget => ({
    name: `refuses PNG with ${chunk}`,
    valueClass: `valid-upload: png with ${chunk} raw`,
    behaviour: refusing((b) => pngChunkTypes(b).includes(chunk)),
    caughtBy: 'valid-raw-upload',
  })),
  { name: 'crashes (500) on a PNG decompression bomb', valueClass: 'extreme-image: png largest declared dimensions', behaviour: crashing(pngBomb), caughtBy: 'decompression-bomb-no-5xx' },
  { name: 'crashes (500) on a GIF with a 65535x65535 screen', valueClass: 'extreme-image: gif largest declared dimensions', behaviour: crashing(gifBomb), caughtBy: 'decompression-bomb-no-5xx' },
];
