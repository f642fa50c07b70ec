/**
 * Walk sweep: decides, mutant by mutant, whether a surviving (or uncovered) mutant of
 * src/target/image-validation.ts can change the HTTP answer for SOME body ("killable by body X")
 * or whether no body of the corpus changed it ("no body of N changed the answer").
 *
 *   nice -n 10 npx tsx mutation/target/walk-sweep.ts [mutation/mutation.json]
 *
 * 1. Corpus. Valid images from the suite's own generators (src/generate/images: every PNG colour
 *    type and bit depth, interlaced, ancillary chunks, the bombs of extreme.ts; baseline,
 *    restart-marker, 4:2:0, grey, progressive, EXIF, CMYK, YCCK and ICC JPEG; GIF87a/89a,
 *    transparent, interlaced, animated with and without local palettes; TIFF uncompressed /
 *    LZW / Deflate / PackBits, strips and tiles, both byte orders, 1 to 3 pages), and for each
 *    base: a cut at every byte offset after the signature, one byte XOR 0xff at every structure
 *    byte and every DATA_STRIDE-th payload byte (pixel data, colour tables, JPEG tables: bytes no
 *    walk check reads; a further stride above FLIP_MAX positions), every kind of the suite's damage()
 *    (src/generate/invalid-bodies/damage.ts, three seeds), and targeted structural surgery
 *    aimed at each walk check (see the `targeted*` functions: what each body is for is in its
 *    description). A few hand-built TIFFs (BigTIFF, odd tag types, 1001 pages, a million strips,
 *    pages x pixels at MAX_PIXELS, pages of different sizes) come from a small TIFF writer below,
 *    and GIFs of 1000 and 1001 frames from a generator frame repeated.
 * 2. Verdicts. The answer of the server is 200 (validateImage ok), 400 (refused) or 500
 *    (validateImage threw). Each mutant is applied to the CURRENT source text (the mutant's range
 *    from the report, checked to hold the same text), written to a temporary sibling file
 *    src/target/.walk-sweep-mutant-<id>.ts (with one export line added so the walk and the
 *    decoder can be called alone), imported, and deleted at once (and at exit, also on error).
 *    The replacement goes in parenthesised (but a BlockStatement's): Stryker replaces an AST node,
 *    so `a && b` -> `a || b` inside `a && b && c` means `(a || b) && c`, not `a || b && c`.
 *    - Mutants inside a walk function (checkPng, checkPngData, checkGif, checkJpeg, dataWithin,
 *      checkTiff, TIFF_TYPE_SIZE) only change the walk of their format, so for bodies of that
 *      format: verdict = mutated walk throws ? 500 : refuses ? 400 : (libvips ok ? 200 : 400),
 *      with "libvips ok" computed once per body by the ORIGINAL decodeAllNow (exact: same
 *      options, same page loop). checkPngData's inflate runs inside the mutated walk: real path.
 *    - Mutants in decodeAllNow run the mutated module's real validateImage, on the bodies whose
 *      original walk passes (for the others both answer 400 by the unchanged walk); the sweep
 *      bodies among those are sampled (DECODE_SWEEP_SAMPLE per format), and the search stops at
 *      the first killing body (bodies are tried simplest first).
 *    - Any other mutant runs the mutated validateImage on every (sampled) body.
 *    Mutants under a `// Stryker disable` comment of the current source are left out, as Stryker
 *    would ignore them.
 * 3. Report (markdown, stdout and /tmp/walk-sweep-report.md):
 *    - per mutant: KILLED with the simplest killing body (category rank: valid < suite damage <
 *      targeted < cut < flip, then size): base image, damage, position, original -> mutant
 *      answer, and whether libvips alone accepts that body ("libvips alone" = the original
 *      decodeAllNow, its page and pixel limits included; "accepts" means the walk check is what
 *      refuses it; for decodeAllNow mutants it reads "decode-path mutant"); kills are counted per
 *      category; or "no body of N changed the answer" (N = bodies of its format that were tried);
 *    - a summary by check (source line);
 *    - every crash found (a mutant answering 500).
 * About 80 s on two idle cores (libvips decodes ~11k bodies once; ~108 mutants).
 * WALK_SWEEP_SHOW=<regex> prints, instead, the original's walk and decodeAllNow verdicts on the
 * corpus bodies whose description matches (to look at one body kind). WALK_SWEEP_ONLY=<regex>
 * sweeps only the matching bodies (which mutants does this kind kill?); WALK_SWEEP_EXTRA=<file.ts>
 * adds the bodies its default export returns ({format, bytes, base, what}[]), e.g. to try a new
 * damage kind before it goes into damage.ts.
 * Type check: mutation/ is not in tsconfig.json's include; check with a config that extends it,
 * e.g. {"extends": "<repo>/tsconfig.json", "include": ["<repo>/mutation/target/walk-sweep.ts"]}.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { deflateSync, inflateSync } from 'node:zlib';
import sharp from 'sharp';
import { walkGif } from '../../src/generate/images/gif-blocks.js';
import { concatBytes, pngChunk } from '../../src/generate/images/png-writer.js';
import { readTiffStructure, tiffEntryValues } from '../../src/generate/images/tiff-structure.js';
import type { ImageRecipe } from '../../src/generate/images/types.js';
import { describeImage, renderImage } from '../../src/generate/images/valid-image.js';
import { damage, DAMAGE_KINDS } from '../../src/generate/invalid-bodies/damage.js';
import { mulberry32 } from '../../src/generate/images/prng.js';
import { jpegStructure, pngChunks } from '../../src/generate/invalid-bodies/structure.js';
import type { ImageFormat, ImageValidation, TargetContext } from '../../src/target/types.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SOURCE = path.join(ROOT, 'src/target/image-validation.ts');
const SOURCE_KEY = 'src/target/image-validation.ts';
const REPORT_OUT = '/tmp/walk-sweep-report.md';
/** Flip every byte of a base up to this many positions; above, a stride. */
const FLIP_MAX = 1200;
/** Sweep (cut/flip) bodies per format tried against each decodeAllNow mutant. */
const DECODE_SWEEP_SAMPLE = 150;

type Status = 200 | 400 | 500;
type Category = 'valid' | 'suite' | 'targeted' | 'cut' | 'flip';
const CATEGORY_RANK: Record<Category, number> = { valid: 0, suite: 1, targeted: 2, cut: 3, flip: 4 };

interface Body {
  format: ImageFormat;
  bytes: Buffer;
  category: Category;
  /** The generator image it starts from. */
  base: string;
  /** What was done to it (and where). */
  what: string;
  /** Costly to decode (hundreds of ms): tried against the decodeAllNow mutants after the others, in this order. */
  heavy?: number;
  /** Only for walk mutants (costly, and built for a walk check). */
  walkOnly?: boolean;
}

type Check = { ok?: unknown; width?: number; height?: number; reason?: string };
interface SweepModule {
  validateImage: (bytes: Buffer, declared: string | undefined, ctx: TargetContext) => Promise<ImageValidation>;
  __sweep: { CHECKS: Record<ImageFormat, (b: Buffer) => Check>; decodeAllNow: (b: Buffer, f: ImageFormat) => Promise<number> };
}

// ---- small byte helpers ---------------------------------------------------------------------

const buf = (u: Uint8Array): Buffer => Buffer.from(u.buffer.slice(u.byteOffset, u.byteOffset + u.byteLength));
const cat = (...parts: (Uint8Array | number[])[]): Buffer => Buffer.concat(parts.map((p) => (Array.isArray(p) ? Buffer.from(p) : Buffer.from(p))));
const insertAt = (b: Buffer, at: number, ins: number[] | Uint8Array): Buffer => cat(b.subarray(0, at), ins, b.subarray(at));
const hex = (n: number): string => `0x${n.toString(16)}`;

// ---- a minimal TIFF writer (classic or BigTIFF, either byte order) ----------------------------

const TYPE_SIZE: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 7: 1, 16: 8 };
interface TEntry {
  tag: number;
  type: number;
  values: number[];
  /** Write this value offset instead of where the value really is (out-of-line values only). */
  forceOffset?: number;
  /** Write this count instead of values.length (divided by 2 for RATIONAL). */
  forceCount?: number;
}

/**
 * Header, then `data` (at offset 8 or 16: `pages(dataStart)` knows where), then per page its IFD
 * followed by its out-of-line values. `pages` returns the entries of every page, sorted here.
 */
function writeTiff(o: { le: boolean; big?: boolean; data: Uint8Array; pages: (dataStart: number) => TEntry[][]; sharedIfd?: boolean }): Buffer {
  const big = o.big === true;
  const head = big ? 16 : 8;
  const pages = o.pages(head).map((p) => [...p].sort((a, b) => a.tag - b.tag));
  const entrySize = big ? 20 : 12;
  const inline = big ? 8 : 4;
  const countSize = big ? 8 : 2;
  const align = (n: number) => (n + 1) & ~1;
  let size = align(head + o.data.length);
  const layout = pages.map((entries) => {
    const at = size;
    size += countSize + entries.length * entrySize + inline;
    const valueAt = entries.map((e) => {
      const bytes = (TYPE_SIZE[e.type] ?? 1) * (e.type === 5 ? e.values.length / 2 : e.values.length);
      if (bytes <= inline) return -1;
      const v = size;
      size = align(size + bytes);
      return v;
    });
    return { at, valueAt };
  });
  const b = Buffer.alloc(size);
  const u16 = (v: number, at: number) => (o.le ? b.writeUInt16LE(v, at) : b.writeUInt16BE(v, at));
  const u32 = (v: number, at: number) => (o.le ? b.writeUInt32LE(v >>> 0, at) : b.writeUInt32BE(v >>> 0, at));
  const u64 = (v: number, at: number) => (o.le ? b.writeBigUInt64LE(BigInt(v), at) : b.writeBigUInt64BE(BigInt(v), at));
  const off = (v: number, at: number) => (big ? u64(v, at) : u32(v, at));
  b.write(o.le ? 'II' : 'MM', 0, 'latin1');
  u16(big ? 43 : 42, 2);
  if (big) {
    u16(8, 4);
    u16(0, 6);
  }
  off(layout[0]!.at, big ? 8 : 4);
  Buffer.from(o.data).copy(b, head);
  const writeValues = (e: TEntry, at: number) => {
    let p = at;
    for (const v of e.values) {
      if (e.type === 3) u16(v, p);
      else if (e.type === 4 || e.type === 5) u32(v, p);
      else if (e.type === 16) u64(v, p);
      else b[p] = v;
      p += e.type === 5 ? 4 : TYPE_SIZE[e.type] ?? 1;
    }
  };
  pages.forEach((entries, i) => {
    const { at, valueAt } = layout[i]!;
    if (big) u64(entries.length, at);
    else u16(entries.length, at);
    entries.forEach((e, k) => {
      const ea = at + countSize + k * entrySize;
      u16(e.tag, ea);
      u16(e.type, ea + 2);
      const count = e.forceCount ?? (e.type === 5 ? e.values.length / 2 : e.values.length);
      if (big) u64(count, ea + 4);
      else u32(count, ea + 4);
      const va = valueAt[k]!;
      if (va < 0) writeValues(e, ea + 4 + (big ? 8 : 4));
      else {
        writeValues(e, va);
        off(e.forceOffset ?? va, ea + 4 + (big ? 8 : 4));
      }
    });
    off(i + 1 < layout.length ? layout[i + 1]!.at : 0, at + countSize + entries.length * entrySize);
  });
  return b;
}

/** The entries of one uncompressed 8-bit grey page whose strips all lie in `data` at dataStart. */
function greyPage(w: number, h: number, dataStart: number, o: { rowsPerStrip?: number; offType?: number; cntType?: number; dimType?: number; extra?: TEntry[] } = {}): TEntry[] {
  const rps = Math.min(o.rowsPerStrip ?? h, h);
  const offsets: number[] = [];
  const counts: number[] = [];
  for (let y = 0; y < h; y += rps) {
    offsets.push(dataStart + y * w);
    counts.push(Math.min(rps, h - y) * w);
  }
  return [
    { tag: 256, type: o.dimType ?? 3, values: [w] },
    { tag: 257, type: o.dimType ?? 3, values: [h] },
    { tag: 258, type: 3, values: [8] },
    { tag: 259, type: 3, values: [1] },
    { tag: 262, type: 3, values: [1] },
    { tag: 273, type: o.offType ?? 4, values: offsets },
    { tag: 277, type: 3, values: [1] },
    { tag: 278, type: 3, values: [rps] },
    { tag: 279, type: o.cntType ?? 4, values: counts },
    ...(o.extra ?? []),
  ];
}

const greyData = (n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 37 + 11) & 0xff);

// ---- TIFF surgery on generator files (classic) ----------------------------------------------

function tiffRw(b: Buffer) {
  const le = b[0] === 0x49;
  return {
    le,
    u16: (o: number) => (le ? b.readUInt16LE(o) : b.readUInt16BE(o)),
    u32: (o: number) => (le ? b.readUInt32LE(o) : b.readUInt32BE(o)),
    w16: (v: number, o: number) => (le ? b.writeUInt16LE(v, o) : b.writeUInt16BE(v, o)),
    w32: (v: number, o: number) => (le ? b.writeUInt32LE(v >>> 0, o) : b.writeUInt32BE(v >>> 0, o)),
  };
}

/** Removes the entry `tag` from IFD number `page` (the IFD shrinks by 12 bytes in place). */
function tiffRemoveEntry(src: Buffer, tag: number, page = 0): Buffer {
  const b = Buffer.from(src);
  const s = readTiffStructure(b);
  const ifd = s.ifds[page]!;
  const i = ifd.entries.findIndex((e) => e.tag === tag);
  if (i < 0) throw new Error(`no tag ${tag}`);
  const rw = tiffRw(b);
  const n = ifd.entries.length;
  const from = ifd.offset + 2 + (i + 1) * 12;
  b.copy(b, from - 12, from, ifd.nextFieldAt + 4);
  b.fill(0, ifd.nextFieldAt - 8, ifd.nextFieldAt + 4);
  rw.w32(rw.u32(ifd.nextFieldAt), ifd.nextFieldAt - 12);
  rw.w16(n - 1, ifd.offset);
  return b;
}

/** Rewrites the type (and the inline value for a 1-value BYTE) of entry `tag`. */
function tiffRetype(src: Buffer, tag: number, type: number): Buffer {
  const b = Buffer.from(src);
  const s = readTiffStructure(b);
  const e = s.ifds[0]!.entries.find((x) => x.tag === tag);
  if (!e) throw new Error(`no tag ${tag}`);
  const rw = tiffRw(b);
  const values = tiffEntryValues(src, s.littleEndian, e);
  rw.w16(type, e.at + 2);
  if (type === 1 && e.count === 1) {
    b.fill(0, e.at + 8, e.at + 12);
    b[e.at + 8] = values[0]! & 0xff;
  }
  if (type === 3 && e.type === 4) {
    // A LONG array as SHORT: 2 bytes a value, inline when it now fits in 4 bytes.
    const at = e.count * 2 <= 4 ? e.at + 8 : e.valueAt;
    if (e.count * 2 <= 4) b.fill(0, e.at + 8, e.at + 12);
    values.forEach((v, k) => rw.w16(v, at + 2 * k));
  }
  return b;
}

/** Sets the value-offset field of (out-of-line) entry `tag` of IFD `page`. */
function tiffSetValueOffset(src: Buffer, tag: number, value: number, page = 0): Buffer {
  const b = Buffer.from(src);
  const e = readTiffStructure(b).ifds[page]!.entries.find((x) => x.tag === tag);
  if (!e) throw new Error(`no tag ${tag}`);
  tiffRw(b).w32(value, e.at + 8);
  return b;
}

// ---- corpus: the generator's bases ----------------------------------------------------------

function recipe(format: ImageFormat, width: number, height: number, options: ImageRecipe['options']): ImageRecipe {
  return { format, variant: 'sweep', width, height, pixelSeed: 12345, options };
}

const BASE_RECIPES: ImageRecipe[] = [
  // PNG: every colour type and bit depth, interlaced, ancillary chunks, a 16-bit RGBA tall enough
  // that its inflated size (w*h*8 + h) is above w*h*8 + h/7 + 64.
  recipe('png', 7, 5, { colour: 'rgb', bitDepth: 8 }),
  recipe('png', 7, 5, { colour: 'rgba', bitDepth: 8 }),
  recipe('png', 7, 5, { colour: 'grey', bitDepth: 8 }),
  recipe('png', 7, 5, { colour: 'grey-alpha', bitDepth: 8 }),
  recipe('png', 7, 5, { colour: 'rgb', bitDepth: 16 }),
  recipe('png', 3, 80, { colour: 'rgba', bitDepth: 16 }),
  recipe('png', 9, 40, { colour: 'rgba', bitDepth: 16, interlaced: true }),
  recipe('png', 7, 5, { colour: 'grey', bitDepth: 1 }),
  recipe('png', 7, 5, { colour: 'grey', bitDepth: 2, interlaced: true }),
  recipe('png', 7, 5, { colour: 'grey', bitDepth: 4 }),
  recipe('png', 7, 5, { colour: 'palette', bitDepth: 8 }),
  recipe('png', 7, 5, { colour: 'palette', bitDepth: 4, paletteAlpha: true }),
  recipe('png', 7, 5, { colour: 'palette', bitDepth: 1, interlaced: true }),
  recipe('png', 7, 5, { colour: 'rgb', bitDepth: 8, interlaced: true }),
  recipe('png', 7, 5, { colour: 'rgb', bitDepth: 8, ancillary: 'tEXt,zTXt,iTXt,iCCP,gAMA,cHRM,pHYs,tIME,bKGD' }),
  recipe('png', 7, 5, { colour: 'grey', bitDepth: 8, ancillary: 'tEXt,gAMA,sRGB,tIME' }),
  // JPEG: 16x16 so a restart interval of 1 MCU puts RST markers in the scan.
  recipe('jpeg', 16, 16, { mode: 'baseline', colour: 'ycc', subsampling: '4:4:4', quality: 80 }),
  recipe('jpeg', 16, 16, { mode: 'baseline', colour: 'ycc', subsampling: '4:4:4', restartInterval: 1, quality: 80 }),
  recipe('jpeg', 16, 16, { mode: 'baseline', colour: 'ycc', subsampling: '4:2:0', quality: 80 }),
  recipe('jpeg', 8, 8, { mode: 'baseline', colour: 'grey', quality: 80 }),
  recipe('jpeg', 16, 16, { mode: 'progressive', colour: 'ycc', subsampling: '4:4:4', quality: 80 }),
  recipe('jpeg', 16, 16, { mode: 'progressive', colour: 'ycc', subsampling: '4:2:0', quality: 80 }),
  recipe('jpeg', 8, 8, { mode: 'progressive', colour: 'grey', quality: 80 }),
  recipe('jpeg', 8, 8, { mode: 'baseline', colour: 'ycc', subsampling: '4:2:0', exif: true, quality: 80 }),
  recipe('jpeg', 8, 8, { mode: 'baseline', colour: 'cmyk', quality: 80 }),
  recipe('jpeg', 8, 8, { mode: 'progressive', colour: 'ycck', quality: 80 }),
  recipe('jpeg', 8, 8, { mode: 'baseline', colour: 'ycc', subsampling: '4:2:0', icc: 'srgb', iccSegments: 2, quality: 80 }),
  // GIF
  recipe('gif', 7, 5, { version: '89a', bitDepth: 2 }),
  recipe('gif', 7, 5, { version: '87a', bitDepth: 1 }),
  recipe('gif', 7, 5, { version: '89a', bitDepth: 4, transparent: true, interlaced: true }),
  recipe('gif', 7, 5, { version: '89a', bitDepth: 2, frames: 3, delay: 5, localPalettes: true }),
  recipe('gif', 7, 5, { version: '89a', bitDepth: 3, frames: 2, delay: 5, transparent: true }),
  recipe('gif', 7, 5, { version: '89a', bitDepth: 8 }),
  // TIFF
  recipe('tiff', 5, 4, { byteOrder: 'II', compression: 'none', layout: 'strips', channels: 'rgb', pages: 1 }),
  recipe('tiff', 5, 4, { byteOrder: 'MM', compression: 'none', layout: 'strips', channels: 'grey', rowsPerStrip: 1, pages: 2 }),
  recipe('tiff', 5, 4, { byteOrder: 'II', compression: 'lzw', layout: 'strips', channels: 'grey', pages: 1 }),
  recipe('tiff', 5, 4, { byteOrder: 'MM', compression: 'lzw', layout: 'strips', channels: 'rgb', pages: 2, predictor: true }),
  recipe('tiff', 5, 4, { byteOrder: 'II', compression: 'deflate', layout: 'strips', channels: 'rgb', pages: 1 }),
  recipe('tiff', 5, 4, { byteOrder: 'MM', compression: 'packbits', layout: 'strips', channels: 'rgba', pages: 1 }),
  recipe('tiff', 20, 18, { byteOrder: 'II', compression: 'lzw', layout: 'tiles', tileSize: 16, channels: 'grey', pages: 1 }),
  recipe('tiff', 5, 4, { byteOrder: 'II', compression: 'deflate', layout: 'strips', channels: 'grey', pages: 3 }),
];

const EXTREME_RECIPES: ImageRecipe[] = [
  { format: 'png', variant: 'bomb', width: 30000, height: 30000, pixelSeed: 0, options: { extreme: true, kind: 'png-zeros' } },
  { format: 'png', variant: 'bomb', width: 2 ** 31 - 1, height: 1, pixelSeed: 0, options: { extreme: true, kind: 'png-zeros' } },
  { format: 'png', variant: 'bomb', width: 65535, height: 65535, pixelSeed: 0, options: { extreme: true, kind: 'png-zeros' } },
  { format: 'gif', variant: 'screen-bomb', width: 65535, height: 65535, pixelSeed: 3, options: { extreme: true, kind: 'gif-screen', frame: 4, corner: true } },
];

const SIGNATURE_LENGTH: Record<ImageFormat, number> = { png: 8, jpeg: 3, gif: 6, tiff: 4 };

// ---- corpus: targeted surgery, per format ----------------------------------------------------

type Maker = [string, () => Buffer];

function targetedPng(base: Buffer): Maker[] {
  const chunks = pngChunks(base);
  const ihdr = chunks.find((c) => c.type === 'IHDR')!;
  const idat = chunks.filter((c) => c.type === 'IDAT');
  const iend = chunks.find((c) => c.type === 'IEND')!;
  const afterIhdr = ihdr.crcAt + 4;
  const h = base.readUInt32BE(ihdr.dataStart + 4);
  const w = base.readUInt32BE(ihdr.dataStart);
  const zlib = Buffer.concat(idat.map((c) => base.subarray(c.dataStart, c.crcAt)));
  const withIdat = (data: Uint8Array[]): Buffer => cat(base.subarray(0, idat[0]!.offset), ...data.map((d) => pngChunk('IDAT', d)), base.subarray(idat[idat.length - 1]!.crcAt + 4));
  const badCrc = (chunk: Uint8Array): Buffer => {
    const c = Buffer.from(chunk);
    c[c.length - 1]! ^= 0xff;
    return c;
  };
  return [
    ['tEXt with a bad CRC after IHDR', () => insertAt(base, afterIhdr, badCrc(pngChunk('tEXt', Buffer.from('Comment\0sweep', 'latin1'))))],
    ['tEXt with a bad CRC after IDAT', () => insertAt(base, iend.offset, badCrc(pngChunk('tEXt', Buffer.from('Comment\0sweep', 'latin1'))))],
    ['IEND with a bad CRC', () => { const b = Buffer.from(base); b[iend.crcAt]! ^= 0xff; return b; }],
    ['IDAT with a bad CRC', () => { const b = Buffer.from(base); b[idat[0]!.crcAt + 3]! ^= 0x01; return b; }],
    ['an ancillary chunk declaring length 0x80000000', () => insertAt(base, afterIhdr, [0x80, 0, 0, 0, ...Buffer.from('teXt', 'latin1')])],
    ['an ancillary chunk declaring length 0x7fffffff', () => insertAt(base, afterIhdr, [0x7f, 0xff, 0xff, 0xff, ...Buffer.from('teXt', 'latin1')])],
    ['the IDAT stream inflating to 600 bytes more than the image needs (valid zlib)', () => withIdat([deflateSync(Buffer.concat([inflateSync(zlib), Buffer.alloc(w * h * 8 + h * 7 + 600)]))])],
    ['the IDAT stream inflating to 1 byte more than the image needs', () => withIdat([deflateSync(Buffer.concat([inflateSync(zlib), Buffer.alloc(1)]))])],
    ['IDAT split in two chunks', () => withIdat([zlib.subarray(0, 3), zlib.subarray(3)])],
    ['an empty IDAT after the IDAT', () => withIdat([zlib, new Uint8Array(0)])],
    ['no IDAT at all', () => cat(base.subarray(0, idat[0]!.offset), base.subarray(idat[idat.length - 1]!.crcAt + 4))],
    ['bytes after IEND', () => cat(base, [1, 2, 3, 4, 5])],
    ['a chunk header cut after IEND (3 bytes of a next chunk)', () => cat(base, [0, 0, 0])],
    ['IEND cut to 11 bytes', () => base.subarray(0, base.length - 1)],
  ];
}

function targetedJpeg(base: Buffer): Maker[] {
  const s = jpegStructure(base);
  const second = s.segments[1]?.offset ?? 2;
  const sof = s.sof;
  const sofLen = base.readUInt16BE(sof.offset + 2);
  const out: Maker[] = [
    ['FF 01 (TEM) before the second segment', () => insertAt(base, second, [0xff, 0x01])],
    ['FF D0 (RST0) before the second segment', () => insertAt(base, second, [0xff, 0xd0])],
    ['FF D3 (RST3) before the second segment', () => insertAt(base, second, [0xff, 0xd3])],
    ['FF D7 (RST7) before the second segment', () => insertAt(base, second, [0xff, 0xd7])],
    ['FF D0 (RST0) right after SOI', () => insertAt(base, 2, [0xff, 0xd0])],
    ['one fill byte FF before the second segment', () => insertAt(base, second, [0xff])],
    ['three fill bytes FF before SOF', () => insertAt(base, sof.offset, [0xff, 0xff, 0xff])],
    ['a stray 00 byte before the second segment', () => insertAt(base, second, [0x00])],
    ['an empty APP15 (length 2) before the second segment', () => insertAt(base, second, [0xff, 0xef, 0x00, 0x02])],
    ['an empty COM (length 2) before SOF', () => insertAt(base, sof.offset, [0xff, 0xfe, 0x00, 0x02])],
    ['a COM of length 0 before SOF', () => insertAt(base, sof.offset, [0xff, 0xfe, 0x00, 0x00])],
    ['a COM of length 1 before SOF', () => insertAt(base, sof.offset, [0xff, 0xfe, 0x00, 0x01])],
    ['a DAC segment (FF CC, length 4) before SOF', () => insertAt(base, sof.offset, [0xff, 0xcc, 0x00, 0x04, 0x00, 0x10])],
    ['a DAC segment (FF CC, length 8) before SOF', () => insertAt(base, sof.offset, [0xff, 0xcc, 0x00, 0x08, 0x00, 0x10, 0x01, 0x10, 0x10, 0x05])],
    ['a JPG marker segment (FF C8, length 4) before SOF', () => insertAt(base, sof.offset, [0xff, 0xc8, 0x00, 0x04, 0x00, 0x00])],
    ['a reserved marker segment (FF 02, length 4) before SOF', () => insertAt(base, sof.offset, [0xff, 0x02, 0x00, 0x04, 0x00, 0x00])],
    ['a reserved marker segment (FF BF, length 4) before SOF', () => insertAt(base, sof.offset, [0xff, 0xbf, 0x00, 0x04, 0x00, 0x00])],
    ['SOF marker turned into SOF15 (FF CF)', () => { const b = Buffer.from(base); b[sof.offset + 1] = 0xcf; return b; }],
    ['EOI right after SOI, then the image', () => insertAt(base, 2, [0xff, 0xd9])],
    ['SOF removed (SOS before SOF)', () => cat(base.subarray(0, sof.offset), base.subarray(sof.end))],
    ['no EOI, but FF D9 inside a COM before SOF', () => insertAt(base.subarray(0, s.eoi), sof.offset, [0xff, 0xfe, 0x00, 0x04, 0xff, 0xd9])],
    ['the SOS segment length made huge (0xfff0)', () => { const b = Buffer.from(base); const sos = s.segments.find((x) => x.marker === 0xda)!; b.writeUInt16BE(0xfff0, sos.offset + 2); return b; }],
    ['a segment length running 1 byte past the next marker (second segment)', () => { const b = Buffer.from(base); const g = s.segments[1]!; b.writeUInt16BE(b.readUInt16BE(g.offset + 2) + 1, g.offset + 2); return b; }],
    ['a segment length 1 byte short (second segment)', () => { const b = Buffer.from(base); const g = s.segments[1]!; b.writeUInt16BE(b.readUInt16BE(g.offset + 2) - 1, g.offset + 2); return b; }],
  ];
  for (const len of [2, 4, 6, 7, 8]) {
    out.push([`SOF with length ${len} (file cut right after it)`, () => { const b = Buffer.from(base.subarray(0, sof.offset + 2 + len)); b.writeUInt16BE(len, sof.offset + 2); return b; }]);
    out.push([`SOF with length ${len}, the rest of the file kept`, () => { const b = Buffer.from(base); b.writeUInt16BE(len, sof.offset + 2); return b; }]);
  }
  out.push([`SOF length ${sofLen} + 3 (runs into the next segment)`, () => { const b = Buffer.from(base); b.writeUInt16BE(sofLen + 3, sof.offset + 2); return b; }]);
  for (const n of [1, 2, 3]) out.push([`file cut ${n} byte(s) after the second segment's marker`, () => base.subarray(0, second + n)]);
  return out;
}

/** A GIF with one more byte (`b`) inserted before the trailer or between frames. */
function targetedGif(base: Buffer): Maker[] {
  const g = walkGif(base);
  const images = g.blocks.filter((x) => x.kind === 'image');
  const trailer = g.blocks.find((x) => x.kind === 'trailer')!;
  const first = images[0]!;
  const out: Maker[] = [
    ['a stray 00 byte before the trailer', () => insertAt(base, trailer.offset, [0x00])],
    ['a stray 2D byte before the trailer', () => insertAt(base, trailer.offset, [0x2d])],
    ['a stray 2D byte + 9-byte junk before the trailer', () => insertAt(base, trailer.offset, [0x2d, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 1, 0, 0])],
    ['the first frame 0 wide (screen kept)', () => { const b = Buffer.from(base); b.writeUInt16LE(0, first.offset + 5); return b; }],
    ['the first frame 0 high (screen kept)', () => { const b = Buffer.from(base); b.writeUInt16LE(0, first.offset + 7); return b; }],
    ['the first frame 0x0 (screen kept)', () => { const b = Buffer.from(base); b.writeUInt32LE(0, first.offset + 5); return b; }],
    ['no image: header, colour table, trailer', () => cat(base.subarray(0, g.blocksStart), [0x3b])],
    ['no image: header, colour table, a comment extension, trailer', () => cat(base.subarray(0, g.blocksStart), [0x21, 0xfe, 0x02, 0x68, 0x69, 0x00, 0x3b])],
    ['cut 1..9 bytes into the first image descriptor (cut 5)', () => base.subarray(0, first.offset + 5)],
    ['image descriptor complete, then the end of file', () => base.subarray(0, first.offset + 10)],
    ['first frame LZW data cut before the block terminator', () => base.subarray(0, first.end - 1)],
    ['an LZW code beyond the table at the start of the first frame', () => lzwBadCode(base, first.dataOffset)],
  ];
  const flags = base[10]!;
  if (flags & 0x80) {
    const size = 3 << ((flags & 7) + 1);
    out.push(['global colour table moved into the frame as a local table (no global table flag)', () => {
      const b = Buffer.from(base);
      b[10] = flags & 0x7f;
      const table = base.subarray(13, 13 + size);
      const desc = Buffer.from(base.subarray(first.offset, first.offset + 10));
      desc[9] = (desc[9]! & 0x40) | 0x80 | (flags & 7);
      return cat(b.subarray(0, 13), base.subarray(13 + size, first.offset), desc, table, base.subarray(first.offset + 10));
    }]);
    out.push(['global colour table flag set, file ends before the table', () => base.subarray(0, 13 + Math.floor(size / 2))]);
    out.push(['global colour table flag cleared (table bytes left in place)', () => { const b = Buffer.from(base); b[10] = flags & 0x7f; return b; }]);
  }
  if (images.length > 1) {
    const second = images[1]!;
    out.push(['the second frame 0 wide', () => { const b = Buffer.from(base); b.writeUInt16LE(0, second.offset + 5); return b; }]);
    out.push(['the second frame 0 high', () => { const b = Buffer.from(base); b.writeUInt16LE(0, second.offset + 7); return b; }]);
    out.push(['the second frame separator 2C turned into 2D', () => { const b = Buffer.from(base); b[second.offset] = 0x2d; return b; }]);
    out.push(['a stray 00 byte between the frames', () => insertAt(base, second.offset, [0x00])]);
    out.push(['corrupt LZW data in the second frame (min code size 12, scrambled)', () => {
      const b = Buffer.from(base);
      b[second.dataOffset] = 12;
      const n = b[second.dataOffset + 1]!;
      for (let i = 0; i < n; i++) b[second.dataOffset + 2 + i] = (i * 97 + 13) & 0xfe;
      return b;
    }]);
    out.push(['an LZW code beyond the table at the start of the SECOND frame (header intact)', () => lzwBadCode(base, second.dataOffset)]);
    out.push(['the second frame cut inside its LZW data, trailer after', () => cat(base.subarray(0, second.dataOffset + 3), [0x00, 0x3b])]);
  }
  return out;
}

/**
 * Starts the LZW data of the GIF frame whose minimum-code-size byte is at `dataOffset` with Clear
 * and then the largest code of the first code width, which lies beyond the table (LSB-first
 * codes). The sub-block structure and the code size stay valid, so only a pixel decode sees it.
 */
function lzwBadCode(base: Buffer, dataOffset: number): Buffer {
  const b = Buffer.from(base);
  const min = b[dataOffset]!;
  const width = min + 1;
  const bits = (1 << min) | (((1 << width) - 1) << width);
  const size = b[dataOffset + 1]!;
  for (let i = 0; i < Math.min(size, 3); i++) b[dataOffset + 2 + i] = (bits >> (8 * i)) & 0xff;
  return b;
}

function targetedTiff(base: Buffer): Maker[] {
  const s = readTiffStructure(base);
  const first = s.ifds[0]!;
  const rw = tiffRw(base);
  const has = (tag: number) => first.entries.some((e) => e.tag === tag);
  const outOfLine = first.entries.filter((e) => e.byteLength > 4);
  const out: Maker[] = [
    ['first IFD offset 0', () => { const b = Buffer.from(base); tiffRw(b).w32(0, 4); return b; }],
    ['first IFD offset 2', () => { const b = Buffer.from(base); tiffRw(b).w32(2, 4); return b; }],
    ['first IFD offset 6', () => { const b = Buffer.from(base); tiffRw(b).w32(6, 4); return b; }],
    ['first IFD entry count past the end (0xffff)', () => { const b = Buffer.from(base); tiffRw(b).w16(0xffff, first.offset); return b; }],
    ['last next-IFD field cut (file ends 2 bytes into it)', () => { const last = s.ifds[s.ifds.length - 1]!; return base.subarray(0, last.nextFieldAt + 2); }],
    ['ImageWidth entry removed', () => tiffRemoveEntry(base, 256)],
    ['ImageLength entry removed', () => tiffRemoveEntry(base, 257)],
    ['ImageWidth typed BYTE', () => tiffRetype(base, 256, 1)],
    ['ImageWidth typed SSHORT (8)', () => tiffRetype(base, 256, 8)],
  ];
  for (const e of outOfLine) {
    out.push([`tag ${e.tag} value offset past the end`, () => tiffSetValueOffset(base, e.tag, base.length + 16)]);
    out.push([`tag ${e.tag} value offset 0`, () => tiffSetValueOffset(base, e.tag, 0)]);
  }
  if (has(273)) {
    out.push(['StripOffsets removed', () => tiffRemoveEntry(base, 273)]);
    out.push(['StripByteCounts removed', () => tiffRemoveEntry(base, 279)]);
    out.push(['StripOffsets and StripByteCounts removed', () => tiffRemoveEntry(tiffRemoveEntry(base, 279), 273)]);
    const offs = first.entries.find((e) => e.tag === 273)!;
    const cnts = first.entries.find((e) => e.tag === 279)!;
    if (offs.count * 4 > 4 && offs.type === 4) out.push(['StripOffsets and StripByteCounts rewritten as SHORT arrays', () => tiffRetype(tiffRetype(base, 273, 3), 279, 3)]);
    if (offs.count === 1 && offs.byteLength <= 4) {
      out.push(['first strip offset 0', () => { const b = Buffer.from(base); if (offs.type === 3) tiffRw(b).w16(0, offs.at + 8); else tiffRw(b).w32(0, offs.at + 8); return b; }]);
      out.push(['StripByteCounts count 2 (one more than StripOffsets), the extra value past the end', () => {
        // Two LONGs do not fit inline: point them at 8 free bytes appended to the file.
        const b = cat(base, [0, 0, 0, 0, 0, 0, 0, 0]);
        const r = tiffRw(b);
        const v = tiffEntryValues(base, s.littleEndian, cnts)[0]!;
        r.w16(4, cnts.at + 2);
        r.w32(2, cnts.at + 4);
        r.w32(base.length, cnts.at + 8);
        r.w32(v, base.length);
        r.w32(b.length + 1000, base.length + 4);
        return b;
      }]);
    }
  }
  if (s.ifds.length > 1) {
    const second = s.ifds[1]!;
    const soff = second.entries.find((e) => e.tag === 273 || e.tag === 324);
    const scnt = second.entries.find((e) => e.tag === 279 || e.tag === 325);
    const comp = first.entries.find((e) => e.tag === 259);
    const scheme = comp ? tiffEntryValues(base, s.littleEndian, comp)[0] : 1;
    if (soff && scnt && (scheme === 5 || scheme === 8)) {
      out.push(['undecodable data in the SECOND page (LZW code beyond the table / reserved deflate block)', () => {
        const b = Buffer.from(base);
        const start = tiffEntryValues(base, s.littleEndian, soff)[0]!;
        if (scheme === 5) {
          b[start] = 0x80;
          b[start + 1] = 0x7f;
          b[start + 2] = (b[start + 2]! & 0x3f) | 0xc0;
        } else b[start + 2]! |= 0x06;
        return b;
      }]);
    }
    if (soff) out.push(['second page strip offset past the end', () => { const b = Buffer.from(base); if (soff.byteLength <= 4) (soff.type === 3 ? tiffRw(b).w16(0xfff0, soff.at + 8) : tiffRw(b).w32(b.length + 10, soff.at + 8)); else tiffRw(b).w32(b.length + 10, soff.valueAt); return b; }]);
    out.push(['second page: ImageWidth removed', () => tiffRemoveEntry(base, 256, 1)]);
    out.push(['second page: StripOffsets removed', () => (second.entries.some((e) => e.tag === 273) ? tiffRemoveEntry(base, 273, 1) : tiffRemoveEntry(base, 324, 1))]);
    out.push(['second page next-IFD pointing back to itself', () => { const b = Buffer.from(base); tiffRw(b).w32(second.offset, second.nextFieldAt); return b; }]);
  }
  void rw;
  return out;
}

/** Hand-built TIFFs (writeTiff) and other bodies that are not surgery on one generator base. */
async function handBuilt(): Promise<Body[]> {
  const out: Body[] = [];
  const add = (format: ImageFormat, what: string, bytes: Buffer, heavy?: number, walkOnly = false) =>
    out.push({ format, bytes, category: 'targeted', base: 'hand-built', what, ...(heavy !== undefined ? { heavy } : {}), ...(walkOnly ? { walkOnly } : {}) });
  const d = greyData(4 * 6);
  const page = (o: Parameters<typeof greyPage>[3] = {}) => (ds: number) => [greyPage(4, 6, ds, o)];
  const single = writeTiff({ le: true, data: d, pages: page() });
  add('tiff', 'classic TIFF 4x6 grey, one strip (the IFD ends the file)', single);
  add('tiff', 'classic TIFF 4x6 grey, one strip: file cut 2 bytes into the next-IFD field', single.subarray(0, single.length - 2));
  add('tiff', 'classic TIFF 4x6 grey, 3 strips (LONG arrays)', writeTiff({ le: true, data: d, pages: page({ rowsPerStrip: 2 }) }));
  add('tiff', 'classic TIFF 4x6 grey, 3 strips as SHORT arrays', writeTiff({ le: true, data: d, pages: page({ rowsPerStrip: 2, offType: 3, cntType: 3 }) }));
  add('tiff', 'classic BE TIFF 4x6 grey, 3 strips as SHORT arrays', writeTiff({ le: false, data: d, pages: page({ rowsPerStrip: 2, offType: 3, cntType: 3 }) }));
  add('tiff', 'classic TIFF, ImageWidth/ImageLength typed BYTE', writeTiff({ le: true, data: d, pages: page({ dimType: 1 }) }));
  add('tiff', 'classic TIFF, StripOffsets/StripByteCounts typed BYTE (3 strips)', writeTiff({ le: true, data: d, pages: page({ rowsPerStrip: 2, offType: 1, cntType: 1 }) }));
  add('tiff', 'classic TIFF, one strip, StripOffsets/StripByteCounts typed BYTE', writeTiff({ le: true, data: d, pages: page({ offType: 1, cntType: 1 }) }));
  add('tiff', 'classic TIFF, StripByteCounts missing', writeTiff({ le: true, data: d, pages: (ds) => [greyPage(4, 6, ds).filter((e) => e.tag !== 279)] }));
  add('tiff', 'classic TIFF, 3 strips, StripByteCounts missing', writeTiff({ le: true, data: d, pages: (ds) => [greyPage(4, 6, ds, { rowsPerStrip: 2 }).filter((e) => e.tag !== 279)] }));
  add('tiff', 'classic TIFF, StripOffsets value offset 0 (3 strips)', writeTiff({ le: true, data: d, pages: (ds) => [greyPage(4, 6, ds, { rowsPerStrip: 2 }).map((e) => (e.tag === 273 ? { ...e, forceOffset: 0 } : e))] }));
  add('tiff', 'classic TIFF, XResolution (RATIONAL) value offset 0', writeTiff({ le: true, data: d, pages: page({ extra: [{ tag: 282, type: 5, values: [72, 1], forceOffset: 0 }, { tag: 283, type: 5, values: [72, 1] }, { tag: 296, type: 3, values: [2] }] }) }));
  add('tiff', 'classic TIFF, XResolution (RATIONAL) value offset past the end', writeTiff({ le: true, data: d, pages: page({ extra: [{ tag: 282, type: 5, values: [72, 1], forceOffset: 100000 }, { tag: 283, type: 5, values: [72, 1] }, { tag: 296, type: 3, values: [2] }] }) }));
  add('tiff', 'classic TIFF, Software (ASCII) value offset past the end', writeTiff({ le: true, data: d, pages: page({ extra: [{ tag: 305, type: 2, values: [...Buffer.from('walk-sweep\0')], forceOffset: 100000 }] }) }));
  add('tiff', 'classic TIFF, strip at offset 0 (pixels read from the header)', writeTiff({ le: true, data: d, pages: (ds) => [greyPage(4, 2, ds).map((e) => (e.tag === 273 ? { ...e, values: [0] } : e))] }));
  add('tiff', 'classic TIFF, StripByteCounts with one value more than StripOffsets (extra value past the end)', writeTiff({ le: true, data: d, pages: (ds) => [greyPage(4, 6, ds).map((e) => (e.tag === 279 ? { ...e, values: [24, 100000] } : e))] }));
  add('tiff', 'classic TIFF, StripByteCounts with one value more than StripOffsets (extra value within)', writeTiff({ le: true, data: d, pages: (ds) => [greyPage(4, 6, ds).map((e) => (e.tag === 279 ? { ...e, values: [24, 4] } : e))] }));
  add('tiff', 'classic TIFF, one page with neither StripOffsets nor TileOffsets', writeTiff({ le: true, data: d, pages: (ds) => [greyPage(4, 6, ds).filter((e) => e.tag !== 273 && e.tag !== 279)] }));
  // BigTIFF
  for (const le of [true, false]) {
    const o = le ? 'LE' : 'BE';
    add('tiff', `BigTIFF ${o} 4x6 grey, 3 strips (LONG8 arrays)`, writeTiff({ le, big: true, data: d, pages: page({ rowsPerStrip: 2, offType: 16, cntType: 16 }) }));
    add('tiff', `BigTIFF ${o} 4x6 grey, one strip (LONG8, inline)`, writeTiff({ le, big: true, data: d, pages: page({ offType: 16, cntType: 16 }) }));
    add('tiff', `BigTIFF ${o} 4x6 grey, 3 strips LONG arrays`, writeTiff({ le, big: true, data: d, pages: page({ rowsPerStrip: 2 }) }));
    add('tiff', `BigTIFF ${o} 4x6 grey, ImageWidth/Length LONG8`, writeTiff({ le, big: true, data: d, pages: page({ dimType: 16, offType: 16, cntType: 16 }) }));
    add('tiff', `BigTIFF ${o}, 2 pages`, writeTiff({ le, big: true, data: d, pages: (ds) => [greyPage(4, 6, ds, { offType: 16, cntType: 16 }), greyPage(4, 6, ds, { offType: 16, cntType: 16 })] }));
  }
  const px = Buffer.from(greyData(6 * 5));
  add('tiff', 'BigTIFF LE by libvips (LZW, sharp bigtiff: true)', await sharp(px, { raw: { width: 6, height: 5, channels: 1 } }).tiff({ bigtiff: true, compression: 'lzw' }).toBuffer());
  add('tiff', 'BigTIFF LE by libvips (uncompressed)', await sharp(px, { raw: { width: 6, height: 5, channels: 1 } }).tiff({ bigtiff: true, compression: 'none' }).toBuffer());
  // Pages that differ in size, many pages, many strips, MAX_PIXELS.
  add('tiff', '2 pages of different sizes (4x6 and 3x5)', writeTiff({ le: true, data: d, pages: (ds) => [greyPage(4, 6, ds), greyPage(3, 5, ds)] }));
  add('tiff', '2 pages of different sizes (4x6 and 4x3)', writeTiff({ le: false, data: d, pages: (ds) => [greyPage(4, 6, ds), greyPage(4, 3, ds)] }));
  const tiny = greyData(1);
  add('tiff', '1001 pages of 1x1 (one shared strip)', writeTiff({ le: true, data: tiny, pages: (ds) => Array.from({ length: 1001 }, () => greyPage(1, 1, ds)) }));
  const bilevel = (w: number, h: number, pages: number) => {
    const runs = w / 8 / 128;
    const row = Array.from({ length: runs }, () => [0x81, 0x00]).flat();
    const data = Uint8Array.from({ length: row.length * h }, (_, i) => row[i % row.length]!);
    return writeTiff({
      le: true, data, pages: (ds) => Array.from({ length: pages }, () => [
        { tag: 256, type: 3, values: [w] }, { tag: 257, type: 3, values: [h] }, { tag: 258, type: 3, values: [1] }, { tag: 259, type: 3, values: [32773] },
        { tag: 262, type: 3, values: [1] }, { tag: 273, type: 4, values: [ds] }, { tag: 277, type: 3, values: [1] }, { tag: 278, type: 3, values: [h] }, { tag: 279, type: 4, values: [data.length] },
      ]),
    });
  };
  add('tiff', '2 pages of 8192x4097 bilevel PackBits: pages x pixels = MAX_PIXELS + 16384 (each page below it)', bilevel(8192, 4097, 2), 1);
  add('tiff', '2 pages of 8192x4096 bilevel PackBits: pages x pixels = MAX_PIXELS exactly', bilevel(8192, 4096, 2), 2);
  const strips = (n: number) => writeTiff({
    le: true, data: tiny, pages: (ds) => [[
      { tag: 256, type: 3, values: [1] }, { tag: 257, type: 4, values: [n] }, { tag: 258, type: 3, values: [8] }, { tag: 259, type: 3, values: [1] }, { tag: 262, type: 3, values: [1] },
      { tag: 273, type: 3, values: new Array<number>(n).fill(ds) }, { tag: 277, type: 3, values: [1] }, { tag: 278, type: 3, values: [1] }, { tag: 279, type: 3, values: new Array<number>(n).fill(1) },
    ]],
  });
  add('tiff', '1x1000000 grey, 1000000 strips (all the same byte)', strips(1_000_000), 3, true);
  add('tiff', '1x1000001 grey, 1000001 strips (all the same byte)', strips(1_000_001), 3, true);
  // GIF: 1000 and 1001 frames of 1x1.
  const one = buf(await renderFrames());
  const gs = walkGif(one);
  const img = gs.blocks.find((x) => x.kind === 'image')!;
  const frame = one.subarray(img.offset, img.kind === 'image' ? img.end : img.offset);
  for (const n of [1000, 1001]) add('gif', `${n} frames of 1x1`, cat(one.subarray(0, img.offset), ...Array.from({ length: n }, () => frame), [0x3b]));
  return out;
}

async function renderFrames(): Promise<Uint8Array> {
  return (await renderImage(recipe('gif', 1, 1, { version: '89a', bitDepth: 1 }))).bytes;
}

// ---- corpus assembly --------------------------------------------------------------------------

/** Flip every DATA_STRIDE-th byte inside payload (what no walk check reads). */
const DATA_STRIDE = 5;

/**
 * The payload of a base: bytes no walk check reads (PNG IDAT/PLTE data, JPEG table and APPn
 * payloads and entropy-coded data, GIF colour tables and LZW data, TIFF strip/tile data).
 */
function payloadRanges(format: ImageFormat, b: Buffer): [number, number][] {
  try {
    switch (format) {
      case 'png':
        return pngChunks(b).filter((c) => c.type === 'IDAT' || c.type === 'PLTE').map((c) => [c.dataStart, c.crcAt]);
      case 'jpeg': {
        const s = jpegStructure(b);
        const seg = s.segments.filter((x) => x.marker === 0xdb || x.marker === 0xc4 || (x.marker >= 0xe0 && x.marker <= 0xef) || x.marker === 0xfe).map((x): [number, number] => [x.offset + 4, x.end]);
        // The scans, up to (not including) the last 2 bytes (EOI).
        return [...seg, [s.scanStart, Math.max(s.scanStart, b.length - 2)]];
      }
      case 'gif': {
        const g = walkGif(b);
        const out: [number, number][] = [[13, g.blocksStart]];
        for (const x of g.blocks) if (x.kind === 'image') out.push([x.packedOffset + 1, x.dataOffset], [x.dataOffset + 2, x.end - 1]);
        return out;
      }
      case 'tiff': {
        const s = readTiffStructure(b);
        const out: [number, number][] = [];
        for (const ifd of s.ifds) {
          const offs = ifd.entries.find((e) => e.tag === 273 || e.tag === 324);
          const cnts = ifd.entries.find((e) => e.tag === 279 || e.tag === 325);
          if (!offs || !cnts) continue;
          const o = tiffEntryValues(b, s.littleEndian, offs);
          const n = tiffEntryValues(b, s.littleEndian, cnts);
          o.forEach((v, k) => out.push([v, v + (n[k] ?? 0)]));
        }
        return out;
      }
    }
  } catch {
    return [];
  }
}

async function buildCorpus(): Promise<{ bodies: Body[]; notes: string[] }> {
  const bodies: Body[] = [];
  const notes: string[] = [];
  for (const r of [...BASE_RECIPES, ...EXTREME_RECIPES]) {
    const img = await renderImage(r);
    const bytes = buf(img.bytes);
    const name = img.description;
    const extreme = r.options.extreme === true;
    bodies.push({ format: r.format, bytes, category: 'valid', base: name, what: 'as generated' });
    if (extreme) continue;
    // The suite's damage kinds, three seeds each (and three positions for the cuts).
    for (const kind of DAMAGE_KINDS[r.format]) {
      for (const seed of [1, 2, 3]) {
        try {
          const at = kind === 'truncated' ? [0, 0.5, 0.999][seed - 1] : undefined;
          const b = damage(r.format, kind, img.bytes, mulberry32(seed), seed, at);
          bodies.push({ format: r.format, bytes: buf(b), category: 'suite', base: name, what: `damage ${r.format}-${kind} seed ${seed}${at !== undefined ? ` at ${at}` : ''}` });
        } catch {
          // a kind the base has no form of (e.g. corrupt-data of an uncompressed TIFF)
        }
      }
    }
    const makers = r.format === 'png' ? targetedPng(bytes) : r.format === 'jpeg' ? targetedJpeg(bytes) : r.format === 'gif' ? targetedGif(bytes) : targetedTiff(bytes);
    for (const [what, make] of makers) {
      try {
        bodies.push({ format: r.format, bytes: make(), category: 'targeted', base: name, what });
      } catch (e) {
        notes.push(`targeted "${what}" on ${name}: not made (${(e as Error).message})`);
      }
    }
    const sig = SIGNATURE_LENGTH[r.format];
    for (let k = sig; k < bytes.length; k++) bodies.push({ format: r.format, bytes: bytes.subarray(0, k), category: 'cut', base: name, what: `cut at byte ${k} of ${bytes.length}` });
    // Every byte of the structure, every DATA_STRIDE-th byte of payload (pixel data, palettes,
    // tables), and a stride on top when a base still has more than FLIP_MAX positions.
    const payload = payloadRanges(r.format, bytes);
    const inPayload = (k: number) => payload.some(([a, z]) => k >= a && k < z);
    const positions: number[] = [];
    for (let k = sig; k < bytes.length; k++) if (!inPayload(k) || k % DATA_STRIDE === 0) positions.push(k);
    const stride = Math.max(1, Math.ceil(positions.length / FLIP_MAX));
    if (stride > 1) notes.push(`flips of ${name}: every ${stride}th of its ${positions.length} positions`);
    for (let p = 0; p < positions.length; p += stride) {
      const k = positions[p]!;
      const b = Buffer.from(bytes);
      b[k]! ^= 0xff;
      bodies.push({ format: r.format, bytes: b, category: 'flip', base: name, what: `byte ${k} XOR 0xff (${hex(bytes[k]!)} -> ${hex(b[k]!)})` });
    }
  }
  bodies.push(...(await handBuilt()));
  // Cuts and flips of a few hand-built TIFFs too (BigTIFF, SHORT strip arrays, an IFD that ends the file).
  // (the hand-built ones hold 24 bytes of pixel data after the header: every DATA_STRIDE-th byte of it flipped).
  const bigSweep = /^BigTIFF (LE|BE) 4x6 grey, 3 strips \(LONG8|^BigTIFF LE, 2 pages|^BigTIFF LE by libvips \(LZW|^classic (BE )?TIFF 4x6 grey, (one strip|3 strips as SHORT)/;
  for (const b of [...bodies]) {
    if (b.category === 'targeted' && b.base === 'hand-built' && bigSweep.test(b.what)) {
      const handMade = !b.what.includes('libvips');
      for (let k = 4; k < b.bytes.length; k++) bodies.push({ format: 'tiff', bytes: b.bytes.subarray(0, k), category: 'cut', base: b.what, what: `cut at byte ${k} of ${b.bytes.length}` });
      for (let k = 4; k < b.bytes.length; k++) {
        const dataStart = b.bytes[2] === 43 || b.bytes[3] === 43 ? 16 : 8;
        if (handMade && k >= dataStart && k < dataStart + 24 && k % DATA_STRIDE !== 0) continue;
        const c = Buffer.from(b.bytes);
        c[k]! ^= 0xff;
        bodies.push({ format: 'tiff', bytes: c, category: 'flip', base: b.what, what: `byte ${k} XOR 0xff` });
      }
    }
  }
  // WALK_SWEEP_EXTRA=<module>: more bodies, from its default export (to try a damage kind first).
  const extra = process.env.WALK_SWEEP_EXTRA;
  if (extra) {
    const mod = (await import(pathToFileURL(path.resolve(extra)).href)) as { default: () => Promise<{ format: ImageFormat; bytes: Uint8Array; base: string; what: string }[]> };
    for (const x of await mod.default()) bodies.push({ format: x.format, bytes: buf(x.bytes), category: 'targeted', base: x.base, what: x.what });
  }
  // WALK_SWEEP_ONLY=<regex>: only the bodies whose description matches (which mutants does it kill?).
  const only = process.env.WALK_SWEEP_ONLY;
  const kept = only ? bodies.filter((b) => new RegExp(only, 'i').test(`${b.base}: ${b.what}`)) : bodies;
  if (only) notes.push(`WALK_SWEEP_ONLY=${only}: ${kept.length} of ${bodies.length} bodies`);
  kept.sort((a, b) => CATEGORY_RANK[a.category] - CATEGORY_RANK[b.category] || a.bytes.length - b.bytes.length);
  return { bodies: kept, notes };
}

// ---- mutants -----------------------------------------------------------------------------------

interface Mutant {
  id: string;
  mutator: string;
  replacement: string;
  status: string;
  line: number;
  col: number;
  endLine: number;
  endCol: number;
  original: string;
  /** Where it lies: the walk of one format, decodeAllNow, or elsewhere. */
  scope: { kind: 'walk'; format: ImageFormat; fn: string } | { kind: 'decode'; fn: string } | { kind: 'full'; fn: string };
}

const WALK_FORMAT: Record<string, ImageFormat> = { checkPng: 'png', checkPngData: 'png', checkGif: 'gif', checkJpeg: 'jpeg', checkTiff: 'tiff', dataWithin: 'tiff', TIFF_TYPE_SIZE: 'tiff' };
const DECODE_FNS = new Set(['decodeAllNow', 'decodeAll', 'oneAtATime', 'decoding']);

function offsetOf(lines: string[], line: number, col: number): number {
  let o = 0;
  for (let i = 0; i < line - 1; i++) o += lines[i]!.length + 1;
  return o + col - 1;
}

/** The top-level declaration each line belongs to. */
function declarations(lines: string[]): string[] {
  const owner: string[] = [];
  let current = '';
  lines.forEach((l, i) => {
    const m = /^(?:export\s+)?(?:async\s+)?(?:function\s+(\w+)|(?:const|let|type)\s+(\w+))/.exec(l);
    if (m) current = m[1] ?? m[2] ?? current;
    owner[i + 1] = current;
  });
  return owner;
}

/** Lines (1-based) -> mutator names disabled there by `// Stryker disable` comments ('all' for all). */
function disabledMap(lines: string[]): Map<number, Set<string>> {
  const map = new Map<number, Set<string>>();
  const add = (line: number, names: string[]) => {
    const s = map.get(line) ?? new Set<string>();
    for (const n of names) s.add(n);
    map.set(line, s);
  };
  const open = new Map<string, number>();
  lines.forEach((l, i) => {
    const line = i + 1;
    const m = /\/\/\s*Stryker\s+(disable|restore)(\s+next-line)?\s+([\w,]+)/.exec(l);
    if (!m) return;
    const names = m[3]!.split(',');
    if (m[2]) add(line + 1, names);
    else if (m[1] === 'disable') for (const n of names) open.set(n, line);
    else for (const n of names) {
      const from = open.get(n);
      if (from !== undefined) for (let k = from; k <= line; k++) add(k, [n]);
      open.delete(n);
    }
  });
  for (const [n, from] of open) for (let k = from; k <= lines.length; k++) add(k, [n]);
  return map;
}

function loadMutants(reportPath: string, current: string): { mutants: Mutant[]; skipped: string[] } {
  const report = JSON.parse(fs.readFileSync(reportPath, 'utf8')) as { files: Record<string, { source: string; mutants: { id: string; mutatorName: string; replacement?: string; status: string; location: { start: { line: number; column: number }; end: { line: number; column: number } } }[] }> };
  const file = report.files[SOURCE_KEY];
  if (!file) throw new Error(`${reportPath} has no ${SOURCE_KEY}`);
  const repLines = file.source.split('\n');
  const curLines = current.split('\n');
  const owner = declarations(curLines);
  const disabled = disabledMap(curLines);
  const mutants: Mutant[] = [];
  const skipped: string[] = [];
  for (const m of file.mutants) {
    if (m.status !== 'Survived' && m.status !== 'NoCoverage') continue;
    const { start, end } = m.location;
    const original = file.source.slice(offsetOf(repLines, start.line, start.column), offsetOf(repLines, end.line, end.column));
    const here = current.slice(offsetOf(curLines, start.line, start.column), offsetOf(curLines, end.line, end.column));
    const label = `#${m.id} ${start.line}:${start.column} ${m.mutatorName}`;
    if (here !== original) {
      skipped.push(`${label}: the current source no longer holds ${JSON.stringify(original.slice(0, 40))} there`);
      continue;
    }
    const off = disabled.get(start.line);
    if (off && (off.has('all') || off.has(m.mutatorName))) {
      skipped.push(`${label}: now under a Stryker disable comment`);
      continue;
    }
    const fn = owner[start.line] ?? '';
    const wf = WALK_FORMAT[fn];
    const scope: Mutant['scope'] = wf ? { kind: 'walk', format: wf, fn } : DECODE_FNS.has(fn) ? { kind: 'decode', fn } : { kind: 'full', fn };
    mutants.push({ id: m.id, mutator: m.mutatorName, replacement: m.replacement ?? '', status: m.status, line: start.line, col: start.column, endLine: end.line, endCol: end.column, original, scope });
  }
  mutants.sort((a, b) => a.line - b.line || a.col - b.col);
  return { mutants, skipped };
}

// ---- loading a (mutated) copy of the module ------------------------------------------------------

const TEMP_FILES = new Set<string>();
function cleanup(): void {
  for (const f of TEMP_FILES) {
    try {
      fs.rmSync(f, { force: true });
    } catch {
      // nothing more to do
    }
  }
  TEMP_FILES.clear();
}
process.on('exit', cleanup);
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => { cleanup(); process.exit(130); });

const EXPORT_LINE = '\nexport const __sweep = { CHECKS, decodeAllNow };\n';

async function loadVariant(current: string, name: string, m?: Mutant): Promise<SweepModule> {
  let text = current;
  if (m) {
    const lines = current.split('\n');
    // Stryker replaces an AST node: in the text the replacement needs parentheses to stay one
    // operand (`a && b` -> `a || b` inside `a && b && c` must not become `a || b && c`).
    const replacement = m.mutator === 'BlockStatement' ? m.replacement : `(${m.replacement})`;
    text = current.slice(0, offsetOf(lines, m.line, m.col)) + replacement + current.slice(offsetOf(lines, m.endLine, m.endCol));
  }
  const file = path.join(path.dirname(SOURCE), `.walk-sweep-mutant-${name}.ts`);
  TEMP_FILES.add(file);
  try {
    fs.writeFileSync(file, text + EXPORT_LINE);
    return (await import(pathToFileURL(file).href)) as SweepModule;
  } finally {
    fs.rmSync(file, { force: true });
    TEMP_FILES.delete(file);
  }
}

// ---- verdicts ------------------------------------------------------------------------------------

type Walk = 'pass' | 'refuse' | 'throw';
function walkOf(mod: SweepModule, b: Body): { walk: Walk; error?: string } {
  try {
    return { walk: mod.__sweep.CHECKS[b.format](b.bytes).ok ? 'pass' : 'refuse' };
  } catch (e) {
    return { walk: 'throw', error: String((e as Error).message ?? e).slice(0, 120) };
  }
}

const CTX = { model: { imageMediaTypes: ['image/png', 'image/jpeg', 'image/gif', 'image/tiff'] } } as unknown as TargetContext;

async function fullVerdict(mod: SweepModule, b: Body): Promise<{ status: Status; error?: string }> {
  try {
    return { status: (await mod.validateImage(b.bytes, undefined, CTX)).ok ? 200 : 400 };
  } catch (e) {
    return { status: 500, error: String((e as Error).message ?? e).slice(0, 120) };
  }
}

interface Kill {
  body: Body;
  from: Status;
  to: Status;
  libvipsOk: boolean | undefined;
  error?: string;
}

interface Outcome {
  mutant: Mutant;
  tried: number;
  kills: number;
  byCategory: Partial<Record<Category, number>>;
  best?: Kill;
  /** The simplest kill whose body libvips alone accepts (when the best one is not). */
  bestLibvipsAccepts?: Kill;
  crash?: Kill;
  note?: string;
}

function describeBody(b: Body): string {
  return `${b.base}: ${b.what} (${b.category}, ${b.bytes.length} B)`;
}

// ---- main ----------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const t0 = Date.now();
  const reportPath = path.resolve(ROOT, process.argv[2] ?? 'mutation/mutation.json');
  const current = fs.readFileSync(SOURCE, 'utf8');
  const { mutants, skipped } = loadMutants(reportPath, current);
  const { bodies, notes } = await buildCorpus();
  const tCorpus = Date.now();
  const orig = await loadVariant(current, 'original');
  const show = process.env.WALK_SWEEP_SHOW;
  if (show) {
    // Debug: the original's walk and decodeAllNow on the bodies whose description matches.
    const re = new RegExp(show, 'i');
    for (const b of bodies.filter((x) => re.test(`${x.base}: ${x.what}`))) {
      const w = walkOf(orig, b);
      let lv = 'accepts';
      try {
        await orig.__sweep.decodeAllNow(b.bytes, b.format);
      } catch (e) {
        lv = `refuses (${String((e as Error).message).split('\n')[0]})`;
      }
      const r = orig.__sweep.CHECKS[b.format](b.bytes);
      console.log(`${describeBody(b)}\n  walk: ${w.walk}${r.reason ? ` (${r.reason})` : ''}${w.error ? ` (${w.error})` : ''}; decodeAllNow: ${lv}`);
    }
    return;
  }

  // Original verdicts: the walk for every body, libvips lazily (memoised).
  const origWalk = bodies.map((b) => walkOf(orig, b));
  const libvips = new Map<Body, boolean>();
  const decodeCost = new Map<string, { n: number; ms: number }>();
  const libvipsOk = async (b: Body): Promise<boolean> => {
    let v = libvips.get(b);
    if (v === undefined) {
      const t = Date.now();
      try {
        await orig.__sweep.decodeAllNow(b.bytes, b.format);
        v = true;
      } catch {
        v = false;
      }
      libvips.set(b, v);
      const key = `${b.format} ${b.category}`;
      const c = decodeCost.get(key) ?? { n: 0, ms: 0 };
      c.n++;
      c.ms += Date.now() - t;
      decodeCost.set(key, c);
      if (b.heavy !== undefined) notes.push(`decodeAllNow on "${b.what}": ${Date.now() - t} ms`);
    }
    return v;
  };
  const origStatus: Status[] = [];
  for (let i = 0; i < bodies.length; i++) {
    const w = origWalk[i]!.walk;
    origStatus.push(w === 'throw' ? 500 : w === 'refuse' ? 400 : (await libvipsOk(bodies[i]!)) ? 200 : 400);
  }
  const tOrig = Date.now();
  const originalCrashes = bodies.flatMap((b, i) => (origStatus[i] === 500 ? [`${describeBody(b)}: ${origWalk[i]!.error}`] : []));

  // Sampled body lists for the decode / full mutants.
  const index = new Map<Body, number>(bodies.map((b, i) => [b, i]));
  const sampleFor = (keep: (i: number) => boolean): Body[] => {
    const out: Body[] = [];
    const sweepPerFormat = new Map<ImageFormat, number[]>();
    bodies.forEach((b, i) => {
      if (!keep(i)) return;
      if (b.category === 'cut' || b.category === 'flip') {
        const l = sweepPerFormat.get(b.format) ?? [];
        l.push(i);
        sweepPerFormat.set(b.format, l);
      } else out.push(b);
    });
    for (const l of sweepPerFormat.values()) {
      const stride = Math.max(1, Math.ceil(l.length / DECODE_SWEEP_SAMPLE));
      for (let k = 0; k < l.length; k += stride) out.push(bodies[l[k]!]!);
    }
    // Simplest first: valid, suite, targeted (the costly ones after the others), then the sweep sample.
    const rank = (b: Body) => (b.category === 'cut' || b.category === 'flip' ? 1000 : b.heavy ?? 0);
    return out.sort((a, b) => rank(a) - rank(b) || index.get(a)! - index.get(b)!);
  };
  const decodeSample = sampleFor((i) => origWalk[i]!.walk === 'pass' && !bodies[i]!.walkOnly);
  const fullSample = sampleFor((i) => !bodies[i]!.walkOnly);

  const outcomes: Outcome[] = [];
  for (const m of mutants) {
    const tm = Date.now();
    const mod = await loadVariant(current, String(m.id), m);
    const o: Outcome = { mutant: m, tried: 0, kills: 0, byCategory: {} };
    const record = (k: Kill) => {
      o.kills++;
      o.byCategory[k.body.category] = (o.byCategory[k.body.category] ?? 0) + 1;
      o.best ??= k;
      if (k.libvipsOk === true && !o.best.libvipsOk) o.bestLibvipsAccepts ??= k;
      if (k.to === 500) o.crash ??= k;
    };
    if (m.scope.kind === 'walk') {
      const f = m.scope.format;
      for (let i = 0; i < bodies.length; i++) {
        const b = bodies[i]!;
        if (b.format !== f) continue;
        o.tried++;
        const w = walkOf(mod, b);
        const status: Status = w.walk === 'throw' ? 500 : w.walk === 'refuse' ? 400 : (await libvipsOk(b)) ? 200 : 400;
        if (status !== origStatus[i]) record({ body: b, from: origStatus[i]!, to: status, libvipsOk: await libvipsOk(b), ...(w.error ? { error: w.error } : {}) });
      }
    } else {
      const list = m.scope.kind === 'decode' ? decodeSample : fullSample;
      for (const b of list) {
        o.tried++;
        const i = index.get(b)!;
        const v = await fullVerdict(mod, b);
        if (v.status !== origStatus[i]) {
          // "libvips alone" means nothing here (the mutant is in the decode path itself).
          record({ body: b, from: origStatus[i]!, to: v.status, libvipsOk: undefined, ...(v.error ? { error: v.error } : {}) });
          o.note = 'search stopped at the first killing body';
          break;
        }
      }
    }
    outcomes.push(o);
    process.stderr.write(`#${m.id} ${m.line}:${m.col} ${m.mutator}: ${o.kills ? `killed (${o.kills})` : 'no change'} in ${Date.now() - tm} ms\n`);
  }
  const tEnd = Date.now();

  // ---- report ----
  const md: string[] = [];
  const count = (pred: (b: Body) => boolean) => bodies.filter(pred).length;
  md.push('# Walk sweep: surviving / no-coverage mutants of src/target/image-validation.ts', '');
  md.push(`Report: ${path.relative(ROOT, reportPath)}; source: the current ${SOURCE_KEY}. ${mutants.length} mutants swept, ${skipped.length} left out.`);
  md.push(`Corpus: ${bodies.length} bodies (` + (['png', 'jpeg', 'gif', 'tiff'] as const).map((f) => `${f} ${count((b) => b.format === f)}`).join(', ') + '; ' + (Object.keys(CATEGORY_RANK) as Category[]).map((c) => `${c} ${count((b) => b.category === c)}`).join(', ') + ').');
  md.push(`Original answers: 200 ${origStatus.filter((s) => s === 200).length}, 400 ${origStatus.filter((s) => s === 400).length}, 500 ${origStatus.filter((s) => s === 500).length}; libvips decoded ${libvips.size} bodies (${[...libvips.values()].filter(Boolean).length} accepted).`);
  md.push(`Sampling: cuts at every offset after the signature; flips (XOR 0xff) of every structure byte and every ${DATA_STRIDE}th payload byte (pixel data, colour tables, JPEG tables and APPn payloads), a further stride above ${FLIP_MAX} positions per base; decodeAllNow mutants: ${decodeSample.length} bodies (all non-sweep bodies whose original walk passes + at most ~${DECODE_SWEEP_SAMPLE} cut/flip bodies per format), stopping at the first kill.`);
  md.push(`Time: corpus ${((tCorpus - t0) / 1000).toFixed(1)} s, original verdicts ${((tOrig - tCorpus) / 1000).toFixed(1)} s, mutants ${((tEnd - tOrig) / 1000).toFixed(1)} s.`, '');
  if (skipped.length) md.push('Left out:', ...skipped.map((s) => `- ${s}`), '');
  notes.push(`original decodeAllNow calls (count, ms) by format and category: ${[...decodeCost].map(([k, c]) => `${k} ${c.n}/${c.ms}`).join(', ')}`);
  if (notes.length) md.push('<details><summary>Corpus notes</summary>', '', ...notes.map((s) => `- ${s}`), '', '</details>', '');
  if (originalCrashes.length) md.push('**The ORIGINAL answers 500 for:**', ...originalCrashes.map((s) => `- ${s}`), '');

  const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const lv = (k: Kill) => (k.libvipsOk === undefined ? 'decode-path mutant' : k.libvipsOk ? 'libvips alone: **accepts**' : 'libvips alone: refuses');
  const killText = (k: Kill) => `${describeBody(k.body)}: ${k.from} -> ${k.to}${k.error ? ` (${esc(k.error)})` : ''}; ${lv(k)}`;
  md.push('## Per mutant', '', '| id | line:col | mutator | original => replacement | result |', '|---|---|---|---|---|');
  for (const o of outcomes) {
    const m = o.mutant;
    const head = `| ${m.id} | ${m.line}:${m.col} | ${m.mutator}${m.status === 'NoCoverage' ? ' (no cov.)' : ''} | \`${esc(m.original.replace(/\s+/g, ' ').slice(0, 70))}\` => \`${esc(m.replacement.replace(/\s+/g, ' ').slice(0, 50))}\` |`;
    if (!o.best) {
      md.push(`${head} no body of ${o.tried} changed the answer |`);
      continue;
    }
    const cats = Object.entries(o.byCategory).map(([c, n]) => `${c} ${n}`).join(', ');
    let res = `**KILLED** by ${killText(o.best)}`;
    if (o.bestLibvipsAccepts) res += `; simplest kill libvips accepts: ${killText(o.bestLibvipsAccepts)}`;
    if (o.crash && o.crash !== o.best) res += `; crash: ${killText(o.crash)}`;
    res += ` [${o.kills} of ${o.tried}: ${cats}${o.note ? `; ${o.note}` : ''}]`;
    md.push(`${head} ${res} |`);
  }

  md.push('', '## Summary by check (line)', '', '| line | check | mutants | killed | simplest killing body | libvips alone on it |', '|---|---|---|---|---|---|');
  const lines = current.split('\n');
  const byLine = new Map<number, Outcome[]>();
  for (const o of outcomes) byLine.set(o.mutant.line, [...(byLine.get(o.mutant.line) ?? []), o]);
  for (const [line, os] of byLine) {
    const killed = os.filter((o) => o.best);
    const best = killed.map((o) => o.bestLibvipsAccepts ?? o.best!).sort((a, b) => CATEGORY_RANK[a.body.category] - CATEGORY_RANK[b.body.category] || a.body.bytes.length - b.body.bytes.length)[0];
    const accepted = killed.map((o) => o.bestLibvipsAccepts ?? o.best!).find((k) => k.libvipsOk);
    const k = accepted ?? best;
    const lvCol = !k ? '-' : k.libvipsOk === undefined ? 'decode path' : k.libvipsOk ? 'accepts' : 'refuses';
    md.push(`| ${line} | \`${esc(lines[line - 1]!.trim().slice(0, 80))}\` | ${os.length} | ${killed.length} | ${k ? `${esc(describeBody(k.body))}: ${k.from} -> ${k.to}` : `no change (${Math.max(...os.map((o) => o.tried))} bodies)`} | ${lvCol} |`);
  }

  const crashes = outcomes.filter((o) => o.crash);
  md.push('', '## Crashes (mutant answers 500)', '');
  if (crashes.length === 0) md.push('None.');
  for (const o of crashes) md.push(`- #${o.mutant.id} ${o.mutant.line}:${o.mutant.col} ${o.mutant.mutator} \`${esc(o.mutant.replacement.slice(0, 50))}\`: ${killText(o.crash!)}`);
  const text = md.join('\n') + '\n';
  fs.writeFileSync(REPORT_OUT, text);
  process.stdout.write(text);
}

main().then(
  () => {
    cleanup();
    process.exit(0);
  },
  (e: unknown) => {
    cleanup();
    console.error(e);
    process.exit(1);
  },
);
