/**
 * Reading TIFF structure (header, IFD chain, entries) in either byte order, and turning a file
 * into the other byte order. Used for big-endian compressed/tiled files (sharp writes only 'II'),
 * by tiff-pages.ts to join pages, and by the invalid-body damage.
 */

/** Bytes of one value of each TIFF field type (RATIONAL: two LONGs). */
export const TIFF_TYPE_SIZE: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4 };
/** Size of one swappable unit of each type (rationals are two LONGs). */
const TIFF_UNIT: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 4, 6: 1, 7: 1, 8: 2, 9: 4, 10: 4, 11: 4, 12: 8, 13: 4 };

export interface TiffEntry {
  tag: number;
  type: number;
  count: number;
  /** Offset of the entry (12 bytes) in the file. */
  at: number;
  /** Offset of the value: inside the entry when it fits in 4 bytes, else where the entry points. */
  valueAt: number;
  byteLength: number;
}

interface TiffIfd {
  offset: number;
  entries: TiffEntry[];
  /** Offset of the 4-byte next-IFD field. */
  nextFieldAt: number;
}

export interface TiffStructure {
  littleEndian: boolean;
  ifds: TiffIfd[];
}

export function readTiffStructure(b: Uint8Array): TiffStructure {
  if (b.length < 8) throw new Error('TIFF: shorter than a header');
  const le = b[0] === 0x49 && b[1] === 0x49;
  if (!le && !(b[0] === 0x4d && b[1] === 0x4d)) throw new Error('TIFF: no byte-order mark');
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (dv.getUint16(2, le) !== 42) throw new Error('TIFF: not 42 (BigTIFF is not handled)');
  const ifds: TiffIfd[] = [];
  const seen = new Set<number>();
  let off = dv.getUint32(4, le);
  while (off !== 0) {
    if (seen.has(off) || off + 2 > b.length) throw new Error(`TIFF: bad IFD offset ${off}`);
    seen.add(off);
    const n = dv.getUint16(off, le);
    const entries: TiffEntry[] = [];
    for (let i = 0; i < n; i++) {
      const at = off + 2 + i * 12;
      const tag = dv.getUint16(at, le);
      const type = dv.getUint16(at + 2, le);
      const count = dv.getUint32(at + 4, le);
      const byteLength = (TIFF_TYPE_SIZE[type] ?? 1) * count;
      const valueAt = byteLength > 4 ? dv.getUint32(at + 8, le) : at + 8;
      entries.push({ tag, type, count, at, valueAt, byteLength });
    }
    const nextFieldAt = off + 2 + n * 12;
    ifds.push({ offset: off, entries, nextFieldAt });
    off = dv.getUint32(nextFieldAt, le);
  }
  return { littleEndian: le, ifds };
}

/** The numeric values of an entry (SHORT/LONG/BYTE), e.g. StripOffsets. */
export function tiffEntryValues(b: Uint8Array, littleEndian: boolean, e: TiffEntry): number[] {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const out: number[] = [];
  for (let i = 0; i < e.count; i++) {
    if (e.type === 3) out.push(dv.getUint16(e.valueAt + 2 * i, littleEndian));
    else if (e.type === 4 || e.type === 13) out.push(dv.getUint32(e.valueAt + 4 * i, littleEndian));
    else out.push(b[e.valueAt + i]!);
  }
  return out;
}

function swap(b: Uint8Array, at: number, size: number): void {
  for (let i = 0, j = size - 1; i < j; i++, j--) {
    const t = b[at + i]!;
    b[at + i] = b[at + j]!;
    b[at + j] = t;
  }
}

/** Tags holding an offset to another IFD; rewriting those would need a walk of the sub-IFDs. */
const SUB_IFD_TAGS = new Set([330, 34665, 34853, 40965]);

/**
 * Returns a copy in the other byte order. Only the structure is rewritten (header, IFD entries,
 * out-of-line values, next-IFD links): image data stays as it is, which is correct for 8-bit
 * samples whatever the compression (none, LZW, Deflate, PackBits, horizontal predictor on bytes).
 * Throws for BitsPerSample above 8 or sub-IFDs, which it does not handle.
 */
export function flipTiffByteOrder(input: Uint8Array): Uint8Array {
  const s = readTiffStructure(input);
  const b = new Uint8Array(input);
  b[0] = b[1] = s.littleEndian ? 0x4d : 0x49;
  swap(b, 2, 2);
  swap(b, 4, 4);
  for (const ifd of s.ifds) {
    for (const e of ifd.entries) {
      if (SUB_IFD_TAGS.has(e.tag)) throw new Error(`TIFF byte-order flip: sub-IFD tag ${e.tag} not handled`);
      if (e.tag === 258) for (const bits of tiffEntryValues(input, s.littleEndian, e)) if (bits > 8) throw new Error('TIFF byte-order flip: samples above 8 bits not handled');
      swap(b, e.at, 2);
      swap(b, e.at + 2, 2);
      swap(b, e.at + 4, 4);
      if (e.byteLength > 4) swap(b, e.at + 8, 4);
      const unit = TIFF_UNIT[e.type] ?? 1;
      if (unit > 1) for (let k = 0; k < e.byteLength; k += unit) swap(b, e.valueAt + k, unit);
    }
    swap(b, ifd.offset, 2);
    swap(b, ifd.nextFieldAt, 4);
  }
  return b;
}
