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
import { readTiffStructure, tiffEntryValues, type TiffStructure } from './tiff-structure.js';
import { tiffEntry, writeTiff, type TiffOutEntry, type TiffOutPage } from './tiff-writer.js';

const SUB_IFD_TAGS = new Set([330, 34665, 34853, 40965]);
const DATA_TAGS: readonly (readonly [offsets: number, counts: number])[] = [[273, 279], [324, 325]];

/** A page's entries with their values (but its page tags), and its data chunks (strips or tiles) in order. */
function readPage(b: Uint8Array, ifd: TiffStructure['ifds'][number] | undefined, le: boolean): TiffOutPage {
  if (!ifd) throw new Error('joinTiffPages: a file without an IFD');
  const entries: TiffOutEntry[] = [];
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
    entries.push({ tag: e.tag, type: e.type, count: e.count, value: b.slice(e.valueAt, e.valueAt + e.byteLength) });
  }
  return { entries, chunks };
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
  const n = files.length;
  const pages = files.map((b, p): TiffOutPage => {
    const { entries, chunks } = readPage(b, structures[p]!.ifds[0], le);
    return { entries: [...entries, tiffEntry(254, 4, [2], le), tiffEntry(297, 3, [p, n], le)], chunks };
  });
  return writeTiff(pages, le, 'page-by-page');
}
