/**
 * JPEG recipes and their rendering.
 *
 * | variant                                    | encoder                                  |
 * |--------------------------------------------|------------------------------------------|
 * | baseline YCbCr 4:4:4, +/- restart markers  | jpeg-js, one reused instance (patched for DRI/RSTn, see jpeg-js-encoder.ts) |
 * | baseline YCbCr 4:2:0, baseline grey        | sharp (libjpeg-turbo)                    |
 * | progressive YCbCr 4:4:4/4:2:0, grey        | sharp (libjpeg-turbo, SOF2)              |
 * | any of the above + EXIF                    | APP1 from exif.ts (jpeg-js `exifBuffer`, or inserted after APP0 for sharp) |
 * | CMYK, baseline or progressive (opt-in)     | sharp (libjpeg-turbo; Adobe APP14, transform 0, inverted CMYK as Photoshop writes) |
 * | YCCK, baseline or progressive (opt-in)     | the CMYK file with APP14's transform flag set to 2 (libjpeg-turbo writes no YCCK; the four components then read as Y, Cb, Cr, K: other colours, as valid) |
 * | YCbCr + ICC profile (opt-in)               | APP2 ICC_PROFILE marker(s) from icc.ts (sRGB or Display P3, in one or two markers) |
 * | any of the above + fill bytes (opt-in)     | jpeg-fill.ts `insertFillBytes`: 1..3 extra 0xFF before every marker from the second segment to SOS (ITU T.81 B.1.1.2) |
 *
 * CMYK and YCCK come from print and scanner workflows, embedded profiles from cameras and
 * Photoshop; they are off unless `colourModels` / `icc` ask for them (the valid-upload family does),
 * so the other families' bodies and the invalid bodies built on valid images stay as they were.
 * Fill bytes likewise (`fillBytes`): "any marker may optionally be preceded by any number of fill
 * bytes" (T.81 B.1.1.2); libjpeg's next_marker swallows them without a warning.
 */
import fc from 'fast-check';
import sharp from 'sharp';
import { dimensions, type DimensionConstraints } from './dimensions.js';
import { exifPayload, insertExifSegment } from './exif.js';
import { ICC_PROFILES, iccProfile, insertIccSegments, type IccProfileName } from './icc.js';
import { insertFillBytes } from './jpeg-fill.js';
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
  /** Allow CMYK and YCCK (Adobe APP14); default false. */
  colourModels?: boolean;
  /** Allow an embedded ICC profile on YCbCr images; default false. */
  icc?: boolean;
  /** Allow fill bytes (extra 0xFF) before the markers of the header segments; default false. */
  fillBytes?: boolean;
}

type JpegColour = 'ycc' | 'grey' | 'cmyk' | 'ycck';

export interface JpegOptions {
  mode: JpegMode;
  colour: JpegColour;
  subsampling: '4:4:4' | '4:2:0';
  /** Restart interval in MCUs, 0 for none. Only baseline YCbCr 4:4:4. */
  restartInterval: number;
  exif: boolean;
  quality: number;
  /** An embedded ICC profile (YCbCr only), 'none' without. */
  icc?: 'none' | IccProfileName;
  /** How many APP2 markers carry the profile (1 or 2). */
  iccSegments?: number;
  /** How many fill bytes (0xFF) precede each marker from the second segment to SOS; 0 or absent for none. */
  fillBytes?: number;
}

const COLOUR_LABEL: Record<JpegColour, string> = { ycc: 'YCbCr', grey: 'grey', cmyk: 'CMYK (Adobe)', ycck: 'YCCK (Adobe)' };

export function jpegVariant(o: JpegOptions): string {
  const parts: string[] = [o.mode, o.colour === 'ycc' ? `ycc${o.subsampling.replace(/:/g, '')}` : o.colour];
  if (o.restartInterval > 0) parts.push(`restart${o.restartInterval}`);
  if (o.exif) parts.push('exif');
  if (o.icc && o.icc !== 'none') parts.push(`icc-${o.icc}${(o.iccSegments ?? 1) > 1 ? `x${o.iccSegments}` : ''}`);
  if ((o.fillBytes ?? 0) > 0) parts.push(`fill-bytes${o.fillBytes! > 1 ? o.fillBytes : ''}`);
  return parts.join('-');
}

export function describeJpegVariant(o: JpegOptions): string {
  const parts: string[] = [o.mode, o.colour === 'ycc' ? `YCbCr ${o.subsampling}` : COLOUR_LABEL[o.colour]];
  if (o.restartInterval > 0) parts.push(`restart every ${o.restartInterval} MCU`);
  if (o.exif) parts.push('with EXIF');
  if (o.icc && o.icc !== 'none') parts.push(`with ${o.icc === 'p3' ? 'Display P3' : 'sRGB'} ICC profile${(o.iccSegments ?? 1) > 1 ? ` in ${o.iccSegments} APP2 markers` : ''}`);
  if ((o.fillBytes ?? 0) > 0) parts.push(`with ${o.fillBytes === 1 ? 'a fill byte' : `${o.fillBytes} fill bytes`} before each marker after the first`);
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
    if (constraints.colourModels === true) {
      for (const colour of ['cmyk', 'ycck'] as const) list.push(fc.record({ colour: fc.constant(colour), subsampling: fc.constant('4:4:4' as const), restartInterval: fc.constant(0) }));
    }
    return fc.oneof({ withCrossShrink: true }, ...list).map((c) => ({ mode, ...c }));
  };
  const perMode = modes.map((m) => colours(m, m === 'baseline'));
  const colourMode = perMode.length === 1 ? perMode[0]! : fc.oneof({ withCrossShrink: true }, ...perMode);
  // An ICC profile on one YCbCr image in three (dropped on other colour models).
  const icc =
    constraints.icc === true
      ? fc.oneof({ withCrossShrink: true }, { weight: 2, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.record({ name: fc.constantFrom(...ICC_PROFILES), segments: fc.constantFrom(1, 2) }) })
      : fc.constant(undefined);
  // Fill bytes in one image in six, 1..3 before each marker (drawn only when asked for: fc.constant draws nothing, so the other families' draws stay as they were).
  const fill =
    constraints.fillBytes === true
      ? fc.oneof({ withCrossShrink: true }, { weight: 5, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 3 }) })
      : fc.constant(0);
  return fc
    .record({ size: dimensions(constraints), cm: colourMode, exif, quality, pixelSeed: fc.nat(), icc, fill })
    .map(({ size, cm, exif, quality, pixelSeed, icc, fill }): ImageRecipe => {
      const options: JpegOptions = { ...cm, exif, quality };
      if (icc && cm.colour === 'ycc') Object.assign(options, { icc: icc.name, iccSegments: icc.segments });
      if (fill > 0) options.fillBytes = fill;
      return { format: 'jpeg', variant: jpegVariant(options), width: size.width, height: size.height, pixelSeed, options: { ...options } };
    });
}

const JPEG_COLOURS: readonly JpegColour[] = ['ycc', 'grey', 'cmyk', 'ycck'];

export function jpegOptionsOf(recipe: ImageRecipe): JpegOptions {
  const o = recipe.options;
  return {
    mode: o.mode === 'progressive' ? 'progressive' : 'baseline',
    colour: JPEG_COLOURS.find((c) => c === o.colour) ?? 'ycc',
    subsampling: o.subsampling === '4:2:0' ? '4:2:0' : '4:4:4',
    restartInterval: Number(o.restartInterval ?? 0),
    exif: o.exif === true,
    quality: Number(o.quality ?? 85),
    ...(o.icc === 'srgb' || o.icc === 'p3' ? { icc: o.icc, iccSegments: Number(o.iccSegments ?? 1) } : {}),
    ...(Number(o.fillBytes ?? 0) > 0 ? { fillBytes: Number(o.fillBytes) } : {}),
  };
}

/**
 * Sets the transform flag of the Adobe APP14 marker (ITU T.872 6.5.3: 0 none (CMYK), 1 YCbCr,
 * 2 YCCK). The marker carries no checksum; decoders take the colour model from it.
 */
function setAdobeTransform(jpeg: Uint8Array, transform: 0 | 1 | 2): Uint8Array {
  for (let p = 2; p + 16 <= jpeg.length && jpeg[p] === 0xff; p += 2 + ((jpeg[p + 2]! << 8) | jpeg[p + 3]!)) {
    const marker = jpeg[p + 1]!;
    if (marker === 0xda) break;
    if (marker === 0xee && jpeg[p + 2] === 0 && jpeg[p + 3] === 14 && String.fromCharCode(...jpeg.subarray(p + 4, p + 9)) === 'Adobe') {
      const out = jpeg.slice();
      out[p + 15] = transform;
      return out;
    }
  }
  throw new Error('JPEG: no Adobe APP14 marker before the scan');
}

/** Four-component JPEG by libjpeg-turbo: CMYK as written; YCCK by the Adobe transform flag. */
async function renderFourComponents(recipe: ImageRecipe, o: JpegOptions): Promise<Uint8Array> {
  const { width, height, pixelSeed } = recipe;
  const px = synthPixels8(width, height, pixelSeed, { channels: 3 });
  const out = await sharp(px, { raw: { width, height, channels: 3 } })
    .toColourspace('cmyk')
    .jpeg({ quality: o.quality, progressive: o.mode === 'progressive', mozjpeg: false })
    .toBuffer();
  const cmyk = new Uint8Array(out.buffer, out.byteOffset, out.length);
  return o.colour === 'ycck' ? setAdobeTransform(cmyk, 2) : cmyk;
}

/** The EXIF and ICC markers the options ask for, added to an encoded JPEG. */
async function withMarkers(bytes: Uint8Array, o: JpegOptions, exif: Uint8Array | undefined): Promise<Uint8Array> {
  let out = exif ? insertExifSegment(bytes, exif) : bytes;
  if (o.icc && o.icc !== 'none') out = insertIccSegments(out, await iccProfile(o.icc), o.iccSegments ?? 1);
  return out;
}

export async function renderJpeg(recipe: ImageRecipe): Promise<Uint8Array> {
  const o = jpegOptionsOf(recipe);
  const bytes = await renderJpegMarkers(recipe, o);
  return (o.fillBytes ?? 0) > 0 ? insertFillBytes(bytes, o.fillBytes!) : bytes;
}

/** The JPEG with every segment the options ask for, before any fill bytes. */
async function renderJpegMarkers(recipe: ImageRecipe, o: JpegOptions): Promise<Uint8Array> {
  const { width, height, pixelSeed } = recipe;
  const exif = o.exif ? exifPayload(width, height, pixelSeed) : undefined;
  if (o.mode === 'baseline' && o.colour === 'ycc' && o.subsampling === '4:4:4') {
    const data = synthPixels8(width, height, pixelSeed, { channels: 4 });
    return withMarkers(encodeJpegJs({ data, width, height, exifBuffer: exif, restartInterval: o.restartInterval }, o.quality), o, undefined);
  }
  if (o.restartInterval > 0) throw new Error(`JPEG: restart markers are only generated for baseline YCbCr 4:4:4 (${jpegVariant(o)})`);
  if (o.icc && o.icc !== 'none' && o.colour !== 'ycc') throw new Error(`JPEG: an RGB ICC profile only goes with YCbCr (${jpegVariant(o)})`);
  if (o.colour === 'cmyk' || o.colour === 'ycck') return withMarkers(await renderFourComponents(recipe, o), o, exif);
  const channels = o.colour === 'grey' ? 1 : 3;
  const px = synthPixels8(width, height, pixelSeed, { channels });
  const out = await sharp(px, { raw: { width, height, channels } })
    .toColourspace(channels === 1 ? 'b-w' : 'srgb')
    .jpeg({ quality: o.quality, progressive: o.mode === 'progressive', chromaSubsampling: o.subsampling, mozjpeg: false })
    .toBuffer();
  return withMarkers(new Uint8Array(out.buffer, out.byteOffset, out.length), o, exif);
}
