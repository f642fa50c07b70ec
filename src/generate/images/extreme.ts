/**
 * Images at the extremes their format allows: decompression bombs, valid by their format, whose
 * header declares huge dimensions while the body stays small. Written byte by byte: the pixels
 * are never rendered, so building one costs a few milliseconds and a few hundred KiB.
 *
 * | kind         | what the bytes are |
 * |--------------|--------------------|
 * | `png-zeros`  | 1-bit grey PNG, every row filter 0 and every pixel 0: one zlib stream of W*H/8 zero bytes, made of one 1 MiB zero run deflated once (sync-flushed, so byte-aligned and self-contained) and repeated, then the rest, then the Adler-32 (all-zero data: (L mod 65521) << 16 \| 1). About 1/1000 of the inflated size. |
 * | `gif-screen` | GIF89a whose logical screen is 65535x65535 (the most its 16-bit fields hold) with one small frame: decoders that compose frames on the screen allocate all of it. |
 *
 * Sizes: PNG 30000x30000 (112.5 MB inflated, ~110 KiB), 65535x65535 (537 MB, ~520 KiB) and
 * 2147483647x1 (the widest IHDR allows, 268 MB, ~260 KiB); GIF 65535x65535 (~40 bytes).
 * tests/generate/valid-images.test.ts reads them back (pngcheck, giftext, an inflate that
 * counts the bytes) and decodes scaled-down twins strictly.
 */
import fc from 'fast-check';
import { deflateRawSync, constants as zc } from 'node:zlib';
import { GifWriter } from 'omggif';
import { concatBytes, PNG_SIGNATURE, pngChunk } from './png-writer.js';
import type { ImageRecipe } from './types.js';

/** Whether a recipe is an extreme image (rendered here, not by its format's encoder). */
export const isExtremeRecipe = (r: ImageRecipe): boolean => r.options.extreme === true;

export const PNG_BOMB_SIZES: readonly (readonly [number, number])[] = [[30000, 30000], [65535, 65535], [2 ** 31 - 1, 1]];
export const GIF_SCREEN_MAX = 65535;

/** fast-check arbitrary of extreme images; shrinks to the 30000x30000 PNG. */
export function extremeImageRecipe(): fc.Arbitrary<ImageRecipe> {
  const png = fc.constantFrom(...PNG_BOMB_SIZES).map(([width, height]): ImageRecipe => ({
    format: 'png', variant: `bomb-1bit-grey-${width}x${height}`, width, height, pixelSeed: 0, options: { extreme: true, kind: 'png-zeros' },
  }));
  const gif = fc
    .record({ frame: fc.integer({ min: 1, max: 16 }), corner: fc.boolean(), pixelSeed: fc.nat() })
    .map(({ frame, corner, pixelSeed }): ImageRecipe => ({
      format: 'gif', variant: `screen-bomb-frame${frame}x${frame}${corner ? '-far-corner' : ''}`, width: GIF_SCREEN_MAX, height: GIF_SCREEN_MAX, pixelSeed,
      options: { extreme: true, kind: 'gif-screen', frame, corner },
    }));
  return fc.oneof({ withCrossShrink: true }, png, gif);
}

export function describeExtremeVariant(r: ImageRecipe): string {
  if (r.options.kind === 'png-zeros') return `decompression bomb: 1-bit grey, all zero (${formatMb(pngInflatedSize(r.width, r.height))} inflated)`;
  const f = Number(r.options.frame);
  return `screen bomb: a ${f}x${f} frame ${r.options.corner === true ? 'in the far corner' : 'at the origin'} of the screen`;
}

const formatMb = (n: number): string => `${(n / 1e6).toFixed(1)} MB`;

/** Bytes the PNG's zlib stream inflates to: a filter byte and W/8 bytes per row. */
export function pngInflatedSize(width: number, height: number): number {
  return height * (1 + Math.ceil(width / 8));
}

const RUN = 2 ** 20;
let runChunk: Uint8Array | undefined;

/** A zlib stream of `length` zero bytes, built from one deflated 1 MiB run. */
function zeroZlibStream(length: number): Uint8Array {
  runChunk ??= new Uint8Array(deflateRawSync(new Uint8Array(RUN), { level: 9, finishFlush: zc.Z_SYNC_FLUSH }));
  const runs = Math.floor(length / RUN);
  const tail = new Uint8Array(deflateRawSync(new Uint8Array(length - runs * RUN), { level: 9 }));
  const adler = ((length % 65521) * 65536 + 1) >>> 0;
  const trailer = Uint8Array.of(adler >>> 24, (adler >>> 16) & 255, (adler >>> 8) & 255, adler & 255);
  return concatBytes([Uint8Array.of(0x78, 0xda), ...Array.from({ length: runs }, () => runChunk!), tail, trailer]);
}

function renderPngBomb(width: number, height: number): Uint8Array {
  const ihdr = new Uint8Array(13);
  const dv = new DataView(ihdr.buffer);
  dv.setUint32(0, width);
  dv.setUint32(4, height);
  ihdr[8] = 1; // bit depth
  const stream = zeroZlibStream(pngInflatedSize(width, height));
  const idat: Uint8Array[] = [];
  for (let at = 0; at < stream.length; at += 65536) idat.push(pngChunk('IDAT', stream.subarray(at, at + 65536)));
  return concatBytes([PNG_SIGNATURE, pngChunk('IHDR', ihdr), ...idat, pngChunk('IEND', new Uint8Array(0))]);
}

function renderGifBomb(r: ImageRecipe): Uint8Array {
  const frame = Number(r.options.frame);
  const buf = new Uint8Array(1024);
  const gw = new GifWriter(buf, r.width, r.height, { palette: [0x000000, 0xffffff] });
  const at = r.options.corner === true ? r.width - frame : 0;
  const pixels = Array.from({ length: frame * frame }, (_, i) => (i + r.pixelSeed) & 1);
  gw.addFrame(at, r.options.corner === true ? r.height - frame : 0, frame, frame, pixels);
  return buf.slice(0, gw.end());
}

/** The bytes of an extreme image. */
export function renderExtremeImage(r: ImageRecipe): Uint8Array {
  if (r.options.kind === 'png-zeros' && r.format === 'png') return renderPngBomb(r.width, r.height);
  if (r.options.kind === 'gif-screen' && r.format === 'gif') return renderGifBomb(r);
  throw new Error(`renderExtremeImage: unknown kind ${String(r.options.kind)} for ${r.format}`);
}
