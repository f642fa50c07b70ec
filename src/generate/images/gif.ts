/**
 * GIF recipes and their rendering, all with omggif's GifWriter (LZW, palettes, GCE, NETSCAPE loop)
 * plus two byte-level steps omggif has no option for:
 *  - GIF87a: omggif always writes "GIF89a"; a single frame without transparency or delay has no
 *    extension block at all, so the version bytes are rewritten to "87a" (a valid 87a file).
 *  - interlace: rows are handed to omggif in interlaced order (pass 1..4) and the interlace flag
 *    (0x40) is then set in each image descriptor.
 * Palettes are fixed colour cubes / grey ramps sized 2^bitDepth; pixels are quantised to them.
 *
 * No global colour table (opt-in, `noGlobalTable`): GifWriter without a global palette, and every
 * frame with a local one (the first frame's the palette the global table would have held). GIF89a
 * (and 87a) make the global table optional; some encoders write each frame's palette locally.
 * Off unless asked for (the valid-upload family does), so the other families' bodies stay as they were.
 */
import fc from 'fast-check';
import { GifWriter } from 'omggif';
import { dimensions, type DimensionConstraints } from './dimensions.js';
import { gifInterlacedRowOrder, walkGif } from './gif-blocks.js';
import { synthPixels8 } from './pixels.js';
import type { ImageRecipe } from './types.js';

export type GifFamily = 'gif89a' | 'gif87a' | 'animated';
export const GIF_FAMILIES: readonly GifFamily[] = ['gif89a', 'gif87a', 'animated'];

export interface GifRecipeConstraints extends DimensionConstraints {
  families?: readonly GifFamily[];
  /** Most frames of an animated GIF; default 4 (at least 2). */
  maxFrames?: number;
  /** Allow interlaced images; default true. */
  interlaced?: boolean;
  /** Allow files without a global colour table (every frame with a local one); default false. */
  noGlobalTable?: boolean;
}

export interface GifOptions {
  version: '87a' | '89a';
  /** log2 of the palette size, 1..8. */
  bitDepth: number;
  transparent: boolean;
  interlaced: boolean;
  frames: number;
  /** Frame delay in 1/100 s (animated only). */
  delay: number;
  /** Frames after the first have their own local colour table. */
  localPalettes: boolean;
  /** No global colour table: every frame carries a local one. */
  noGlobalTable?: boolean;
}

export function gifVariant(o: GifOptions): string {
  const parts = [`gif${o.version}`, `${1 << o.bitDepth}colours`];
  if (o.transparent) parts.push('transparent');
  if (o.interlaced) parts.push('interlaced');
  if (o.frames > 1) parts.push(`animated${o.frames}${o.localPalettes ? '-local' : ''}`);
  if (o.noGlobalTable) parts.push('no-global-table');
  return parts.join('-');
}

export function describeGifVariant(o: GifOptions): string {
  const parts = [`${o.version}`, `${1 << o.bitDepth} colours`];
  if (o.transparent) parts.push('transparent');
  if (o.interlaced) parts.push('interlaced');
  if (o.frames > 1) parts.push(`animated ${o.frames} frames${o.localPalettes ? ' with local palettes' : ''}`);
  if (o.noGlobalTable) parts.push(o.frames > 1 ? 'without global colour table (a local one in every frame)' : 'without global colour table (a local one in the frame)');
  return parts.join(' ');
}

/** fast-check arbitrary of GIF recipes; shrinks to a 1x1 GIF89a with 256 colours, one frame. */
export function gifRecipe(constraints: GifRecipeConstraints = {}): fc.Arbitrary<ImageRecipe> {
  const families = (constraints.families ?? GIF_FAMILIES).filter((f) => GIF_FAMILIES.includes(f));
  if (families.length === 0) throw new Error('gifRecipe: no family allowed');
  const maxFrames = Math.max(2, constraints.maxFrames ?? 4);
  const bitDepth = fc.integer({ min: 1, max: 8 }).map((n) => 9 - n); // shrinks towards 8 (256 colours)
  const interlaced = constraints.interlaced === false ? fc.constant(false) : fc.integer({ min: 0, max: 3 }).map((n) => n === 3);
  const byFamily: Record<GifFamily, fc.Arbitrary<GifOptions>> = {
    gif89a: fc.record({
      version: fc.constant('89a' as const), bitDepth, transparent: fc.boolean(), interlaced,
      frames: fc.constant(1), delay: fc.constant(0), localPalettes: fc.constant(false),
    }),
    gif87a: fc.record({
      version: fc.constant('87a' as const), bitDepth, transparent: fc.constant(false), interlaced,
      frames: fc.constant(1), delay: fc.constant(0), localPalettes: fc.constant(false),
    }),
    animated: fc.record({
      version: fc.constant('89a' as const), bitDepth, transparent: fc.boolean(), interlaced,
      frames: fc.integer({ min: 2, max: maxFrames }), delay: fc.integer({ min: 2, max: 50 }), localPalettes: fc.boolean(),
    }),
  };
  const arbs = families.map((f) => byFamily[f]);
  const options = arbs.length === 1 ? arbs[0]! : fc.oneof({ withCrossShrink: true }, ...arbs);
  // No global colour table in one file in five (drawn only when asked for, so the other families' draws stay as they were).
  const noGlobal = constraints.noGlobalTable === true ? fc.integer({ min: 0, max: 4 }).map((n) => n === 4) : undefined;
  const record = noGlobal
    ? fc.record({ size: dimensions(constraints), options, pixelSeed: fc.nat(), noGlobal })
    : fc.record({ size: dimensions(constraints), options, pixelSeed: fc.nat() });
  return record.map((drawn): ImageRecipe => {
    const { size, options, pixelSeed } = drawn;
    // Keep animated bodies within a few MiB: fewer frames for big images (at least 2).
    const frames = options.frames > 1 ? Math.max(2, Math.min(options.frames, Math.floor(6_000_000 / (size.width * size.height)))) : 1;
    const o: GifOptions = { ...options, frames, ...('noGlobal' in drawn && drawn.noGlobal ? { noGlobalTable: true } : {}) };
    return { format: 'gif', variant: gifVariant(o), width: size.width, height: size.height, pixelSeed, options: { ...o } };
  });
}

export function gifOptionsOf(recipe: ImageRecipe): GifOptions {
  const o = recipe.options;
  return {
    version: o.version === '87a' ? '87a' : '89a',
    bitDepth: Number(o.bitDepth ?? 8),
    transparent: o.transparent === true,
    interlaced: o.interlaced === true,
    frames: Number(o.frames ?? 1),
    delay: Number(o.delay ?? 0),
    localPalettes: o.localPalettes === true,
    ...(o.noGlobalTable === true ? { noGlobalTable: true } : {}),
  };
}

/** Levels per channel (r, g, b) for a palette of 2^bitDepth entries; bitDepth 1-2 are grey ramps. */
const CUBES: Record<number, [number, number, number]> = { 3: [2, 2, 2], 4: [2, 4, 2], 5: [4, 4, 2], 6: [4, 4, 4], 7: [4, 8, 4], 8: [6, 7, 6] };

interface Palette {
  colours: number[];
  /**
   * An RGB pixel's index (never the transparent one) is `r[red] + g[green] + b[blue]`; for a grey
   * ramp the three tables hold the luma weights and `grey` maps the luma to the index.
   */
  r: Uint16Array;
  g: Uint16Array;
  b: Uint16Array;
  grey?: Uint8Array;
}

/** A table of 256 entries: f(0..255). */
function table(f: (v: number) => number): Uint16Array {
  const t = new Uint16Array(256);
  for (let v = 0; v < 256; v++) t[v] = f(v);
  return t;
}

function makePalette(bitDepth: number, variant: number): Palette {
  const size = 1 << bitDepth;
  const colours: number[] = new Array<number>(size).fill(0);
  const cube = CUBES[bitDepth];
  // `variant` shifts the levels a little so local palettes really differ from the global one.
  const lift = (v: number) => Math.min(255, v + ((variant * 37) % 24));
  if (!cube) {
    const levels = size;
    for (let i = 0; i < levels; i++) colours[i] = lift(Math.round((i * 255) / (levels - 1))) * 0x010101;
    const grey = new Uint8Array(256);
    for (let l = 0; l < 256; l++) grey[l] = Math.round((l * (levels - 1)) / 255);
    return { colours, r: table((v) => v * 77), g: table((v) => v * 150), b: table((v) => v * 29), grey };
  }
  const [lr, lg, lb] = cube;
  let i = 0;
  for (let r = 0; r < lr; r++) for (let g = 0; g < lg; g++) for (let b = 0; b < lb; b++) {
    colours[i++] = (lift(Math.round((r * 255) / (lr - 1))) << 16) | (lift(Math.round((g * 255) / (lg - 1))) << 8) | lift(Math.round((b * 255) / (lb - 1)));
  }
  for (; i < size; i++) colours[i] = lift(Math.round(((i - lr * lg * lb + 1) * 255) / (size - lr * lg * lb + 1))) * 0x010101;
  return {
    colours,
    r: table((v) => Math.round((v * (lr - 1)) / 255) * lg * lb),
    g: table((v) => Math.round((v * (lg - 1)) / 255) * lb),
    b: table((v) => Math.round((v * (lb - 1)) / 255)),
  };
}

function indexFrame(width: number, height: number, seed: number, pal: Palette, transparentIndex: number | undefined, rows: number[] | undefined): Uint8Array {
  const channels = transparentIndex === undefined ? 3 : 4;
  const px = synthPixels8(width, height, seed, { channels });
  const out = new Uint8Array(width * height);
  const { r, g, b, grey } = pal;
  for (let y = 0; y < height; y++) {
    let p = (rows ? rows[y]! : y) * width * channels;
    let o = y * width;
    for (let x = 0; x < width; x++, p += channels) {
      if (channels === 4 && px[p + 3]! < 176) {
        out[o++] = transparentIndex!;
        continue;
      }
      const sum = r[px[p]!]! + g[px[p + 1]!]! + b[px[p + 2]!]!;
      out[o++] = grey ? grey[sum >> 8]! : sum;
    }
  }
  return out;
}

export async function renderGif(recipe: ImageRecipe): Promise<Uint8Array> {
  const o = gifOptionsOf(recipe);
  const { width, height, pixelSeed } = recipe;
  if (o.version === '87a' && (o.transparent || o.frames > 1)) throw new Error('GIF87a has no extensions: no transparency, no animation');
  const global = makePalette(o.bitDepth, 0);
  const size = 1 << o.bitDepth;
  // With a 2-colour palette, transparency leaves one visible colour: index 0; otherwise the last entry.
  const transparentIndex = o.transparent ? size - 1 : undefined;
  const rows = o.interlaced ? gifInterlacedRowOrder(height) : undefined;
  const buf = new Uint8Array(2048 + o.frames * (Math.ceil(width * height * 1.6) + 800 + (o.noGlobalTable ? 3 * size : 0)));
  const writer = new GifWriter(buf, width, height, { ...(o.noGlobalTable ? {} : { palette: global.colours }), ...(o.frames > 1 ? { loop: 0 } : {}) });
  for (let f = 0; f < o.frames; f++) {
    const local = o.localPalettes && f > 0 ? makePalette(o.bitDepth, f) : o.noGlobalTable ? global : undefined;
    const pixels = indexFrame(width, height, (pixelSeed + f * 7919) >>> 0, local ?? global, transparentIndex, rows);
    writer.addFrame(0, 0, width, height, pixels as unknown as number[], {
      ...(local ? { palette: local.colours } : {}),
      ...(o.frames > 1 ? { delay: o.delay, disposal: f % 3 === 2 ? 2 : 1 } : {}),
      ...(transparentIndex !== undefined ? { transparent: transparentIndex } : {}),
    });
  }
  const out = buf.slice(0, writer.end());
  if (o.interlaced) for (const b of walkGif(out).blocks) if (b.kind === 'image') out[b.packedOffset]! |= 0x40;
  if (o.version === '87a') out[4] = 0x37;
  return out;
}
