/**
 * Byte surgery on a header: zero dimensions, a TIFF page without its size, and headers cut short
 * (incomplete-header). Damage behind a whole header is in damage.ts.
 */
import { walkGif } from '../images/gif-blocks.js';
import { randInt } from '../images/prng.js';
import { readTiffStructure } from '../images/tiff-structure.js';
import type { ImageFormat } from '../images/types.js';
import { jpegStructure } from './structure.js';
import { chunk, copy, cutIn, dv, fixPngCrc, setTiffValue } from './surgery.js';

export type Dimension = 'width' | 'height' | 'both';

// ---- zero dimensions -----------------------------------------------------------------------

export function zeroDimension(format: ImageFormat, src: Uint8Array, dim: Dimension): Uint8Array {
  const b = copy(src);
  const w = dim !== 'height';
  const h = dim !== 'width';
  switch (format) {
    case 'png': {
      const ihdr = chunk(b, 'IHDR');
      if (w) dv(b).setUint32(ihdr.dataStart, 0);
      if (h) dv(b).setUint32(ihdr.dataStart + 4, 0);
      fixPngCrc(b, ihdr);
      return b;
    }
    case 'jpeg': {
      // SOF: length(2) precision(1) height(2) width(2). Height 0 formally means "see DNL",
      // which baseline decoders (libjpeg) do not support; width 0 is never valid.
      const { sof } = jpegStructure(b);
      if (h) dv(b).setUint16(sof.offset + 5, 0);
      if (w) dv(b).setUint16(sof.offset + 7, 0);
      return b;
    }
    case 'gif': {
      // The logical screen and every image descriptor say 0, so no decoder can fall back to another size.
      if (w) dv(b).setUint16(6, 0, true);
      if (h) dv(b).setUint16(8, 0, true);
      for (const blk of walkGif(src).blocks) {
        if (blk.kind !== 'image') continue;
        if (w) dv(b).setUint16(blk.offset + 5, 0, true);
        if (h) dv(b).setUint16(blk.offset + 7, 0, true);
      }
      return b;
    }
    case 'tiff': {
      const s = readTiffStructure(b);
      for (const ifd of s.ifds) {
        for (const e of ifd.entries) {
          if ((e.tag === 256 && w) || (e.tag === 257 && h)) setTiffValue(b, s.littleEndian, e, 0, 0);
        }
      }
      return b;
    }
  }
}

/**
 * A TIFF whose every page lacks its ImageWidth (`width`) or ImageLength (`height`) entry (both
 * required, TIFF 6.0 section 8; neither has a default): the entry taken out, the entries after it
 * and the next-IFD field moved up, the count fixed. No page has a size, so no decoder can read one:
 * the zero-dimension class (the reference target refuses "zero width or height (or none)"). Two
 * kinds, so every run sends both (a walk may guard one size and read the other on trust).
 */
export function tiffWithoutSize(src: Uint8Array, dim: 'width' | 'height'): Uint8Array {
  const tag = dim === 'width' ? 256 : 257;
  const b = copy(src);
  const s = readTiffStructure(src);
  // Each IFD shrinks in place: the others, and every value outside the IFDs, stay where they are.
  for (const [page, ifd] of s.ifds.entries()) {
    const i = ifd.entries.findIndex((e) => e.tag === tag);
    if (i < 0) throw new Error(`TIFF: page ${page} has no tag ${tag}`);
    const from = ifd.offset + 2 + (i + 1) * 12;
    b.copyWithin(from - 12, from, ifd.nextFieldAt + 4);
    b.fill(0, ifd.nextFieldAt - 8, ifd.nextFieldAt + 4);
    dv(b).setUint16(ifd.offset, ifd.entries.length - 1, s.littleEndian);
  }
  return b;
}

// ---- incomplete headers --------------------------------------------------------------------

/**
 * Where a JPEG's incomplete header ends, besides anywhere between SOI and the end of SOF (the
 * `jpeg-incomplete-header` kind): each its own kind (`jpeg-<where>`), so every run sends each.
 *  - `cut-in-segment-header`: 1 to 3 bytes into the header (marker and length) of one of the
 *    segments up to SOF: the body ends before a segment's length can be read;
 *  - `cut-in-sof`: 4 to 8 bytes into SOF: its length is whole, its sizes are not;
 *  - `short-sof`: an SOF whose length field says 2 to 6 (no room for the width, let alone the
 *    components) as the last bytes of the file: the segment is whole by its own length, the frame
 *    header is not.
 * None has a scan or a whole frame header, so no decoder can show an image: a signature with less
 * than a whole header behind it (incomplete-header-rejected, MUST), not damage behind one.
 */
export const JPEG_HEADER_CUTS = ['cut-in-segment-header', 'cut-in-sof', 'short-sof'] as const;
export type JpegHeaderCut = (typeof JPEG_HEADER_CUTS)[number];

/**
 * The signature and less than a whole header: PNG cut inside the signature+IHDR (8..32 bytes),
 * JPEG inside SOI..SOF (or where `jpegCut` says), GIF inside the header + logical screen
 * descriptor + global colour table, TIFF inside the 8-byte header + first IFD.
 */
export function cutHeader(format: ImageFormat, src: Uint8Array, rand: () => number, jpegCut?: JpegHeaderCut): Uint8Array {
  switch (format) {
    case 'png': return src.slice(0, cutIn(rand, 8, 33));
    case 'jpeg': return jpegCut ? jpegHeaderCut(src, rand, jpegCut) : src.slice(0, cutIn(rand, 3, jpegStructure(src).sof.end));
    case 'gif': return src.slice(0, cutIn(rand, 6, walkGif(src).blocksStart));
    case 'tiff': {
      const first = readTiffStructure(src).ifds[0]!;
      // Either inside the 8-byte header, or with the header but the first IFD cut short.
      const ifdEnd = first.nextFieldAt + 4;
      if (first.offset > 8 || rand() < 0.3) return src.slice(0, cutIn(rand, 4, 8));
      return src.slice(0, cutIn(rand, 8, ifdEnd));
    }
  }
}

function jpegHeaderCut(src: Uint8Array, rand: () => number, where: JpegHeaderCut): Uint8Array {
  const s = jpegStructure(src);
  const sof = s.sof;
  switch (where) {
    case 'cut-in-segment-header': {
      const upToSof = s.segments.filter((x) => x.offset <= sof.offset);
      return src.slice(0, upToSof[randInt(rand, 0, upToSof.length - 1)]!.offset + randInt(rand, 1, 3));
    }
    case 'cut-in-sof': return src.slice(0, Math.min(sof.end - 1, sof.offset + randInt(rand, 4, 8)));
    case 'short-sof': {
      const length = randInt(rand, 2, 6);
      const out = src.slice(0, sof.offset + 2 + length);
      dv(out).setUint16(sof.offset + 2, length);
      return out;
    }
  }
}
