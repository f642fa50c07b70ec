/**
 * JPEG recipes and their rendering.
 *
 * | variant                                    | encoder                                  |
 * |--------------------------------------------|------------------------------------------|
 * | baseline YCbCr 4:4:4, +/- restart markers  | jpeg-js, one reused instance (patched for DRI/RSTn, see jpeg-js-encoder.ts) |
 * | baseline YCbCr 4:2:0, baseline grey        | sharp (libjpeg-turbo)                    |
 * | progressive YCbCr 4:4:4/4:2:0, grey        | sharp (libjpeg-turbo, SOF2)              |
 * | any of the above + EXIF                    | APP1 from exif.ts (jpeg-js `exifBuffer`, or inserted after APP0 for sharp) |
 */
import fc from 'fast-check';
import sharp from 'sharp';
import { dimensions, type DimensionConstraints } from './dimensions.js';
import { exifPayload, insertExifSegment } from './exif.js';
import { encodeJpegJs } from './jpeg-js-encoder.js';
import { synthPixels8 } from './pixels.js';
import type { ImageRecipe } from './types.js';

export type JpegMode = 'baseline' | 'progressive';
export const JPEG_MODES: readonly JpegMode[] = ['baseline', 'progressive'];

export interface JpegRecipeConstraints extends DimensionConstraints {
  /** Modes to draw from; default both. */
  modes?: readonly JpegMode[];
  /** Allow greyscale (one component); default true. */
  grey?: boolean;
  /** Allow restart markers; default true. */
  restart?: boolean;
  /** Allow EXIF; default true. */
  exif?: boolean;
}

export interface JpegOptions {
  mode: JpegMode;
  colour: 'ycc' | 'grey';
  subsampling: '4:4:4' | '4:2:0';
  /** Restart interval in MCUs, 0 for none. Only baseline YCbCr 4:4:4. */
  restartInterval: number;
  exif: boolean;
  quality: number;
}

export function jpegVariant(o: JpegOptions): string {
  const parts: string[] = [o.mode, o.colour === 'grey' ? 'grey' : `ycc${o.subsampling.replace(/:/g, '')}`];
  if (o.restartInterval > 0) parts.push(`restart${o.restartInterval}`);
  if (o.exif) parts.push('exif');
  return parts.join('-');
}

export function describeJpegVariant(o: JpegOptions): string {
  const parts: string[] = [o.mode, o.colour === 'grey' ? 'grey' : `YCbCr ${o.subsampling}`];
  if (o.restartInterval > 0) parts.push(`restart every ${o.restartInterval} MCU`);
  if (o.exif) parts.push('with EXIF');
  parts.push(`q${o.quality}`);
  return parts.join(' ');
}

/** fast-check arbitrary of JPEG recipes; shrinks to a 1x1 baseline 4:4:4 image without extras. */
export function jpegRecipe(constraints: JpegRecipeConstraints = {}): fc.Arbitrary<ImageRecipe> {
  const modes = (constraints.modes ?? JPEG_MODES).filter((m) => JPEG_MODES.includes(m));
  if (modes.length === 0) throw new Error('jpegRecipe: no mode allowed');
  const restart =
    constraints.restart === false
      ? fc.constant(0)
      : fc.oneof({ withCrossShrink: true }, { weight: 2, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 16 }) });
  const exif = constraints.exif === false ? fc.constant(false) : fc.boolean();
  const quality = fc.integer({ min: 50, max: 95 });
  const colours = (mode: JpegMode, withRestart: boolean) => {
    type C = Pick<JpegOptions, 'colour' | 'subsampling' | 'restartInterval'>;
    const list: fc.Arbitrary<C>[] = [
      fc.record({ colour: fc.constant('ycc' as const), subsampling: fc.constant('4:4:4' as const), restartInterval: withRestart ? restart : fc.constant(0) }),
      fc.record({ colour: fc.constant('ycc' as const), subsampling: fc.constant('4:2:0' as const), restartInterval: fc.constant(0) }),
    ];
    if (constraints.grey !== false) list.push(fc.record({ colour: fc.constant('grey' as const), subsampling: fc.constant('4:4:4' as const), restartInterval: fc.constant(0) }));
    return fc.oneof({ withCrossShrink: true }, ...list).map((c) => ({ mode, ...c }));
  };
  const perMode = modes.map((m) => colours(m, m === 'baseline'));
  const colourMode = perMode.length === 1 ? perMode[0]! : fc.oneof({ withCrossShrink: true }, ...perMode);
  return fc
    .record({ size: dimensions(constraints), cm: colourMode, exif, quality, pixelSeed: fc.nat() })
    .map(({ size, cm, exif, quality, pixelSeed }): ImageRecipe => {
      const options: JpegOptions = { ...cm, exif, quality };
      return { format: 'jpeg', variant: jpegVariant(options), width: size.width, height: size.height, pixelSeed, options: { ...options } };
    });
}

export function jpegOptionsOf(recipe: ImageRecipe): JpegOptions {
  const o = recipe.options;
  return {
    mode: o.mode === 'progressive' ? 'progressive' : 'baseline',
    colour: o.colour === 'grey' ? 'grey' : 'ycc',
    subsampling: o.subsampling === '4:2:0' ? '4:2:0' : '4:4:4',
    restartInterval: Number(o.restartInterval ?? 0),
    exif: o.exif === true,
    quality: Number(o.quality ?? 85),
  };
}

export async function renderJpeg(recipe: ImageRecipe): Promise<Uint8Array> {
  const o = jpegOptionsOf(recipe);
  const { width, height, pixelSeed } = recipe;
  const exif = o.exif ? exifPayload(width, height, pixelSeed) : undefined;
  if (o.mode === 'baseline' && o.colour === 'ycc' && o.subsampling === '4:4:4') {
    const data = synthPixels8(width, height, pixelSeed, { channels: 4 });
    return encodeJpegJs({ data, width, height, exifBuffer: exif, restartInterval: o.restartInterval }, o.quality);
  }
  if (o.restartInterval > 0) throw new Error(`JPEG: restart markers are only generated for baseline YCbCr 4:4:4 (${jpegVariant(o)})`);
  const channels = o.colour === 'grey' ? 1 : 3;
  const px = synthPixels8(width, height, pixelSeed, { channels });
  const out = await sharp(px, { raw: { width, height, channels } })
    .toColourspace(channels === 1 ? 'b-w' : 'srgb')
    .jpeg({ quality: o.quality, progressive: o.mode === 'progressive', chromaSubsampling: o.subsampling, mozjpeg: false })
    .toBuffer();
  const bytes = new Uint8Array(out.buffer, out.byteOffset, out.length);
  return exif ? insertExifSegment(bytes, exif) : bytes;
}
