/**
 * Are damaged bodies undecodable? Renders a large sample of every damage kind (DAMAGE_KINDS,
 * recipes from `invalidBodyRecipe`, so over the whole range of base images the generator
 * draws) and decodes each body with independent decoders:
 *   - sharp (libvips): `sharp(bytes, { failOn: 'warning' }).raw().toBuffer()`;
 *   - the Debian tool of the format: `pngcheck -q`, `jpeginfo -c`, `giftext -p` (decodes the
 *     LZW data), `tiffinfo -D` (reads every strip and tile);
 *   - ImageMagick 6 `identify -regard-warnings`;
 *   - the reference target's `validateImage` (sharp plus hand checks).
 * It prints, per kind, how many of N each decoder decoded cleanly (a false "damaged" verdict).
 *
 *   node --import tsx bench/damage-sample.ts [perSeed=50] [seeds=8] [kind...]
 *
 * The oracles are exported for tests/generate/damage-undecodable.test.ts.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { constants as zlibConstants, inflateSync } from 'node:zlib';
import fc from 'fast-check';
import sharp from 'sharp';
import { describeImage, renderImage } from '../src/generate/images/index.js';
import type { ImageFormat, InvalidBodyRecipe } from '../src/generate/images/types.js';
import { readTiffStructure, tiffEntryValues } from '../src/generate/images/tiff-structure.js';
import { DAMAGE_KINDS, invalidBodyRecipe, renderInvalidBody } from '../src/generate/invalid-bodies/index.js';
import { pngChunks } from '../src/generate/invalid-bodies/structure.js';
import { loadSpec } from '../src/spec/load.js';
import { validateImage } from '../src/target/image-validation.js';
import { ImageStore } from '../src/target/store.js';
import type { TargetContext } from '../src/target/types.js';

/** Every damage kind as `<format>-<kind>`, with its format. */
export const DAMAGED_KINDS: readonly { kind: string; format: ImageFormat }[] = (Object.keys(DAMAGE_KINDS) as ImageFormat[]).flatMap((format) =>
  DAMAGE_KINDS[format].map((k) => ({ kind: `${format}-${k}`, format })),
);

/** The Debian tool that decodes each format, its arguments, and its package. */
export const FORMAT_TOOLS: Record<ImageFormat, { command: string; args: readonly string[]; pkg: string }> = {
  png: { command: 'pngcheck', args: ['-q'], pkg: 'pngcheck' },
  jpeg: { command: 'jpeginfo', args: ['-c'], pkg: 'jpeginfo' },
  gif: { command: 'giftext', args: ['-p'], pkg: 'giflib-tools' },
  tiff: { command: 'tiffinfo', args: ['-D'], pkg: 'libtiff-tools' },
};
/** libtiff's copier, as the second reader of TIFF strips and tiles (same package as tiffinfo). */
export const TIFFCP = { command: 'tiffcp', args: [], pkg: 'libtiff-tools' } as const;
/** ImageMagick 6 by its versioned name: `/usr/local/bin/convert` here is a stand-in that does nothing. */
export const IDENTIFY = { command: 'identify-im6.q16', args: ['-regard-warnings'], pkg: 'imagemagick' } as const;

/** The path of a command, or undefined when it is not installed. */
export function commandPath(name: string): string | undefined {
  const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() ? r.stdout.trim() : undefined;
}

export interface ToolResult {
  /** True when the tool reported an error or a warning (or did not finish in time). */
  rejected: boolean;
  out: string;
}

function runTool(command: string, args: readonly string[], ...paths: string[]): Promise<{ status: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args, ...paths], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 });
    let out = '';
    let err = '';
    // giftext -p prints every pixel: keep only the head and the tail of its output.
    child.stdout.on('data', (d: Buffer) => (out = (out + d.toString('latin1')).slice(-4000)));
    child.stderr.on('data', (d: Buffer) => (err += d.toString('latin1')));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, out: `${err}\n${out}` }));
  });
}

/**
 * The format's Debian tool on a file. Exit status alone is not enough: `tiffinfo -D` reports
 * undecodable strips on stderr and still exits 0, `jpeginfo -c` marks a file `WARNING` or
 * `ERROR` (status 1 for both).
 */
export async function formatToolRejects(format: ImageFormat, path: string): Promise<ToolResult> {
  const t = FORMAT_TOOLS[format];
  const { status, out } = await runTool(t.command, t.args, path);
  let rejected = status !== 0;
  if (format === 'jpeg') rejected ||= /\b(WARNING|ERROR)\b/.test(out);
  if (format === 'tiff') {
    rejected ||= /error|warning/i.test(out);
    if (!rejected) {
      // tiffinfo reads a memory-mapped file, and libtiff then gives up on a tile whose offset or
      // byte count lies past the end without a word (TIFFFillTile); tiffcp reads every strip and
      // tile of every page the same way and says "can't read tile".
      const cp = await runTool(TIFFCP.command, [...TIFFCP.args, path], `${path}.copy.tif`);
      rejected = cp.status !== 0 || /error/i.test(cp.out);
      return { rejected, out: `${out}\n${cp.out}` };
    }
  }
  return { rejected, out };
}

export async function identifyRejects(path: string): Promise<ToolResult> {
  const { status, out } = await runTool(IDENTIFY.command, IDENTIFY.args, path);
  return { rejected: status !== 0, out };
}

/** libvips as the brief's decoder: the first page, every pixel, warnings are failures. */
export async function sharpRejects(bytes: Uint8Array): Promise<boolean> {
  try {
    await sharp(bytes, { failOn: 'warning' }).raw().toBuffer();
    return false;
  } catch {
    return true;
  }
}

/** A context for the reference target's validateImage, built as tests/target does. */
export async function targetContext(): Promise<TargetContext> {
  const { model } = await loadSpec();
  return { model, credentials: {} as TargetContext['credentials'], store: new ImageStore([1]), maxBodyBytes: 1 << 25 };
}

export async function targetRejects(bytes: Uint8Array, ctx: TargetContext): Promise<boolean> {
  return !(await validateImage(Buffer.from(bytes), undefined, ctx)).ok;
}

const EXT: Record<ImageFormat, string> = { png: 'png', jpeg: 'jpg', gif: 'gif', tiff: 'tif' };

/** A temporary directory for the files the tools read; `remove()` deletes it. */
export function scratch(): { write: (bytes: Uint8Array, format: ImageFormat) => string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'damage-sample-'));
  let n = 0;
  return {
    write: (bytes, format) => {
      const path = join(dir, `b${n++}.${EXT[format]}`);
      writeFileSync(path, bytes);
      return path;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface Verdicts {
  sharp: boolean;
  tool: ToolResult;
  identify: ToolResult;
  target: boolean;
}

/** Every decoder's verdict on one body (true = rejected). */
export async function verdicts(bytes: Uint8Array, format: ImageFormat, path: string, ctx: TargetContext): Promise<Verdicts> {
  const [tool, identify] = await Promise.all([formatToolRejects(format, path), identifyRejects(path)]);
  // sharp one at a time: libvips shares decoder-warning state between the threads of a process.
  const s = await sharpRejects(bytes);
  const target = await targetRejects(bytes, ctx);
  return { sharp: s, tool, identify, target };
}

/**
 * Kinds whose damage is a missing end marker. libvips stops reading once it has the pixels, so
 * it accepts them by design (tech notes); the reference target checks them by hand, and its
 * `validateImage` stands in for sharp as the first decoder.
 */
export const END_MARKER_KINDS: ReadonlySet<string> = new Set(['png-no-iend', 'jpeg-no-eoi', 'gif-no-trailer']);

/** Damaged by the brief's measure: the first decoder (sharp, or the target for END_MARKER_KINDS) and the format's tool both reject. */
export function undecodable(kind: string, v: Verdicts): boolean {
  return (END_MARKER_KINDS.has(kind) ? v.target : v.sharp) && v.tool.rejected;
}

/** Which decoders decoded the body cleanly, e.g. "sharp+im6". */
export function decodedBy(v: Verdicts): string {
  return [!v.sharp && 'sharp', !v.tool.rejected && 'tool', !v.identify.rejected && 'im6', !v.target && 'target'].filter(Boolean).join('+');
}

/** `n` recipes of one kind as the generator draws them. */
export function drawnRecipes(kind: string, seed: number, n: number): InvalidBodyRecipe[] {
  return fc.sample(invalidBodyRecipe({ kinds: [kind] }), { numRuns: n, seed });
}

/**
 * The recipes fast-check tries when it shrinks one drawn recipe of `kind` whose property always
 * fails: the greedy path to the smallest recipe (1x1 bases and the simplest variants), which is
 * what the engine sends while it shrinks a counterexample.
 */
export async function shrunkRecipes(kind: string, seed: number): Promise<InvalidBodyRecipe[]> {
  const tried: InvalidBodyRecipe[] = [];
  await fc.check(
    fc.asyncProperty(invalidBodyRecipe({ kinds: [kind] }), async (r) => {
      tried.push(r);
      return false;
    }),
    { seed, numRuns: 1 },
  );
  return tried;
}

// ---- lenient readers: what a decoder that stops once it has the pixels would make of the data ----

/**
 * TIFF LZW (MSB-first, early change) read leniently: it stops with 'ok' as soon as `need` bytes
 * are out (no EOI, no trailing data required) and fails only on a code beyond the table ('bad')
 * or data that ends first ('short'). Such readers took scrambled 1x1 strips for good ones.
 */
export function lenientLzw(data: Uint8Array, need: number): 'ok' | 'bad' | 'short' {
  let bit = 0;
  let width = 9;
  let next = 258;
  let prev: number[] | undefined;
  let out = 0;
  const table: number[][] = [];
  const reset = (): void => {
    table.length = 0;
    for (let i = 0; i < 256; i++) table.push([i]);
    next = 258;
    width = 9;
    prev = undefined;
  };
  reset();
  while (out < need) {
    if (bit + width > data.length * 8) return 'short';
    let code = 0;
    for (let i = 0; i < width; i++, bit++) code = (code << 1) | ((data[bit >> 3]! >> (7 - (bit & 7))) & 1);
    if (code === 256) {
      reset();
      continue;
    }
    if (code === 257) return 'short';
    let entry: number[];
    if (code < 256 || (code >= 258 && code < next)) entry = table[code]!;
    else if (code === next && prev) entry = [...prev, prev[0]!];
    else return 'bad';
    out += entry.length;
    if (prev && next < 4096) table[next++] = [...prev, entry[0]!];
    prev = entry;
    if (next >= (1 << width) - 1 && width < 12) width++;
  }
  return 'ok';
}

/** zlib data inflated leniently (no stream end, no Adler-32 needed): false only on a data error. */
export function lenientInflate(data: Uint8Array): boolean {
  try {
    inflateSync(data, { finishFlush: zlibConstants.Z_SYNC_FLUSH });
    return true;
  } catch {
    return false;
  }
}

/** The first strip or tile of a TIFF's first page, its compression and its size decoded. */
export function firstTiffStrip(b: Uint8Array): { data: Uint8Array; compression: number; need: number } {
  const s = readTiffStructure(b);
  const entries = s.ifds[0]!.entries;
  const value = (tag: number, dflt: number): number => {
    const e = entries.find((x) => x.tag === tag);
    return e ? tiffEntryValues(b, s.littleEndian, e)[0]! : dflt;
  };
  const offsets = entries.find((e) => e.tag === 273 || e.tag === 324)!;
  const counts = entries.find((e) => e.tag === 279 || e.tag === 325)!;
  const start = tiffEntryValues(b, s.littleEndian, offsets)[0]!;
  const count = tiffEntryValues(b, s.littleEndian, counts)[0]!;
  const width = value(256, 0);
  const spp = value(277, 1);
  const tiled = entries.some((e) => e.tag === 322);
  const need = tiled ? value(322, 0) * value(323, 0) * spp : width * Math.min(value(278, value(257, 0)), value(257, 0)) * spp;
  return { data: b.subarray(start, start + count), compression: value(259, 1), need };
}

/** The PNG's image data (all IDAT chunks) as one zlib stream. */
export function pngImageData(b: Uint8Array): Uint8Array {
  return Buffer.concat(pngChunks(b).filter((c) => c.type === 'IDAT').map((c) => b.subarray(c.dataStart, c.crcAt)));
}

/** Whether a lenient reader decodes the damaged stream of a corrupt-data body (undefined: not such a body). */
export function lenientlyDecodes(kind: string, bytes: Uint8Array): boolean | undefined {
  if (kind === 'png-corrupt-data') return lenientInflate(pngImageData(bytes));
  if (kind !== 'tiff-corrupt-data') return undefined;
  const strip = firstTiffStrip(bytes);
  return strip.compression === 5 ? lenientLzw(strip.data, strip.need) === 'ok' : lenientInflate(strip.data);
}

interface Tally {
  n: number;
  sharp: number;
  tool: number;
  identify: number;
  target: number;
  decodable: number;
  lenient: number;
  baseRejected: number;
  examples: string[];
}

async function tally(kind: string, format: ImageFormat, recipes: InvalidBodyRecipe[], ctx: TargetContext, files: ReturnType<typeof scratch>, control: boolean): Promise<Tally> {
  const t: Tally = { n: 0, sharp: 0, tool: 0, identify: 0, target: 0, decodable: 0, lenient: 0, baseRejected: 0, examples: [] };
  for (const r of recipes) {
    const body = await renderInvalidBody(r);
    const v = await verdicts(body.bytes, format, files.write(body.bytes, format), ctx);
    t.n++;
    if (!v.sharp) t.sharp++;
    if (!v.tool.rejected) t.tool++;
    if (!v.identify.rejected) t.identify++;
    if (!v.target) t.target++;
    if (lenientlyDecodes(kind, body.bytes)) t.lenient++;
    if (!undecodable(kind, v)) {
      t.decodable++;
      if (t.examples.length < 3) t.examples.push(`[${decodedBy(v)}] seed ${r.seed}: ${body.description}`);
    }
    if (control) {
      // The undamaged base must pass every decoder, or a rejection proves nothing.
      const base = (await renderImage(r.base!)).bytes;
      const b = await verdicts(base, format, files.write(base, format), ctx);
      if (b.sharp || b.tool.rejected || b.identify.rejected || b.target) {
        t.baseRejected++;
        process.stdout.write(`  base not clean (rejected by all but ${decodedBy(b) || 'none'}): ${describeImage(r.base!)}\n`);
      }
    }
  }
  return t;
}

async function main(): Promise<void> {
  const perSeed = Number(process.argv[2] ?? 50);
  const seeds = Number(process.argv[3] ?? 8);
  const only = process.argv.slice(4);
  const missing = [...Object.values(FORMAT_TOOLS), TIFFCP, IDENTIFY].filter((t) => !commandPath(t.command));
  if (missing.length) throw new Error(`missing: ${missing.map((t) => t.command).join(', ')} (apt-get install -y ${missing.map((t) => t.pkg).join(' ')})`);
  const ctx = await targetContext();
  const files = scratch();
  const started = performance.now();
  try {
    process.stdout.write(`drawn: seeds 1..${seeds} x ${perSeed} recipes; shrunk: the shrink paths of seeds 1..${seeds * 4}\n`);
    process.stdout.write(`columns: bodies DECODED cleanly (not rejected) by each decoder; "decodable" = not rejected by both the first decoder and the tool; "lenient" = corrupt data a lenient reader decodes (stops once it has the pixels; png/tiff-corrupt-data only); "base!" = undamaged bases not clean (control, DAMAGE_CONTROL=1)\n`);
    process.stdout.write(`${'kind'.padEnd(24)} ${'sample'.padEnd(7)} ${'N'.padStart(5)} ${'sharp'.padStart(6)} ${'tool'.padStart(6)} ${'im6'.padStart(6)} ${'target'.padStart(6)} ${'decodable'.padStart(9)} ${'lenient'.padStart(7)} ${'base!'.padStart(5)}  examples\n`);
    for (const { kind, format } of DAMAGED_KINDS) {
      if (only.length && !only.includes(kind)) continue;
      const drawn: InvalidBodyRecipe[] = [];
      for (let seed = 1; seed <= seeds; seed++) drawn.push(...drawnRecipes(kind, seed, perSeed));
      const shrunk: InvalidBodyRecipe[] = [];
      for (let seed = 1; seed <= seeds * 4; seed++) shrunk.push(...(await shrunkRecipes(kind, seed)));
      for (const [name, recipes] of [['drawn', drawn], ['shrunk', shrunk]] as const) {
        const t = await tally(kind, format, recipes, ctx, files, name === 'drawn' && process.env.DAMAGE_CONTROL === '1');
        const cols = [t.n, t.sharp, t.tool, t.identify, t.target].map((x) => String(x).padStart(x === t.n ? 5 : 6)).join(' ');
        process.stdout.write(`${kind.padEnd(24)} ${name.padEnd(7)} ${cols} ${String(t.decodable).padStart(9)} ${String(t.lenient).padStart(7)} ${String(t.baseRejected).padStart(5)}  ${t.examples[0] ?? ''}\n`);
        for (const e of t.examples.slice(1)) process.stdout.write(`${''.padEnd(104)}${e}\n`);
      }
    }
    process.stdout.write(`${((performance.now() - started) / 1000).toFixed(0)} s\n`);
  } finally {
    files.remove();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((e: unknown) => {
    process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  });
}
