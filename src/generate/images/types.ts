/**
 * What the image generators produce. An arbitrary yields an `ImageRecipe` (plain data that
 * fast-check shrinks: smaller sizes, simpler variants); `renderImage` turns a recipe into
 * bytes with real encoders. Every image carries its description so a failure says what it sent.
 */
export type ImageFormat = 'png' | 'jpeg' | 'gif' | 'tiff';

export interface ImageRecipe {
  format: ImageFormat;
  /** The variant family and its options, e.g. `palette-4bit-interlaced`, `progressive-grey-exif`. */
  variant: string;
  width: number;
  height: number;
  /** Seed of the pixel content (photo-like noise that does not compress away). */
  pixelSeed: number;
  /** Format-specific options (colour type, bit depth, compression, byte order, pages, ...). */
  options: Record<string, string | number | boolean>;
}

export interface GeneratedImage {
  recipe: ImageRecipe;
  format: ImageFormat;
  bytes: Uint8Array;
  /** "PNG palette 4-bit interlaced 17x13 (1.2 KiB)". */
  description: string;
}

/** The classes of invalid body, each tied to the rule that judges it. */
export type InvalidBodyClass = 'empty' | 'no-signature' | 'incomplete-header' | 'zero-dimension' | 'damaged';

export interface InvalidBodyRecipe {
  class: InvalidBodyClass;
  /** What kind, e.g. `text`, `pdf`, `webp`, `png-truncated`, `png-bad-crc`, `gif-no-trailer`, `tiff-offset-past-end`. */
  kind: string;
  /** The format whose signature the body carries, when it carries one. */
  format?: ImageFormat;
  seed: number;
  /** The image the damage starts from, for damaged and zero-dimension bodies. */
  base?: ImageRecipe;
  /**
   * Where in the image data a positional damage (a cut: the `truncated` kinds) falls, 0 (the
   * first byte of the data) to 1 (its last byte).
   */
  at?: number;
}

export interface GeneratedInvalidBody {
  recipe: InvalidBodyRecipe;
  bytes: Uint8Array;
  description: string;
}
