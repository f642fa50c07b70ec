/**
 * The public entry for valid images: `validImageRecipe` (a fast-check arbitrary over all four
 * formats) and `renderImage` (recipe -> bytes, deterministic), plus `describeImage`. Extreme
 * images (extreme.ts: valid by their format, with the largest dimensions it allows) render and
 * describe through the same entry.
 */
import fc from 'fast-check';
import type { DimensionConstraints } from './dimensions.js';
import { describeExtremeVariant, isExtremeRecipe, renderExtremeImage } from './extreme.js';
import { describeGifVariant, gifOptionsOf, gifRecipe, renderGif, type GifRecipeConstraints } from './gif.js';
import { describeJpegVariant, jpegOptionsOf, jpegRecipe, renderJpeg, type JpegRecipeConstraints } from './jpeg.js';
import { formatByteSize, IMAGE_FORMATS } from './media-types.js';
import { describePngVariant, pngOptionsOf, pngRecipe, renderPng, type PngRecipeConstraints } from './png.js';
import { describeTiffVariant, renderTiff, tiffOptionsOf, tiffRecipe, type TiffRecipeConstraints } from './tiff.js';
import type { GeneratedImage, ImageFormat, ImageRecipe } from './types.js';

export interface ValidImageConstraints extends DimensionConstraints {
  /** Formats to draw from; default all four (in this order of shrinking: png, jpeg, gif, tiff). */
  formats?: readonly ImageFormat[];
  /** Relative weight of each format; default 1 each. */
  formatWeights?: Partial<Record<ImageFormat, number>>;
  /** Variants allowed per format (and format-specific limits); sizes come from the top level unless set here. */
  png?: PngRecipeConstraints;
  jpeg?: JpegRecipeConstraints;
  gif?: GifRecipeConstraints;
  tiff?: TiffRecipeConstraints;
}

/**
 * fast-check arbitrary of valid image recipes. Sizes 1x1..maxDimension (default 2048), large ones
 * rare (`largeWeight`, default 1 against 16 small and 4 medium). Shrinks towards 1x1 and the
 * simplest variant of the first allowed format.
 */
export function validImageRecipe(constraints: ValidImageConstraints = {}): fc.Arbitrary<ImageRecipe> {
  const size: DimensionConstraints = {
    ...(constraints.maxDimension !== undefined ? { maxDimension: constraints.maxDimension } : {}),
    ...(constraints.largeWeight !== undefined ? { largeWeight: constraints.largeWeight } : {}),
    ...(constraints.mediumWeight !== undefined ? { mediumWeight: constraints.mediumWeight } : {}),
  };
  const formats = (constraints.formats ?? IMAGE_FORMATS).filter((f) => IMAGE_FORMATS.includes(f));
  if (formats.length === 0) throw new Error('validImageRecipe: no format allowed');
  const byFormat: Record<ImageFormat, () => fc.Arbitrary<ImageRecipe>> = {
    png: () => pngRecipe({ ...size, ...constraints.png }),
    jpeg: () => jpegRecipe({ ...size, ...constraints.jpeg }),
    gif: () => gifRecipe({ ...size, ...constraints.gif }),
    tiff: () => tiffRecipe({ ...size, ...constraints.tiff }),
  };
  const arbs = formats
    .map((f) => ({ weight: constraints.formatWeights?.[f] ?? 1, arbitrary: byFormat[f]() }))
    .filter((w) => w.weight > 0);
  if (arbs.length === 0) throw new Error('validImageRecipe: every format has weight 0');
  return arbs.length === 1 ? arbs[0]!.arbitrary : fc.oneof({ withCrossShrink: true }, ...arbs);
}

const RENDERERS: Record<ImageFormat, (r: ImageRecipe) => Promise<Uint8Array>> = {
  png: renderPng,
  jpeg: renderJpeg,
  gif: renderGif,
  tiff: renderTiff,
};

/** The words between the format and the size, e.g. "palette 4-bit interlaced". */
function describeVariant(recipe: ImageRecipe): string {
  if (isExtremeRecipe(recipe)) return describeExtremeVariant(recipe);
  switch (recipe.format) {
    case 'png': return describePngVariant(pngOptionsOf(recipe));
    case 'jpeg': return describeJpegVariant(jpegOptionsOf(recipe));
    case 'gif': return describeGifVariant(gifOptionsOf(recipe));
    case 'tiff': return describeTiffVariant(tiffOptionsOf(recipe));
  }
}

/** "PNG palette 4-bit interlaced 17x13 (1.2 KiB)"; without a byte length the size part is left out. */
export function describeImage(recipe: ImageRecipe, byteLength?: number): string {
  const head = `${recipe.format.toUpperCase()} ${describeVariant(recipe)} ${recipe.width}x${recipe.height}`;
  return byteLength === undefined ? head : `${head} (${formatByteSize(byteLength)})`;
}

/** Renders a recipe with real encoders. Deterministic: the same recipe gives the same bytes. */
export async function renderImage(recipe: ImageRecipe): Promise<GeneratedImage> {
  if (isExtremeRecipe(recipe)) {
    const bytes = renderExtremeImage(recipe);
    return { recipe, format: recipe.format, bytes, description: describeImage(recipe, bytes.length) };
  }
  if (!Number.isInteger(recipe.width) || !Number.isInteger(recipe.height) || recipe.width < 1 || recipe.height < 1 || recipe.width > 65535 || recipe.height > 65535) {
    throw new Error(`renderImage: bad size ${recipe.width}x${recipe.height}`);
  }
  const render = RENDERERS[recipe.format];
  if (!render) throw new Error(`renderImage: unknown format ${String(recipe.format)}`);
  const bytes = await render(recipe);
  return { recipe, format: recipe.format, bytes, description: describeImage(recipe, bytes.length) };
}
