/**
 * Damaged bodies are undecodable by construction. For every damage kind (DAMAGE_KINDS), a sample
 * of generated bodies (drawn recipes plus the recipes fast-check tries while shrinking one, down
 * to 1x1 bases) is rejected by libvips (`sharp`, failOn 'warning'), by the format's Debian tool
 * (pngcheck, jpeginfo -c, giftext -p, tiffinfo -D / tiffcp) and by the reference target's
 * validateImage. The kinds whose damage is a missing end marker are accepted by libvips by design
 * and judged by the tool and the target (its hand checks). The undamaged bases pass all three, so
 * the oracles are not rejecting everything.
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
import { crc32 } from '../../src/generate/images/crc32.js';
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

/** Why a body is not shown undecodable, or undefined when every decoder rejects it. */
function notRejected(kind: string, v: Verdicts): string | undefined {
  const missed = [!END_MARKER_KINDS.has(kind) && !v.sharp && 'sharp', !v.tool.rejected && 'tool', !v.target && 'target'].filter(Boolean);
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
      const why = notRejected(kind, v);
      if (why) failures.push(`${why} [${decodedBy(v)}]: recipe seed ${r.seed}, ${body.description}`);
    }
    expect(failures, `${kind}: ${failures.length} of ${recipes.length} decodable (sample seed ${SEED})`).toEqual([]);
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

  it('TIFF: the first strip or tile starts with Clear then code 511 (LZW) or a reserved deflate block', async () => {
    const seen = new Set<number>();
    for (const r of sample('tiff-corrupt-data')) {
      const b = (await renderInvalidBody(r)).bytes;
      const s = readTiffStructure(b);
      const entry = (tags: number[]) => s.ifds[0]!.entries.find((e) => tags.includes(e.tag))!;
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
    }
    expect([...seen].sort()).toEqual([5, 8]);
  });
});
