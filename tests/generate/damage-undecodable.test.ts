/**
 * Damaged bodies are undecodable by construction. For every damage kind (DAMAGE_KINDS), a sample
 * of generated bodies (drawn recipes plus the recipes fast-check tries while shrinking one, down
 * to 1x1 bases) is rejected by libvips (`sharp`, failOn 'warning'), by the format's Debian tool
 * (pngcheck, jpeginfo -c, giftext -p, tiffinfo -D / tiffcp) and by the reference target's
 * validateImage. The undamaged bases pass all three, so the oracles are not rejecting everything.
 * Where the damage lies on a later page or frame, libvips is asked for every page (one by one,
 * as the reference target decodes them). Known exceptions, measured:
 *  - libvips decodes by design what it never reads, so the tool and the target judge: a missing
 *    end marker (png-no-iend, jpeg-no-eoi, gif-no-trailer); a PNG cut inside the header of a
 *    chunk after the last IDAT (the pixels are whole); a bad CRC on IEND or PLTE (libspng skips
 *    the CRC of IEND); a TIFF XResolution, YResolution or Software value past the end (libtiff:
 *    "IO error during reading of ...; tag ignored").
 *  (A TIFF whose last IFD is cut inside its next-IFD field is not generated: libvips, tiffinfo,
 *    tiffcp and ImageMagick all read it, so a server that takes it does what every decoder does.)
 *
 * A larger sample: `node --import tsx bench/damage-sample.ts` (numbers in its output).
 * Under CI=true a missing tool fails the test; elsewhere the test is skipped and says why.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  commandPath,
  DAMAGED_KINDS,
  decodedBy,
  drawnRecipes,
  END_MARKER_KINDS,
  FORMAT_TOOLS,
  lenientlyDecodes,
  scratch,
  shrunkRecipes,
  targetContext,
  TIFFCP,
  verdicts,
  type Verdicts,
} from '../../bench/damage-sample.js';
import sharp from 'sharp';
import { crc32 } from '../../src/generate/images/crc32.js';
import { walkGif } from '../../src/generate/images/gif-blocks.js';
import { renderImage } from '../../src/generate/images/index.js';
import { readTiffStructure, tiffEntryValues } from '../../src/generate/images/tiff-structure.js';
import type { ImageFormat } from '../../src/generate/images/types.js';
import { invalidBodyRecipe, renderInvalidBody } from '../../src/generate/invalid-bodies/index.js';
import { jpegStructure, pngChunks } from '../../src/generate/invalid-bodies/structure.js';
import type { TargetContext } from '../../src/target/types.js';

/** Fixed seed of every sample here; printed so a failure can be replayed with the bench script. */
const SEED = 20261130;
/** Drawn recipes per kind (the shrink path adds about ten more, down to the smallest base). */
const DRAWN = 40;

const inCi = ['true', '1'].includes(String(process.env.CI ?? '').toLowerCase());

/** The tools one format needs; TIFF also needs tiffcp (tiffinfo is blind to tiles past the end). */
function toolsOf(format: ImageFormat): { command: string; pkg: string }[] {
  return format === 'tiff' ? [FORMAT_TOOLS.tiff, TIFFCP] : [FORMAT_TOOLS[format]];
}

function missingTools(format: ImageFormat): string[] {
  return toolsOf(format).filter((t) => !commandPath(t.command)).map((t) => `${t.command} (apt-get install -y ${t.pkg})`);
}

/** A test that fails under CI when its tool is missing, and is skipped (saying why) elsewhere. */
function itWithTools(title: string, format: ImageFormat, body: () => Promise<void>): void {
  const missing = missingTools(format);
  if (missing.length === 0) {
    it(title, body);
  } else if (inCi) {
    it(title, () => {
      throw new Error(`missing decoder: ${missing.join(', ')}; CI must install it`);
    });
  } else {
    const reason = `SKIPPED: ${missing.join(', ')} not installed`;
    console.warn(`${title}: ${reason}`);
    it.skip(`${title} [${reason}]`, body);
  }
}

let ctx: TargetContext;
const files = scratch();
beforeAll(async () => {
  ctx = await targetContext();
  console.log(`damage-undecodable: seed ${SEED}, ${DRAWN} drawn recipes per kind plus the shrink path of seed ${SEED}`);
});
afterAll(() => files.remove());

/** Kinds whose damage lies on a later page or frame: libvips decodes every page (see allPagesRejected). */
const LATER_PAGE_KINDS: ReadonlySet<string> = new Set(['gif-corrupt-later-frame', 'tiff-corrupt-later-page']);
/** Kinds libvips decodes by design (see the header); judged by the tool and the target. */
const LIBVIPS_TOLERATES: ReadonlySet<string> = new Set([...END_MARKER_KINDS, 'png-bad-crc-other-chunk', 'tiff-value-past-end']);
/** Kinds the format's Debian tool decodes as well (see the header): judged by the target alone. */
const TOOL_TOLERATES: ReadonlySet<string> = new Set<string>();

/** A PNG cut inside the header of a chunk after its last IDAT: libvips has every pixel. */
function cutAfterImageData(body: Uint8Array, base: Uint8Array): boolean {
  const idats = (b: Uint8Array) => pngChunks(b).filter((c) => c.type === 'IDAT' && c.crcAt + 4 <= b.length).length;
  return idats(body) === idats(base);
}

/** libvips on every page (GIF: all frames at once; TIFF: page by page, as the reference target): true = rejected. */
async function allPagesRejected(bytes: Uint8Array, format: ImageFormat): Promise<boolean> {
  try {
    if (format === 'gif') await sharp(bytes, { failOn: 'warning', pages: -1 }).stats();
    else for (let page = 0; page < readTiffStructure(bytes).ifds.length; page++) await sharp(bytes, { failOn: 'warning', page }).stats();
    return false;
  } catch {
    return true;
  }
}

/** Why a body is not shown undecodable, or undefined when every decoder rejects it. */
function notRejected(kind: string, v: Verdicts, libvipsMayDecode: boolean): string | undefined {
  const missed = [!libvipsMayDecode && !v.sharp && 'sharp', !TOOL_TOLERATES.has(kind) && !v.tool.rejected && 'tool', !v.target && 'target'].filter(Boolean);
  return missed.length ? `decoded by ${missed.join('+')}` : undefined;
}

describe.each(DAMAGED_KINDS.map((k) => [k.kind, k.format] as const))('%s', (kind, format) => {
  itWithTools(`every body is rejected by sharp, the ${FORMAT_TOOLS[format].command} tool and the reference target`, format, async () => {
    const recipes = [...drawnRecipes(kind, SEED, DRAWN), ...(await shrunkRecipes(kind, SEED))];
    const sizes = new Set(recipes.map((r) => `${r.base!.width}x${r.base!.height}`));
    expect(sizes.has('1x1'), `the sample reaches a 1x1 base (sizes: ${[...sizes].join(' ')})`).toBe(true);
    const failures: string[] = [];
    for (const r of recipes) {
      const body = await renderInvalidBody(r);
      const v = await verdicts(body.bytes, format, files.write(body.bytes, format), ctx);
      if (LATER_PAGE_KINDS.has(kind)) v.sharp = await allPagesRejected(body.bytes, format);
      const tolerated = LIBVIPS_TOLERATES.has(kind) || (kind === 'png-cut-in-chunk-header' && cutAfterImageData(body.bytes, (await renderImage(r.base!)).bytes));
      const why = notRejected(kind, v, tolerated);
      if (why) failures.push(`${why} [${decodedBy(v)}]: recipe seed ${r.seed}, ${body.description}`);
    }
    expect(failures, `${kind}: ${failures.length} of ${recipes.length} decodable (sample seed ${SEED})`).toEqual([]);
  });
});

describe.each([...LATER_PAGE_KINDS].map((k) => [k] as const))('%s', (kind) => {
  const format = kind.split('-')[0] as ImageFormat;
  it('the first page or frame decodes (libvips, first page only): the damage is where only a decoder of every page looks', async () => {
    const failures: string[] = [];
    for (const r of drawnRecipes(kind, SEED, 20)) {
      const body = await renderInvalidBody(r);
      const firstPage = await sharp(body.bytes, { failOn: 'warning' }).stats().then(() => true, () => false);
      if (!firstPage) failures.push(body.description);
      expect(await allPagesRejected(body.bytes, format), body.description).toBe(true);
    }
    expect(failures).toEqual([]);
  });
});

describe.each((['png', 'jpeg', 'gif', 'tiff'] as const).map((f) => [f] as const))('the oracles accept undamaged %s bases', (format) => {
  itWithTools('sharp, the tool and the reference target pass the bases the damage starts from', format, async () => {
    const kinds = DAMAGED_KINDS.filter((k) => k.format === format).map((k) => k.kind);
    const bases = kinds.flatMap((kind) => drawnRecipes(kind, SEED, 3).map((r) => r.base!));
    const failures: string[] = [];
    for (const base of bases) {
      const img = await renderImage(base);
      const v = await verdicts(img.bytes, format, files.write(img.bytes, format), ctx);
      if (v.sharp || v.tool.rejected || v.target) failures.push(`${img.description}: sharp ${v.sharp}, tool ${v.tool.rejected} (${v.tool.out.trim().slice(0, 160)}), target ${v.target}`);
    }
    expect(failures).toEqual([]);
  });
});

describe('corrupt data is undecodable by construction (read from the bytes)', () => {
  const sample = (kind: string, numRuns = 30) => fc.sample(invalidBodyRecipe({ kinds: [kind] }), { numRuns, seed: SEED });

  it('PNG: the first deflate block is of the reserved type 3, and the IDAT CRC matches', async () => {
    for (const r of sample('png-corrupt-data')) {
      const b = (await renderInvalidBody(r)).bytes;
      const idat = pngChunks(b).find((c) => c.type === 'IDAT')!;
      expect((b[idat.dataStart + 2]! >> 1) & 3, r.base!.variant).toBe(3);
      expect(new DataView(b.buffer, b.byteOffset).getUint32(idat.crcAt)).toBe(crc32(b, idat.offset + 4, idat.crcAt));
    }
  });

  it('JPEG: the scan starts with 64 one-bits (FF 00 stuffed), which no Huffman table decodes', async () => {
    for (const r of sample('jpeg-corrupt-data')) {
      const b = (await renderInvalidBody(r)).bytes;
      const s = jpegStructure(b);
      expect([...b.subarray(s.scanStart, s.scanStart + 16)]).toEqual(Array.from({ length: 16 }, (_, i) => (i % 2 === 0 ? 0xff : 0)));
    }
  });

  it('a lenient reader (stops once it has the pixels) fails on every corrupt PNG and TIFF stream, and reads the undamaged ones', async () => {
    // Sides 1..4 as well as drawn sizes: a few pixels of scrambled codes are what such readers took for good data.
    for (const kind of ['png-corrupt-data', 'tiff-corrupt-data']) {
      for (const [i, r] of sample(kind, 200).entries()) {
        const tiny = { ...r, base: { ...r.base!, width: 1 + (i % 4), height: 1 + (Math.floor(i / 4) % 4) } };
        for (const recipe of [r, tiny]) {
          const body = await renderInvalidBody(recipe);
          expect(lenientlyDecodes(kind, body.bytes), body.description).toBe(false);
          // The control: the same reader decodes the base, so it is a reader and not a refusal.
          const base = (await renderImage(recipe.base!)).bytes;
          expect(lenientlyDecodes(kind, base), `undamaged base of ${body.description}`).toBe(true);
        }
      }
    }
  });

  it.each([
    ['tiff-corrupt-data', 'first'],
    ['tiff-corrupt-later-page', 'last'],
  ] as const)('TIFF %s: the first strip or tile of the %s page starts with Clear then code 511 (LZW) or a reserved deflate block', async (kind, which) => {
    const seen = new Set<number>();
    for (const r of sample(kind)) {
      const b = (await renderInvalidBody(r)).bytes;
      const s = readTiffStructure(b);
      if (which === 'last') expect(s.ifds.length, r.base!.variant).toBeGreaterThanOrEqual(2);
      const page = which === 'first' ? s.ifds[0]! : s.ifds[s.ifds.length - 1]!;
      const entry = (tags: number[]) => page.entries.find((e) => tags.includes(e.tag))!;
      const start = tiffEntryValues(b, s.littleEndian, entry([273, 324]))[0]!;
      const scheme = tiffEntryValues(b, s.littleEndian, entry([259]))[0]!;
      seen.add(scheme);
      if (scheme === 5) {
        const bits = ((b[start]! << 16) | (b[start + 1]! << 8) | b[start + 2]!) >>> 6;
        expect([bits >>> 9, bits & 0x1ff]).toEqual([256, 511]);
      } else {
        expect(scheme).toBe(8);
        expect((b[start + 2]! >> 1) & 3).toBe(3);
      }
      if (which === 'last') {
        // The first page is the base's, byte for byte.
        const base = (await renderImage(r.base!)).bytes;
        const first = s.ifds[0]!;
        const data = (bytes: Uint8Array) => {
          const at = (tags: number[]) => tiffEntryValues(bytes, s.littleEndian, first.entries.find((e) => tags.includes(e.tag))!);
          const offs = at([273, 324]);
          const counts = at([279, 325]);
          return offs.map((o, k) => Buffer.from(bytes.subarray(o, o + counts[k]!)).toString('hex')).join();
        };
        expect(data(b)).toBe(data(base));
      }
    }
    expect([...seen].sort()).toEqual([5, 8]);
  });

  it('GIF: the last frame starts with Clear then the largest code of the first width (beyond the table); the frames before it are the base\'s', async () => {
    for (const r of sample('gif-corrupt-later-frame')) {
      const b = (await renderInvalidBody(r)).bytes;
      const base = (await renderImage(r.base!)).bytes;
      const images = walkGif(b).blocks.filter((x) => x.kind === 'image');
      expect(images.length, r.base!.variant).toBeGreaterThanOrEqual(2);
      const last = images[images.length - 1]!;
      expect(Buffer.compare(Buffer.from(b.subarray(0, last.dataOffset + 2)), Buffer.from(base.subarray(0, last.dataOffset + 2)))).toBe(0);
      const m = b[last.dataOffset]!;
      const bits = b[last.dataOffset + 2]! | (b[last.dataOffset + 3]! << 8) | (b[last.dataOffset + 4]! << 16);
      const mask = (1 << (m + 1)) - 1;
      expect([bits & mask, (bits >> (m + 1)) & mask]).toEqual([1 << m, mask]);
      // After a Clear the table ends at End (2^m + 1); 2^m + 2 would be the next code, and the mask lies beyond it.
      expect(mask).toBeGreaterThan((1 << m) + 2);
    }
  });
});
