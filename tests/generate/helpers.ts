/** Test helpers: fixed recipes for every variant, and the Debian command-line oracles. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { gifVariant, type GifOptions } from '../../src/generate/images/gif.js';
import { jpegVariant, type JpegOptions } from '../../src/generate/images/jpeg.js';
import { PNG_BIT_DEPTHS, PNG_COLOURS, pngVariant, type PngOptions } from '../../src/generate/images/png.js';
import { TIFF_COMPRESSIONS, tiffVariant, type TiffOptions } from '../../src/generate/images/tiff.js';
import type { ImageFormat, ImageRecipe } from '../../src/generate/images/types.js';

export function recipe(format: ImageFormat, options: PngOptions | JpegOptions | GifOptions | TiffOptions, width: number, height: number, pixelSeed = 1234): ImageRecipe {
  const variant =
    format === 'png' ? pngVariant(options as PngOptions)
    : format === 'jpeg' ? jpegVariant(options as JpegOptions)
    : format === 'gif' ? gifVariant(options as GifOptions)
    : tiffVariant(options as TiffOptions);
  return { format, variant, width, height, pixelSeed, options: { ...options } };
}

export const SIZES: readonly (readonly [number, number])[] = [[1, 1], [17, 13], [70, 33]];

export function allPngOptions(): PngOptions[] {
  const out: PngOptions[] = [];
  for (const colour of PNG_COLOURS) for (const bitDepth of PNG_BIT_DEPTHS[colour]) for (const interlaced of [false, true]) {
    for (const paletteAlpha of colour === 'palette' ? [false, true] : [false]) out.push({ colour, bitDepth, interlaced, paletteAlpha });
  }
  return out;
}

export function allJpegOptions(): JpegOptions[] {
  const out: JpegOptions[] = [];
  for (const mode of ['baseline', 'progressive'] as const) for (const exif of [false, true]) {
    out.push({ mode, colour: 'ycc', subsampling: '4:4:4', restartInterval: 0, exif, quality: 80 });
    out.push({ mode, colour: 'ycc', subsampling: '4:2:0', restartInterval: 0, exif, quality: 60 });
    out.push({ mode, colour: 'grey', subsampling: '4:4:4', restartInterval: 0, exif, quality: 90 });
  }
  for (const restartInterval of [1, 3, 16]) out.push({ mode: 'baseline', colour: 'ycc', subsampling: '4:4:4', restartInterval, exif: restartInterval === 3, quality: 75 });
  return out;
}

export function allGifOptions(): GifOptions[] {
  const out: GifOptions[] = [];
  const base: GifOptions = { version: '89a', bitDepth: 8, transparent: false, interlaced: false, frames: 1, delay: 0, localPalettes: false };
  for (const bitDepth of [1, 2, 3, 4, 5, 6, 7, 8]) for (const interlaced of [false, true]) {
    out.push({ ...base, version: '87a', bitDepth, interlaced });
    out.push({ ...base, bitDepth, interlaced, transparent: bitDepth % 2 === 0 });
  }
  out.push({ ...base, frames: 2, delay: 10 });
  out.push({ ...base, frames: 3, delay: 5, transparent: true, localPalettes: true, bitDepth: 4 });
  out.push({ ...base, frames: 4, delay: 50, interlaced: true, bitDepth: 6 });
  return out;
}

export function allTiffOptions(): TiffOptions[] {
  const out: TiffOptions[] = [];
  for (const byteOrder of ['II', 'MM'] as const) for (const compression of TIFF_COMPRESSIONS) for (const channels of ['rgb', 'grey', 'rgba'] as const) {
    const predictor = compression === 'lzw' || compression === 'deflate';
    out.push({ byteOrder, compression, layout: 'strips', tileSize: 0, rowsPerStrip: compression === 'none' ? 4 : 0, channels, pages: 1, predictor });
    out.push({ byteOrder, compression, layout: 'tiles', tileSize: 16, rowsPerStrip: 0, channels, pages: 1, predictor: false });
    out.push({ byteOrder, compression, layout: channels === 'grey' ? 'tiles' : 'strips', tileSize: channels === 'grey' ? 32 : 0, rowsPerStrip: 0, channels, pages: 3, predictor: false });
  }
  return out;
}

// ---- command-line oracles ---------------------------------------------------------------------

export { itWithTools } from '../support/tools.js';

let dir: string | undefined;
let n = 0;
/** Writes bytes to a new file in a folder of os.tmpdir() that removeTemp removes. */
export function writeTemp(bytes: Uint8Array, ext: string): string {
  dir ??= mkdtempSync(join(tmpdir(), 'gen-oracle-'));
  const path = join(dir, `f${n++}.${ext}`);
  writeFileSync(path, bytes);
  return path;
}

/** Removes writeTemp's folder. */
function removeTemp(): void {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
}

// Every test file that imports these helpers removes writeTemp's folder when it ends.
afterAll(removeTemp);

export interface RunResult {
  status: number;
  out: string;
}

export function run(cmd: string, args: string[]): RunResult {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 30_000 });
  return { status: r.status ?? -1, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}
