/**
 * Joining single-page TIFF files into one multi-page file, each page keeping its own size,
 * compression and layout (TIFF 6.0 section 2: each IFD describes its own image; nothing ties the
 * pages of a file together). sharp writes several pages only when they are the same size
 * (`pageHeight`), so pages that differ (a half-size thumbnail, another scan height, as scanners
 * and fax software write them) are encoded one by one and joined here.
 *
 * Every page's IFD is rewritten whole: its entries (sorted by tag), its out-of-line values and its
 * strip or tile data are copied, the strip/tile offsets pointed at the copies, NewSubfileType (254)
 * set to 2 (a page of a multi-page document) and PageNumber (297) to (page, pages), as libvips and
 * libtiff write them for a multi-page file.
 */
import { readTiffStructure, tiffEntryValues, type TiffEntry, type TiffStructure } from './tiff-structure.js';

const SUB_IFD_TAGS = new Set([330, 34665, 34853, 40965]);
const DATA_TAGS: readonly (readonly [offsets: number, counts: number])[] = [[273, 279], [324, 325]];

interface OutEntry {
  tag: number;
  type: number;
  count: number;
  /** The value's bytes (in the file's byte order). */
  value: Uint8Array;
}

function entryValue(b: Uint8Array, e: TiffEntry): Uint8Array {
  return b.slice(e.valueAt, e.valueAt + e.byteLength);
}

/** A page's entries with their values (but its page tags), and its data chunks (strips or tiles) in order. */
function readPage(b: Uint8Array, ifd: TiffStructure['ifds'][number] | undefined, le: boolean): { entries: OutEntry[]; chunks: { tag: number; data: Uint8Array[] }[] } {
  if (!ifd) throw new Error('joinTiffPages: a file without an IFD');
  const entries: OutEntry[] = [];
  const chunks: { tag: number; data: Uint8Array[] }[] = [];
  for (const [offTag, countTag] of DATA_TAGS) {
    const off = ifd.entries.find((e) => e.tag === offTag);
    const cnt = ifd.entries.find((e) => e.tag === countTag);
    if (!off || !cnt) continue;
    const offsets = tiffEntryValues(b, le, off);
    const counts = tiffEntryValues(b, le, cnt);
    if (offsets.length !== counts.length) throw new Error(`joinTiffPages: tags ${offTag} and ${countTag} disagree`);
    chunks.push({ tag: offTag, data: offsets.map((o, k) => b.slice(o, o + counts[k]!)) });
  }
  if (chunks.length === 0) throw new Error('joinTiffPages: a page without strips or tiles');
  for (const e of ifd.entries) {
    if (SUB_IFD_TAGS.has(e.tag)) throw new Error(`joinTiffPages: sub-IFD tag ${e.tag} not handled`);
    if (e.tag === 254 || e.tag === 297) continue;
    entries.push({ tag: e.tag, type: e.type, count: e.count, value: entryValue(b, e) });
  }
  return { entries, chunks };
}

/** An IFD of these entries: a value of more than 4 bytes by its offset (valueAt), the others inline; the next-IFD field left 0. */
function encodeIfd(all: readonly OutEntry[], valueAt: readonly number[], le: boolean): Uint8Array {
  const ifd = new Uint8Array(2 + 12 * all.length + 4);
  const dv = new DataView(ifd.buffer);
  dv.setUint16(0, all.length, le);
  all.forEach((e, i) => {
    const at = 2 + 12 * i;
    dv.setUint16(at, e.tag, le);
    dv.setUint16(at + 2, e.type, le);
    dv.setUint32(at + 4, e.count, le);
    if (e.value.length > 4) dv.setUint32(at + 8, valueAt[i]!, le);
    else ifd.set(e.value, at + 8);
  });
  return ifd;
}

/**
 * One classic TIFF (byte order of the inputs, which must agree) holding the first page of each
 * input, in order. Throws for BigTIFF, sub-IFDs, or inputs of different byte orders.
 */
export function joinTiffPages(files: readonly Uint8Array[]): Uint8Array {
  if (files.length === 0) throw new Error('joinTiffPages: no page');
  const structures = files.map((f) => readTiffStructure(f));
  const le = structures[0]!.littleEndian;
  if (structures.some((s) => s.littleEndian !== le)) throw new Error('joinTiffPages: inputs of different byte orders');

  // Each page: its entries with values, and its data chunks (strips or tiles) in order.
  const pages = files.map((b, p) => readPage(b, structures[p]!.ifds[0], le));

  const n = pages.length;
  const parts: Uint8Array[] = [];
  let size = 0;
  const put = (bytes: Uint8Array): number => {
    const at = size;
    parts.push(bytes);
    size += bytes.length;
    if (size & 1) {
      parts.push(new Uint8Array(1)); // keep every offset word-aligned (TIFF 6.0: values begin on a word boundary)
      size++;
    }
    return at;
  };
  const u16 = (v: number) => { const x = new Uint8Array(2); new DataView(x.buffer).setUint16(0, v, le); return x; };
  const u32s = (vs: readonly number[]) => { const x = new Uint8Array(4 * vs.length); const dv = new DataView(x.buffer); vs.forEach((v, i) => dv.setUint32(4 * i, v, le)); return x; };

  const header = new Uint8Array(8);
  header.set(le ? [0x49, 0x49, 0x2a, 0x00] : [0x4d, 0x4d, 0x00, 0x2a]);
  put(header);
  const nextFields: number[] = [];
  const ifdOffsets: number[] = [];
  pages.forEach(({ entries, chunks }, p) => {
    const all: OutEntry[] = [...entries];
    for (const { tag, data } of chunks) {
      const offsets = data.map((d) => put(d));
      const i = all.findIndex((e) => e.tag === tag);
      all[i] = { tag, type: 4, count: offsets.length, value: u32s(offsets) };
    }
    all.push({ tag: 254, type: 4, count: 1, value: u32s([2]) });
    all.push({ tag: 297, type: 3, count: 2, value: new Uint8Array([...u16(p), ...u16(n)]) });
    all.sort((a, b) => a.tag - b.tag);
    // Out-of-line values first, then the IFD that points at them.
    const valueAt = all.map((e) => (e.value.length > 4 ? put(e.value) : -1));
    const ifd = encodeIfd(all, valueAt, le);
    const at = put(ifd);
    ifdOffsets.push(at);
    nextFields.push(at + 2 + 12 * all.length);
  });

  const out = new Uint8Array(size);
  let p = 0;
  for (const part of parts) {
    out.set(part, p);
    p += part.length;
  }
  const dv = new DataView(out.buffer);
  dv.setUint32(4, ifdOffsets[0]!, le);
  for (let k = 0; k < n; k++) dv.setUint32(nextFields[k]!, k + 1 < n ? ifdOffsets[k + 1]! : 0, le);
  return out;
}
