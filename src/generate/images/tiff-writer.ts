/**
 * Writing a classic TIFF (TIFF 6.0, either byte order) from pages given as IFD entries and data
 * chunks (strips or tiles). Used for uncompressed strips, written here whole, and by
 * tiff-pages.ts to join pages that sharp encoded one by one.
 *
 * Why not utif2's `encode`: it writes every IFD into a fixed 20,000-byte buffer and silently drops
 * what does not fit, so a tall page with a row or a few a strip (libtiff's default strip size of
 * 8 KiB gives one row a strip for a 2,000-pixel-wide RGB page) came out with its next-IFD link and
 * strip table cut off.
 */
import { TIFF_TYPE_SIZE } from './tiff-structure.js';

export interface TiffOutEntry {
  tag: number;
  /** TIFF field type (3 SHORT, 4 LONG, 5 RATIONAL, 2 ASCII, ...). */
  type: number;
  count: number;
  /** The value's bytes, in the file's byte order. */
  value: Uint8Array;
}

export interface TiffOutPage {
  /** Entries other than the chunk offsets (those are written from `chunks`). */
  entries: readonly TiffOutEntry[];
  /** Data chunks under their offsets tag (273 StripOffsets, 324 TileOffsets), in order. */
  chunks: readonly { tag: number; data: readonly Uint8Array[] }[];
}

/**
 * Where things go: `ifds-first` puts every IFD (each followed by its out-of-line values) right after
 * the header and all pixel data after them (so "the header cut short" cuts an IFD); `page-by-page`
 * writes each page's data, then its values, then its IFD (as libtiff does).
 */
export type TiffWriteOrder = 'ifds-first' | 'page-by-page';

/** An entry of SHORT (3), LONG (4) or RATIONAL (5, pairs) values, or an ASCII (2) string with its NUL. */
export function tiffEntry(tag: number, type: 2 | 3 | 4 | 5, values: readonly number[] | string, le: boolean): TiffOutEntry {
  if (type === 2) {
    const text = `${String(values)}\0`;
    return { tag, type, count: text.length, value: new TextEncoder().encode(text) };
  }
  const nums = values as readonly number[];
  const unit = type === 3 ? 2 : 4;
  const value = new Uint8Array(unit * nums.length);
  const dv = new DataView(value.buffer);
  nums.forEach((v, i) => (unit === 2 ? dv.setUint16(2 * i, v, le) : dv.setUint32(4 * i, v, le)));
  return { tag, type, count: type === 5 ? nums.length / 2 : nums.length, value };
}

interface PlacedPage {
  entries: TiffOutEntry[];
  chunks: TiffOutPage['chunks'];
  ifdAt: number;
  valueAt: number[];
  chunkAt: number[][];
}

/** Gives every IFD, value and chunk of the pages its offset; returns the file's size. */
function layOut(placed: readonly PlacedPage[], order: TiffWriteOrder): number {
  let size = 8;
  const place = (length: number): number => {
    const at = size;
    size += length + (length & 1); // every offset word-aligned (TIFF 6.0: values begin on a word boundary)
    return at;
  };
  const placeValues = (p: PlacedPage) => {
    p.valueAt = p.entries.map((e) => (e.value.length > 4 ? place(e.value.length) : -1));
  };
  const placeIfd = (p: PlacedPage) => {
    p.ifdAt = place(2 + 12 * p.entries.length + 4);
  };
  const placeData = (p: PlacedPage) => {
    p.chunkAt = p.chunks.map((c) => c.data.map((d) => place(d.length)));
  };
  if (order === 'ifds-first') {
    placed.forEach((p) => { placeIfd(p); placeValues(p); });
    placed.forEach(placeData);
  } else {
    placed.forEach((p) => { placeData(p); placeValues(p); placeIfd(p); });
  }
  return size;
}

/** Writes a placed page: its chunks, their offsets into its offsets entry, its values and its IFD, linked to `nextIfdAt`. */
function writePage(out: Uint8Array, p: PlacedPage, nextIfdAt: number, le: boolean): void {
  const dv = new DataView(out.buffer, out.byteOffset, out.byteLength);
  p.chunks.forEach((c, j) => {
    const offsets = p.entries.find((e) => e.tag === c.tag)!;
    const odv = new DataView(offsets.value.buffer, offsets.value.byteOffset, offsets.value.byteLength);
    c.data.forEach((d, i) => {
      out.set(d, p.chunkAt[j]![i]!);
      odv.setUint32(4 * i, p.chunkAt[j]![i]!, le);
    });
  });
  dv.setUint16(p.ifdAt, p.entries.length, le);
  p.entries.forEach((e, i) => {
    const at = p.ifdAt + 2 + 12 * i;
    dv.setUint16(at, e.tag, le);
    dv.setUint16(at + 2, e.type, le);
    dv.setUint32(at + 4, e.count, le);
    if (e.value.length > 4) {
      dv.setUint32(at + 8, p.valueAt[i]!, le);
      out.set(e.value, p.valueAt[i]!);
    } else out.set(e.value, at + 8);
  });
  dv.setUint32(p.ifdAt + 2 + 12 * p.entries.length, nextIfdAt, le);
}

/** The file: the pages in order, linked by their next-IFD fields, every offset word-aligned. */
export function writeTiff(pages: readonly TiffOutPage[], le: boolean, order: TiffWriteOrder): Uint8Array {
  if (pages.length === 0) throw new Error('writeTiff: no page');
  const placed: PlacedPage[] = pages.map((pg) => {
    const chunkTags = new Set(pg.chunks.map((c) => c.tag));
    const entries = [
      ...pg.entries.filter((e) => !chunkTags.has(e.tag)),
      ...pg.chunks.map((c) => ({ tag: c.tag, type: 4, count: c.data.length, value: new Uint8Array(4 * c.data.length) })),
    ].sort((a, b) => a.tag - b.tag);
    for (const e of entries) {
      if (e.value.length !== (TIFF_TYPE_SIZE[e.type] ?? 1) * e.count) throw new Error(`writeTiff: tag ${e.tag} holds ${e.value.length} bytes for ${e.count} values of type ${e.type}`);
    }
    return { entries, chunks: pg.chunks, ifdAt: 0, valueAt: [], chunkAt: [] };
  });
  const out = new Uint8Array(layOut(placed, order));
  out.set(le ? [0x49, 0x49, 0x2a, 0x00] : [0x4d, 0x4d, 0x00, 0x2a]);
  new DataView(out.buffer).setUint32(4, placed[0]!.ifdAt, le);
  placed.forEach((p, k) => writePage(out, p, k + 1 < placed.length ? placed[k + 1]!.ifdAt : 0, le));
  return out;
}
