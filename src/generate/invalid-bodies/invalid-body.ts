/**
 * Invalid request bodies: `invalidBodyRecipe` (fast-check arbitrary) and `renderInvalidBody`.
 * Classes and kinds (recipe.kind):
 *  - empty:             `empty`
 *  - no-signature:      `text`, `json`, `html`, `svg`, `random`, `pdf`, `zip`, `bmp`, `webp`
 *  - incomplete-header: `png-incomplete-header`, `jpeg-...`, `gif-...`, `tiff-...`; JPEG also
 *                       `jpeg-cut-in-segment-header|cut-in-sof|short-sof` (see JPEG_HEADER_CUTS)
 *  - zero-dimension:    `<format>-zero-width`, `<format>-zero-height`, `<format>-zero-both`;
 *                       `tiff-no-width`, `tiff-no-length` (no ImageWidth / ImageLength entry: tiffWithoutSize)
 *  - damaged:           `png-truncated|bad-crc|no-iend|corrupt-data|cut-in-chunk-header|bad-crc-other-chunk`,
 *                       `jpeg-truncated|no-eoi|corrupt-data`,
 *                       `gif-truncated|no-trailer|corrupt-data|descriptor-cut|corrupt-later-frame`,
 *                       `tiff-truncated|offset-past-end|bytecount-past-end|next-ifd-past-end|ifd-loop|corrupt-data|`
 *                       `value-past-end|corrupt-later-page`
 * Bodies built on an image start from a valid image (`recipe.base`, rendered by renderImage): a
 * small one for header surgery, one of every size for damage; a cut falls where `recipe.at` says.
 *
 * Mismatched bodies (image bytes under another declared image type) need nothing here: the
 * engine pairs `renderImage(recipe).bytes` with a media type from the spec whose
 * `formatOfMediaType` differs from `recipe.format` (see `mediaTypesByFormat`).
 */
import fc from 'fast-check';
import { describeImage, renderImage, validImageRecipe, type ValidImageConstraints } from '../images/valid-image.js';
import { formatByteSize, IMAGE_FORMATS } from '../images/media-types.js';
import { mulberry32 } from '../images/prng.js';
import type { GeneratedInvalidBody, ImageFormat, InvalidBodyClass, InvalidBodyRecipe } from '../images/types.js';
import { DAMAGE_KINDS, damage, POSITIONAL_DAMAGE } from './damage.js';
import { cutHeader, JPEG_HEADER_CUTS, tiffWithoutSize, zeroDimension, type Dimension, type JpegHeaderCut } from './header-surgery.js';
import { FOREIGN_KINDS, renderForeign, type ForeignKind } from './foreign.js';

const INVALID_BODY_CLASSES: readonly InvalidBodyClass[] = ['empty', 'no-signature', 'incomplete-header', 'zero-dimension', 'damaged'];

interface KindSpec {
  class: InvalidBodyClass;
  kind: string;
  format?: ImageFormat;
  /** Constraints of the base image, when the body is built on one. */
  base?: ValidImageConstraints;
  what: string;
}

const SMALL: ValidImageConstraints = { maxDimension: 32, largeWeight: 0, mediumWeight: 0 };
/**
 * Damage is drawn on images of every size: small ones mostly, medium (sides up to 512) and large
 * ones (up to 1024) too, so a server that checks only small bodies, or only the first part of a
 * large one, meets damage where it does not look.
 */
const EVERY_SIZE: ValidImageConstraints = { maxDimension: 1024, mediumWeight: 4, largeWeight: 2 };
const only = (format: ImageFormat, extra: Partial<ValidImageConstraints> = {}, size: ValidImageConstraints = SMALL): ValidImageConstraints => ({ ...size, formats: [format], ...extra });

const FOREIGN_WHAT: Record<ForeignKind, string> = {
  text: 'plain text', json: 'JSON', html: 'an HTML page', svg: 'an SVG image', random: 'random bytes with no image signature',
  pdf: 'a PDF document', zip: 'a ZIP archive', bmp: 'a BMP image', webp: 'a WebP image',
};

/** The zero-dimension kinds of a TIFF without a size entry: kind, dimension, tag name. */
const TIFF_WITHOUT_SIZE = [
  ['tiff-no-width', 'width', 'ImageWidth'],
  ['tiff-no-length', 'height', 'ImageLength'],
] as const;

const JPEG_CUT_WHAT: Record<JpegHeaderCut, string> = {
  'cut-in-segment-header': 'a JPEG cut 1-3 bytes into the marker and length of a segment up to SOF',
  'cut-in-sof': 'a JPEG cut 4-8 bytes into SOF (its length whole, its sizes not)',
  'short-sof': 'a JPEG ending with an SOF whose length (2-6) leaves out its sizes',
};

const DAMAGE_WHAT: Record<string, string> = {
  'png-truncated': 'cut inside IDAT', 'png-bad-crc': 'a wrong IDAT CRC', 'png-no-iend': 'no IEND chunk', 'png-corrupt-data': 'scrambled zlib data, first block of the reserved type (CRC fixed)',
  'png-cut-in-chunk-header': 'a cut 1-3 bytes into the length field of a chunk after IHDR',
  'png-bad-crc-other-chunk': 'a wrong CRC on a critical chunk other than IHDR and IDAT (IEND or PLTE)',
  'jpeg-truncated': 'cut inside the scan', 'jpeg-no-eoi': 'no EOI marker', 'jpeg-corrupt-data': 'scrambled entropy-coded data that starts with no Huffman code',
  'gif-truncated': 'cut inside the LZW data', 'gif-no-trailer': 'no trailer', 'gif-corrupt-data': 'LZW code size > 11 and scrambled data',
  'gif-descriptor-cut': 'a cut 1-8 bytes into the first image descriptor',
  'gif-corrupt-later-frame': 'an LZW code beyond the table at the start of the last frame (animated)',
  'tiff-truncated': 'cut inside the strip data', 'tiff-offset-past-end': 'a strip/tile offset past the end', 'tiff-bytecount-past-end': 'a strip/tile byte count past the end',
  'tiff-next-ifd-past-end': 'a next-IFD offset past the end', 'tiff-ifd-loop': 'an IFD chain that loops', 'tiff-corrupt-data': 'scrambled compressed data (an LZW code beyond the table, or a reserved deflate block)',
  'tiff-value-past-end': 'an XResolution, YResolution or Software value running past the end',
  'tiff-corrupt-later-page': 'scrambled compressed data in the last page (an LZW code beyond the table, or a reserved deflate block)',
};

/**
 * The base images a damage kind is built on: only those on which the damage is undecodable by
 * construction and shown so by two decoders (libvips and the format's Debian tool; measured by
 * tests/generate/damage-undecodable.test.ts and bench/damage-sample.ts).
 */
function damageBase(format: ImageFormat, kind: string): ValidImageConstraints {
  if (format === 'tiff' && kind === 'truncated') return only('tiff', { tiff: { compressions: ['none'], layouts: ['strips'] } }, EVERY_SIZE);
  // Only LZW and Deflate have a code no decoder can read (PackBits and raw data decode whatever the bytes).
  if (format === 'tiff' && kind === 'corrupt-data') return only('tiff', { tiff: { compressions: ['lzw', 'deflate'] } }, EVERY_SIZE);
  // The first page decodes whatever follows it; libvips walks the IFD chain (and fails) for
  // striped files, but decodes tiled ones without a word (measured: 194 of 400 passed).
  if (format === 'tiff' && (kind === 'ifd-loop' || kind === 'next-ifd-past-end')) return only('tiff', { tiff: { layouts: ['strips'] } }, EVERY_SIZE);
  // Baseline decoding in libjpeg-turbo (libvips) turns a bit string that is no Huffman code into
  // a zero without a warning (its fast path on larger scans; libvips also passed 1x1 and 8x8
  // images); the progressive decoder always warns.
  if (format === 'jpeg' && kind === 'corrupt-data') return only('jpeg', { jpeg: { modes: ['progressive'] } }, EVERY_SIZE);
  // A byte count past the end of one tile among many is read no further than the tile needs by
  // libtiff (3 of 52 medium and large tiled images decoded by libvips, tiffinfo and the target):
  // small images only, where the damaged tile is the image.
  if (format === 'tiff' && kind === 'bytecount-past-end') return only('tiff');
  // Damage in the last page, undecodable: LZW or Deflate on a base of two pages or more.
  if (format === 'tiff' && kind === 'corrupt-later-page') return only('tiff', { tiff: { compressions: ['lzw', 'deflate'], minPages: 2 } }, EVERY_SIZE);
  // Damage in the last frame: animated GIFs (2 frames or more).
  if (format === 'gif' && kind === 'corrupt-later-frame') return only('gif', { gif: { families: ['animated'] } }, EVERY_SIZE);
  return only(format, {}, EVERY_SIZE);
}

function damageKind(format: ImageFormat, kind: string): KindSpec {
  return { class: 'damaged', kind: `${format}-${kind}`, format, base: damageBase(format, kind), what: `a ${format.toUpperCase()} with ${DAMAGE_WHAT[`${format}-${kind}`] ?? kind}` };
}

/**
 * Where a cut falls in the image data: its first byte, its last, or anywhere between (the ends
 * drawn as often as the middle: a server that reads only the first part, or forgives a missing
 * last byte, is caught there).
 */
const cutPosition = fc.oneof(fc.constant(0), fc.constant(1), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }));

function headerBase(format: ImageFormat): ValidImageConstraints {
  // For TIFF an IFD right after the header (the utif2 layout) makes "header cut short" precise.
  return format === 'tiff' ? only('tiff', { tiff: { compressions: ['none'], layouts: ['strips'] } }) : only(format);
}

export const INVALID_BODY_KINDS: readonly KindSpec[] = [
  { class: 'empty', kind: 'empty', what: 'an empty body' },
  ...FOREIGN_KINDS.map((k): KindSpec => ({ class: 'no-signature', kind: k, what: FOREIGN_WHAT[k] })),
  ...IMAGE_FORMATS.map((f): KindSpec => ({ class: 'incomplete-header', kind: `${f}-incomplete-header`, format: f, base: headerBase(f), what: `a ${f.toUpperCase()} signature with less than a whole header` })),
  ...JPEG_HEADER_CUTS.map((w): KindSpec => ({ class: 'incomplete-header', kind: `jpeg-${w}`, format: 'jpeg', base: headerBase('jpeg'), what: JPEG_CUT_WHAT[w] })),
  ...IMAGE_FORMATS.flatMap((f) => (['width', 'height', 'both'] as const).map((d): KindSpec => ({
    class: 'zero-dimension', kind: `${f}-zero-${d}`, format: f, base: only(f), what: `a ${f.toUpperCase()} whose header says ${d === 'both' ? 'width and height' : d} 0`,
  }))),
  ...TIFF_WITHOUT_SIZE.map(([kind, , tag]): KindSpec => ({ class: 'zero-dimension', kind, format: 'tiff', base: only('tiff'), what: `a TIFF whose pages have no ${tag} entry` })),
  ...IMAGE_FORMATS.flatMap((f) => DAMAGE_KINDS[f].map((k) => damageKind(f, k))),
];

export interface InvalidBodyConstraints {
  /** Classes to draw from; default all (shrinking goes towards the first: empty). */
  classes?: readonly InvalidBodyClass[];
  /** Formats whose signature bodies may carry (incomplete-header, zero-dimension, damaged); default all four. */
  formats?: readonly ImageFormat[];
  /** Only these kinds (e.g. `['pdf', 'png-bad-crc']`); default all. */
  kinds?: readonly string[];
}

/** fast-check arbitrary of invalid-body recipes, uniform over classes, then over kinds. */
export function invalidBodyRecipe(constraints: InvalidBodyConstraints = {}): fc.Arbitrary<InvalidBodyRecipe> {
  const classes = constraints.classes ?? INVALID_BODY_CLASSES;
  const formats = constraints.formats ?? IMAGE_FORMATS;
  const specs = INVALID_BODY_KINDS.filter(
    (s) => classes.includes(s.class) && (!s.format || formats.includes(s.format)) && (!constraints.kinds || constraints.kinds.includes(s.kind)),
  );
  if (specs.length === 0) throw new Error('invalidBodyRecipe: no kind allowed');
  const perSpec = (s: KindSpec): fc.Arbitrary<InvalidBodyRecipe> => {
    if (!s.base) return fc.nat().map((seed) => (s.format ? { class: s.class, kind: s.kind, format: s.format, seed } : { class: s.class, kind: s.kind, seed }));
    const onBase = fc.record({ seed: fc.nat(), base: validImageRecipe(s.base) });
    if (!isPositional(s)) return onBase.map(({ seed, base }) => ({ class: s.class, kind: s.kind, format: s.format, seed, base }));
    return fc.record({ seed: fc.nat(), base: validImageRecipe(s.base), at: cutPosition }).map(({ seed, base, at }) => ({ class: s.class, kind: s.kind, format: s.format, seed, base, at }));
  };
  const perClass = INVALID_BODY_CLASSES.filter((c) => classes.includes(c))
    .map((c) => specs.filter((s) => s.class === c).map(perSpec))
    .filter((arbs) => arbs.length > 0)
    .map((arbs) => (arbs.length === 1 ? arbs[0]! : fc.oneof({ withCrossShrink: true }, ...arbs)));
  return perClass.length === 1 ? perClass[0]! : fc.oneof({ withCrossShrink: true }, ...perClass);
}

/** A damage kind whose position in the data the recipe chooses (`at`). */
function isPositional(s: KindSpec): boolean {
  return s.class === 'damaged' && s.format !== undefined && s.kind === `${s.format}-${POSITIONAL_DAMAGE}`;
}

export function invalidBodyKind(kind: string): KindSpec | undefined {
  return INVALID_BODY_KINDS.find((s) => s.kind === kind);
}

function describeInvalidBody(recipe: InvalidBodyRecipe, byteLength: number): string {
  const spec = invalidBodyKind(recipe.kind);
  const what = spec?.what ?? recipe.kind;
  const from = recipe.base ? ` (from ${describeImage(recipe.base)})` : '';
  const where = recipe.at === undefined ? '' : ` at ${(recipe.at * 100).toFixed(0)}% of the data`;
  return `${recipe.class}: ${what}${where}${from}, ${formatByteSize(byteLength)}`;
}

/** Renders an invalid body. Deterministic: the same recipe gives the same bytes. */
export async function renderInvalidBody(recipe: InvalidBodyRecipe): Promise<GeneratedInvalidBody> {
  const spec = invalidBodyKind(recipe.kind);
  if (!spec || spec.class !== recipe.class) throw new Error(`renderInvalidBody: unknown kind ${recipe.class}/${recipe.kind}`);
  const rand = mulberry32(recipe.seed ^ 0x3c6ef372);
  let bytes: Uint8Array;
  if (spec.class === 'empty') bytes = new Uint8Array(0);
  else if (spec.class === 'no-signature') bytes = await renderForeign(spec.kind as ForeignKind, recipe.seed);
  else {
    if (!recipe.base || !spec.format) throw new Error(`renderInvalidBody: ${recipe.kind} needs a base image`);
    const base = (await renderImage(recipe.base)).bytes;
    const f = spec.format;
    if (spec.class === 'incomplete-header') bytes = cutHeader(f, base, rand, JPEG_HEADER_CUTS.find((w) => spec.kind === `jpeg-${w}`));
    else if (spec.class === 'zero-dimension') {
      const noSize = TIFF_WITHOUT_SIZE.find(([kind]) => kind === spec.kind);
      bytes = noSize ? tiffWithoutSize(base, noSize[1]) : zeroDimension(f, base, spec.kind.slice(f.length + 6) as Dimension);
    }
    else bytes = damage(f, spec.kind.slice(f.length + 1), base, rand, recipe.seed, recipe.at);
  }
  return { recipe, bytes, description: describeInvalidBody(recipe, bytes.length) };
}
