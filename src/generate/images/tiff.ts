/**
 * TIFF recipes and their rendering.
 *
 * | variant                                          | encoder                                   |
 * |--------------------------------------------------|-------------------------------------------|
 * | uncompressed strips, grey/RGB/RGBA, 1..3 pages   | tiff-writer.ts `writeTiff`, either byte order (IFDs first, then the strips) |
 * | LZW / Deflate / PackBits, or tiles, 1..3 pages   | sharp (libtiff, 'II'; raw `pageHeight` for pages) |
 * | big-endian of the sharp files                    | tiff-structure.ts `flipTiffByteOrder` (8-bit samples, so pixel data is unchanged) |
 * | pages of differing sizes (opt-in), uncompressed strips | `writeTiff` as above, each IFD with its page's size |
 * | pages of differing sizes (opt-in), the others    | sharp, one page at a time, joined by tiff-pages.ts `joinTiffPages` |
 *
 * Pages that differ in size (page 2 a half-size thumbnail, page 3 another scan height: scanners
 * and fax software write these; TIFF 6.0 ties no page to another) are off unless `pagesDiffer`
 * asks for them (the valid-upload family does), so the other families' bodies stay as they were.
 */
import fc from 'fast-check';
import sharp from 'sharp';
import { dimensions, type DimensionConstraints } from './dimensions.js';
import { synthPixels8 } from './pixels.js';
import { joinTiffPages } from './tiff-pages.js';
import { flipTiffByteOrder } from './tiff-structure.js';
import { tiffEntry, writeTiff, type TiffOutPage } from './tiff-writer.js';
import type { ImageRecipe } from './types.js';

export type TiffCompression = 'none' | 'lzw' | 'deflate' | 'packbits';
export const TIFF_COMPRESSIONS: readonly TiffCompression[] = ['none', 'lzw', 'deflate', 'packbits'];
type TiffLayout = 'strips' | 'tiles';
type TiffChannels = 'rgb' | 'grey' | 'rgba';

export interface TiffRecipeConstraints extends DimensionConstraints {
  compressions?: readonly TiffCompression[];
  layouts?: readonly TiffLayout[];
  byteOrders?: readonly ('II' | 'MM')[];
  /** Most pages; default 3. */
  maxPages?: number;
  /** Fewest pages; default 1 (a damage in the last page asks for 2). Wins over the pixel cap. */
  minPages?: number;
  /** Allow multi-page files whose pages differ in size; default false. */
  pagesDiffer?: boolean;
}

export interface TiffOptions {
  byteOrder: 'II' | 'MM';
  compression: TiffCompression;
  layout: TiffLayout;
  /** Tile side (multiple of 16) for tiles; rows per strip for strips (0 = one strip per page). */
  tileSize: number;
  rowsPerStrip: number;
  channels: TiffChannels;
  pages: number;
  /** Horizontal differencing (LZW and Deflate only). */
  predictor: boolean;
  /** Pages after the first differ in size from it (see `tiffPageSizes`); only with 2 pages or more. */
  pagesDiffer?: boolean;
}

/**
 * The size of each page: the first is the recipe's; with `pagesDiffer`, every odd page a half-size
 * thumbnail (rounded up) and every even one the full width at a quarter more height (another scan
 * height), each differing from the first (a 1x1 first page gets a 1x2 "thumbnail").
 */
export function tiffPageSizes(width: number, height: number, o: Pick<TiffOptions, 'pages' | 'pagesDiffer'>): { width: number; height: number }[] {
  return Array.from({ length: o.pages }, (_, p) => {
    if (p === 0 || !o.pagesDiffer) return { width, height };
    if (p % 2 === 1) {
      const half = { width: Math.ceil(width / 2), height: Math.ceil(height / 2) };
      return half.width === width && half.height === height ? { width, height: height + 1 } : half;
    }
    return { width, height: height + Math.ceil(height / 4) };
  });
}

export function tiffVariant(o: TiffOptions): string {
  const parts = [o.byteOrder === 'II' ? 'le' : 'be', o.compression + (o.predictor ? '-predictor' : ''), o.channels];
  parts.push(o.layout === 'tiles' ? `tiles${o.tileSize}` : o.rowsPerStrip > 0 ? `strips${o.rowsPerStrip}` : 'strips');
  if (o.pages > 1) parts.push(`${o.pages}pages${o.pagesDiffer ? '-differ' : ''}`);
  return parts.join('-');
}

export function describeTiffVariant(o: TiffOptions): string {
  const parts = [o.byteOrder === 'II' ? 'little-endian' : 'big-endian', o.compression === 'none' ? 'uncompressed' : o.compression === 'lzw' ? 'LZW' : o.compression === 'deflate' ? 'Deflate' : 'PackBits'];
  if (o.predictor) parts.push('with predictor');
  parts.push(o.channels === 'rgb' ? 'RGB' : o.channels === 'rgba' ? 'RGBA' : 'grey');
  parts.push(o.layout === 'tiles' ? `tiles ${o.tileSize}x${o.tileSize}` : o.rowsPerStrip > 0 ? `strips of ${o.rowsPerStrip} rows` : 'one strip');
  if (o.pages > 1) parts.push(`${o.pages} pages${o.pagesDiffer ? ' of differing sizes' : ''}`);
  return parts.join(' ');
}

/** fast-check arbitrary of TIFF recipes; shrinks to a 1x1 little-endian uncompressed RGB single strip. */
export function tiffRecipe(constraints: TiffRecipeConstraints = {}): fc.Arbitrary<ImageRecipe> {
  const compressions = constraints.compressions ?? TIFF_COMPRESSIONS;
  const layouts = constraints.layouts ?? ['strips', 'tiles'];
  const orders = constraints.byteOrders ?? ['II', 'MM'];
  if (compressions.length === 0 || layouts.length === 0 || orders.length === 0) throw new Error('tiffRecipe: empty choice');
  const maxPages = Math.max(1, constraints.maxPages ?? 3);
  const minPages = Math.max(1, constraints.minPages ?? 1);
  if (minPages > maxPages) throw new Error(`tiffRecipe: minPages ${minPages} over maxPages ${maxPages}`);
  const options = fc.record({
    byteOrder: fc.constantFrom(...orders),
    compression: fc.constantFrom(...compressions),
    layout: fc.constantFrom(...layouts),
    tileSize: fc.constantFrom(16, 32, 64, 256),
    rowsPerStrip: fc.oneof({ withCrossShrink: true }, { weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 64 }) }),
    channels: fc.constantFrom<TiffChannels>('rgb', 'grey', 'rgba'),
    pages: fc.oneof({ withCrossShrink: true }, { weight: 4, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: maxPages }) }),
    predictor: fc.boolean(),
  });
  // Pages of differing sizes in one file in six (drawn only when asked for, so the other families' draws stay as they were).
  const differ = constraints.pagesDiffer === true && maxPages > 1 ? fc.integer({ min: 0, max: 5 }).map((n) => n === 5) : undefined;
  const record = differ
    ? fc.record({ size: dimensions(constraints), options, pixelSeed: fc.nat(), differ })
    : fc.record({ size: dimensions(constraints), options, pixelSeed: fc.nat() });
  return record.map((drawn): ImageRecipe => {
    const { size, options, pixelSeed } = drawn;
    const wantsDiffer = 'differ' in drawn && drawn.differ;
    const pages = Math.max(minPages, Math.min(wantsDiffer ? Math.max(2, options.pages) : options.pages, Math.floor(12_000_000 / (size.width * size.height))));
    const o: TiffOptions = {
      ...options,
      // Normalise options that do not apply, so the variant name says what the file holds.
      tileSize: options.layout === 'tiles' ? options.tileSize : 0,
      rowsPerStrip: options.layout === 'strips' && options.compression === 'none' ? options.rowsPerStrip : 0,
      predictor: options.predictor && (options.compression === 'lzw' || options.compression === 'deflate'),
      pages,
      ...(wantsDiffer && pages > 1 ? { pagesDiffer: true } : {}),
    };
    return { format: 'tiff', variant: tiffVariant(o), width: size.width, height: size.height, pixelSeed, options: { ...o } };
  });
}

export function tiffOptionsOf(recipe: ImageRecipe): TiffOptions {
  const o = recipe.options;
  return {
    byteOrder: o.byteOrder === 'MM' ? 'MM' : 'II',
    compression: (TIFF_COMPRESSIONS as readonly string[]).includes(String(o.compression)) ? (o.compression as TiffCompression) : 'none',
    layout: o.layout === 'tiles' ? 'tiles' : 'strips',
    tileSize: Number(o.tileSize ?? 0),
    rowsPerStrip: Number(o.rowsPerStrip ?? 0),
    channels: o.channels === 'grey' ? 'grey' : o.channels === 'rgba' ? 'rgba' : 'rgb',
    pages: Number(o.pages ?? 1),
    predictor: o.predictor === true,
    ...(o.pagesDiffer === true ? { pagesDiffer: true } : {}),
  };
}

const CHANNEL_COUNT: Record<TiffChannels, 1 | 3 | 4> = { grey: 1, rgb: 3, rgba: 4 };

/** A page to encode: its size and its pixels (8-bit, `channels` a pixel). */
interface TiffPage {
  width: number;
  height: number;
  pixels: Uint8Array;
}

/**
 * Uncompressed strips, written whole by tiff-writer.ts in the asked byte order: every IFD (the
 * tags libtiff writes for such a page, with their types) before the pixel data; each page with its
 * own size.
 */
function encodeUncompressed(channels: 1 | 3 | 4, pages: readonly TiffPage[], rowsPerStrip: number, le: boolean): Uint8Array {
  const out: TiffOutPage[] = pages.map(({ width, height, pixels }, p) => {
    const rps = rowsPerStrip > 0 ? Math.min(rowsPerStrip, height) : height;
    const rowBytes = width * channels;
    const strips = Array.from({ length: Math.ceil(height / rps) }, (_, s) => pixels.subarray(s * rps * rowBytes, Math.min(height, (s + 1) * rps) * rowBytes));
    const e = (tag: number, type: 2 | 3 | 4 | 5, values: readonly number[] | string) => tiffEntry(tag, type, values, le);
    const entries = [
      e(256, 3, [width]), e(257, 3, [height]), e(258, 3, new Array<number>(channels).fill(8)), e(259, 3, [1]), e(262, 3, [channels === 1 ? 1 : 2]),
      e(277, 3, [channels]), e(278, 4, [rps]), e(279, 4, strips.map((s) => s.length)), e(282, 5, [72, 1]), e(283, 5, [72, 1]), e(284, 3, [1]), e(296, 3, [2]),
      e(305, 2, 'person-image-conformance'),
      ...(pages.length > 1 ? [e(254, 4, [2]), e(297, 3, [p, pages.length])] : []),
      ...(channels === 4 ? [e(338, 3, [2])] : []),
    ];
    return { entries, chunks: [{ tag: 273, data: strips }] };
  });
  return writeTiff(out, le, 'ifds-first');
}

/** One page (or `pageCount` pages of the same size, stacked) by sharp/libtiff, little-endian. */
async function encodeSharp(o: TiffOptions, width: number, height: number, channels: 1 | 3 | 4, pixels: Uint8Array, pageCount: number): Promise<Uint8Array> {
  const out = await sharp(pixels, { raw: { width, height: height * pageCount, channels, ...(pageCount > 1 ? { pageHeight: height } : {}) } })
    .toColourspace(channels === 1 ? 'b-w' : 'srgb')
    .tiff({
      compression: o.compression,
      predictor: o.predictor ? 'horizontal' : 'none',
      ...(o.layout === 'tiles' ? { tile: true, tileWidth: o.tileSize, tileHeight: o.tileSize } : {}),
    })
    .toBuffer();
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}

export async function renderTiff(recipe: ImageRecipe): Promise<Uint8Array> {
  const o = tiffOptionsOf(recipe);
  const { width, height, pixelSeed } = recipe;
  const channels = CHANNEL_COUNT[o.channels];
  const pages: TiffPage[] = tiffPageSizes(width, height, o).map((size, p) => ({ ...size, pixels: synthPixels8(size.width, size.height, (pixelSeed + p * 104729) >>> 0, { channels }) }));

  if (o.compression === 'none' && o.layout === 'strips') {
    return encodeUncompressed(channels, pages, o.rowsPerStrip, o.byteOrder === 'II');
  }

  const ii = o.pagesDiffer
    ? joinTiffPages(await Promise.all(pages.map((pg) => encodeSharp(o, pg.width, pg.height, channels, pg.pixels, 1))))
    : await encodeSharp(o, width, height, channels, pages.length === 1 ? pages[0]!.pixels : Buffer.concat(pages.map((pg) => pg.pixels)), pages.length);
  return o.byteOrder === 'II' ? ii : flipTiffByteOrder(ii);
}
