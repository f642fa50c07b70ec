/**
 * PNG recipes and their rendering.
 *
 * | variant                                  | encoder                         |
 * |------------------------------------------|---------------------------------|
 * | grey/rgb/grey-alpha/rgba 8|16-bit plain  | pngjs (fast path)               |
 * | same, interlaced (Adam7)                 | sharp (libspng/libpng)          |
 * | palette 1/2/4/8-bit, +/- tRNS, +/- Adam7 | sharp (libimagequant, no dither)|
 * | grey 1/2/4-bit, +/- Adam7                | png-writer.ts (no library does) |
 * | any of the above + ancillary chunks      | png-chunks.ts (opt-in: `ancillary`) |
 */
import fc from 'fast-check';
import { PNG } from 'pngjs';
import sharp from 'sharp';
import { dimensions, type DimensionConstraints } from './dimensions.js';
import { addAncillaryChunks, allowedAncillary, ancillaryList, PNG_ANCILLARY, type PngAncillary } from './png-chunks.js';
import { encodeGreyLowBitPng } from './png-writer.js';
import { synthPixels16, synthPixels8 } from './pixels.js';
import type { ImageRecipe } from './types.js';

export type PngColour = 'rgb' | 'rgba' | 'grey' | 'palette' | 'grey-alpha';
export const PNG_COLOURS: readonly PngColour[] = ['rgb', 'rgba', 'grey', 'palette', 'grey-alpha'];

/** Valid bit depths per colour type (PNG spec table 11.1), the default first. */
export const PNG_BIT_DEPTHS: Record<PngColour, readonly number[]> = {
  rgb: [8, 16],
  rgba: [8, 16],
  grey: [8, 1, 2, 4, 16],
  palette: [8, 1, 2, 4],
  'grey-alpha': [8, 16],
};

export interface PngRecipeConstraints extends DimensionConstraints {
  /** Colour types to draw from; default all five. */
  colours?: readonly PngColour[];
  /** Allow Adam7-interlaced images (one in four); default true. */
  interlaced?: boolean;
  /** Add ancillary chunks (tEXt, zTXt, iTXt, iCCP, gAMA, cHRM, sRGB, pHYs, tIME, bKGD) to two images in three; default false. */
  ancillary?: boolean;
}

export interface PngOptions {
  colour: PngColour;
  bitDepth: number;
  interlaced: boolean;
  /** Palette images: a tRNS chunk (the palette carries alpha). */
  paletteAlpha: boolean;
  /** Ancillary chunks added to the file (see png-chunks.ts), comma-separated; absent or '' for none. */
  ancillary?: string;
}

const ancillaryOf = (o: PngOptions): PngAncillary[] => ancillaryList(o.ancillary);

export function pngVariant(o: PngOptions): string {
  const extra = ancillaryOf(o).map((c) => `+${c}`).join('');
  return `${o.colour}-${o.bitDepth}bit${o.colour === 'palette' && o.paletteAlpha ? '-trns' : ''}${o.interlaced ? '-interlaced' : ''}${extra}`;
}

export function describePngVariant(o: PngOptions): string {
  const colour = o.colour === 'grey-alpha' ? 'grey+alpha' : o.colour === 'rgb' ? 'RGB' : o.colour === 'rgba' ? 'RGBA' : o.colour;
  const extra = ancillaryOf(o);
  return `${colour} ${o.bitDepth}-bit${o.colour === 'palette' && o.paletteAlpha ? ' with tRNS' : ''}${o.interlaced ? ' interlaced' : ''}${extra.length > 0 ? ` with ${extra.join(', ')}` : ''}`;
}

/** fast-check arbitrary of PNG recipes; shrinks to a 1x1 8-bit RGB non-interlaced image. */
export function pngRecipe(constraints: PngRecipeConstraints = {}): fc.Arbitrary<ImageRecipe> {
  const colours = (constraints.colours ?? PNG_COLOURS).filter((c) => PNG_COLOURS.includes(c));
  if (colours.length === 0) throw new Error('pngRecipe: no colour type allowed');
  const interlace = constraints.interlaced === false ? fc.constant(false) : fc.integer({ min: 0, max: 3 }).map((n) => n === 3);
  const perColour = colours.map((colour) =>
    fc.record({
      colour: fc.constant(colour),
      bitDepth: fc.constantFrom(...PNG_BIT_DEPTHS[colour]),
      interlaced: interlace,
      paletteAlpha: colour === 'palette' ? fc.boolean() : fc.constant(false),
    }),
  );
  const perRecipe = perColour.length === 1 ? perColour[0]! : fc.oneof({ withCrossShrink: true }, ...perColour);
  const chunks =
    constraints.ancillary === true
      ? fc.oneof({ withCrossShrink: true }, { weight: 1, arbitrary: fc.constant<PngAncillary[]>([]) }, { weight: 2, arbitrary: fc.subarray([...PNG_ANCILLARY], { minLength: 1 }) })
      : fc.constant<PngAncillary[]>([]);
  return fc
    .record({ size: dimensions(constraints), options: perRecipe, pixelSeed: fc.nat(), chunks })
    .map(({ size, options, pixelSeed, chunks }): ImageRecipe => {
      const ancillary = allowedAncillary(chunks, options.colour).join(',');
      const o: PngOptions = ancillary ? { ...options, ancillary } : options;
      return { format: 'png', variant: pngVariant(o), width: size.width, height: size.height, pixelSeed, options: { ...o } };
    });
}

export function pngOptionsOf(recipe: ImageRecipe): PngOptions {
  const o = recipe.options;
  return {
    colour: String(o.colour ?? 'rgb') as PngColour,
    bitDepth: Number(o.bitDepth ?? 8),
    interlaced: o.interlaced === true,
    paletteAlpha: o.paletteAlpha === true,
    ...(o.ancillary ? { ancillary: String(o.ancillary) } : {}),
  };
}

const CHANNELS: Record<PngColour, 1 | 2 | 3 | 4> = { grey: 1, 'grey-alpha': 2, rgb: 3, rgba: 4, palette: 3 };
const PNGJS_COLOUR_TYPE: Record<Exclude<PngColour, 'palette'>, 0 | 2 | 4 | 6> = { grey: 0, rgb: 2, 'grey-alpha': 4, rgba: 6 };

export async function renderPng(recipe: ImageRecipe): Promise<Uint8Array> {
  const o = pngOptionsOf(recipe);
  const png = await renderPngImage(recipe, o);
  const extra = ancillaryOf(o);
  return extra.length > 0 ? addAncillaryChunks(png, extra, recipe.pixelSeed) : png;
}

async function renderPngImage(recipe: ImageRecipe, o: PngOptions): Promise<Uint8Array> {
  const { width, height, pixelSeed } = recipe;
  if (!PNG_BIT_DEPTHS[o.colour]?.includes(o.bitDepth)) throw new Error(`PNG: bit depth ${o.bitDepth} is not valid for ${o.colour}`);

  if (o.colour === 'grey' && o.bitDepth < 8) {
    const grey = synthPixels8(width, height, pixelSeed, { channels: 1 });
    const shift = 8 - o.bitDepth;
    for (let i = 0; i < grey.length; i++) grey[i] = grey[i]! >> shift;
    return encodeGreyLowBitPng(grey, width, height, o.bitDepth as 1 | 2 | 4, o.interlaced);
  }

  if (o.colour === 'palette') {
    const channels = o.paletteAlpha ? 4 : 3;
    const px = synthPixels8(width, height, pixelSeed, { channels });
    // With tRNS wanted, one pixel is fully transparent so the quantiser must keep an alpha entry.
    if (o.paletteAlpha) px[3] = 0;
    return await sharp(px, { raw: { width, height, channels } })
      .png({ palette: true, colours: 1 << o.bitDepth, dither: 0, effort: 1, progressive: o.interlaced })
      .toBuffer();
  }

  const channels = CHANNELS[o.colour];
  if (!o.interlaced) {
    const colorType = PNGJS_COLOUR_TYPE[o.colour as Exclude<PngColour, 'palette'>];
    const data =
      o.bitDepth === 16
        ? Buffer.from(synthPixels16(width, height, pixelSeed, { channels }).buffer)
        : Buffer.from(synthPixels8(width, height, pixelSeed, { channels }).buffer);
    const png = new PNG({ width, height, colorType, inputColorType: colorType, bitDepth: o.bitDepth as 8 | 16, inputHasAlpha: channels === 2 || channels === 4 });
    png.data = data;
    // zlib's default level (pngjs defaults to 9) and, above 64K pixels, one filter (Paeth) instead
    // of trying all five per row: 3-5x faster on big noisy images, a few percent larger.
    const big = width * height > 65536;
    return PNG.sync.write(png, {
      colorType, inputColorType: colorType, bitDepth: o.bitDepth as 8 | 16, inputHasAlpha: channels === 2 || channels === 4,
      deflateLevel: 6, filterType: big ? 4 : -1,
    });
  }

  const grey = channels <= 2;
  if (o.bitDepth === 16) {
    const px = synthPixels16(width, height, pixelSeed, { channels });
    return await sharp(px, { raw: { width, height, channels } })
      .toColourspace(grey ? 'grey16' : 'rgb16')
      .png({ progressive: true })
      .toBuffer();
  }
  const px = synthPixels8(width, height, pixelSeed, { channels });
  return await sharp(px, { raw: { width, height, channels } })
    .toColourspace(grey ? 'b-w' : 'srgb')
    .png({ progressive: true })
    .toBuffer();
}
