/**
 * Every invalid-body kind: rejected by libvips in strict mode, or (where libvips is lenient)
 * shown to be what its class says by reading the bytes.
 */
import fc from 'fast-check';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { walkGif } from '../../src/generate/images/gif-blocks.js';
import { sniffImageFormat } from '../../src/generate/images/media-types.js';
import { readTiffStructure, tiffEntryValues } from '../../src/generate/images/tiff-structure.js';
import { INVALID_BODY_KINDS, invalidBodyRecipe, renderInvalidBody } from '../../src/generate/invalid-bodies/index.js';
import { jpegStructure, pngChunks } from '../../src/generate/invalid-bodies/structure.js';
import type { GeneratedInvalidBody } from '../../src/generate/images/types.js';

async function strictlyRejected(bytes: Uint8Array): Promise<boolean> {
  try {
    await sharp(bytes, { failOn: 'warning', pages: -1 }).raw().toBuffer();
    return false;
  } catch {
    return true;
  }
}

async function headerReadable(body: GeneratedInvalidBody): Promise<boolean> {
  try {
    const m = await sharp(body.bytes).metadata();
    return m.width === body.recipe.base!.width && m.height === body.recipe.base!.height;
  } catch {
    // libnsgif decodes every frame to answer metadata, so GIF data damage fails there; read the
    // header ourselves: signature, logical screen size, and at least one image descriptor.
    if (body.recipe.format !== 'gif') return false;
    const b = body.bytes;
    const w = b[6]! | (b[7]! << 8);
    const h = b[8]! | (b[9]! << 8);
    return sniffImageFormat(b) === 'gif' && w === body.recipe.base!.width && h === body.recipe.base!.height && b.length > 13;
  }
}

/** What the bytes say the dimensions are, read independently of the code that patched them. */
function declaredSize(body: GeneratedInvalidBody): [number, number] {
  const b = body.bytes;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  switch (body.recipe.format) {
    case 'png': return [dv.getUint32(16), dv.getUint32(20)];
    case 'jpeg': { const s = jpegStructure(b).sof; return [dv.getUint16(s.offset + 7), dv.getUint16(s.offset + 5)]; }
    case 'gif': return [dv.getUint16(6, true), dv.getUint16(8, true)];
    default: {
      const s = readTiffStructure(b);
      const v = (t: number) => tiffEntryValues(b, s.littleEndian, s.ifds[0]!.entries.find((e) => e.tag === t)!)[0]!;
      return [v(256), v(257)];
    }
  }
}

const SAMPLES = 12;

describe.each(INVALID_BODY_KINDS.map((k) => [k.class, k.kind] as const))('%s / %s', (cls, kind) => {
  it('renders bodies of its class that are invalid', async () => {
    const recipes = fc.sample(invalidBodyRecipe({ kinds: [kind] }), { numRuns: SAMPLES, seed: 7 });
    let strict = 0;
    for (const r of recipes) {
      const body = await renderInvalidBody(r);
      expect(body.recipe.class).toBe(cls);
      expect(body.recipe.kind).toBe(kind);
      expect(body.description).toMatch(new RegExp(`^${cls}: `));
      const rejected = await strictlyRejected(body.bytes);
      if (rejected) strict++;
      switch (cls) {
        case 'empty':
          expect(body.bytes.length).toBe(0);
          break;
        case 'no-signature':
          expect(body.bytes.length).toBeGreaterThan(0);
          expect(sniffImageFormat(body.bytes), body.description).toBeUndefined();
          break;
        case 'incomplete-header':
          expect(sniffImageFormat(body.bytes), body.description).toBe(r.format);
          expect(rejected, body.description).toBe(true);
          break;
        case 'zero-dimension': {
          const [w, h] = declaredSize(body);
          const which = kind.split('-').at(-1);
          if (which !== 'height') expect(w, body.description).toBe(0);
          if (which !== 'width') expect(h, body.description).toBe(0);
          if (which === 'width') expect(h).toBe(r.base!.height);
          if (which === 'height') expect(w).toBe(r.base!.width);
          if (r.format === 'png') {
            // Only the dimension is wrong: every CRC still matches.
            const { crc32 } = await import('../../src/generate/images/crc32.js');
            const dv = new DataView(body.bytes.buffer, body.bytes.byteOffset);
            for (const c of pngChunks(body.bytes)) expect(dv.getUint32(c.crcAt)).toBe(crc32(body.bytes, c.offset + 4, c.crcAt));
          }
          break;
        }
        case 'damaged':
          expect(sniffImageFormat(body.bytes), body.description).toBe(r.format);
          expect(await headerReadable(body), `readable header: ${body.description}`).toBe(true);
          break;
      }
    }
    // Where libvips is strict about the class, every sample must be rejected. Known lenient spots
    // (measured): PNG without IEND, GIF without trailer, zero-size GIF screens, JPEG without EOI,
    // SVG/WebP (other formats libvips reads).
    const lenient = ['svg', 'webp', 'png-no-iend', 'gif-no-trailer', 'gif-zero-width', 'gif-zero-height', 'gif-zero-both', 'jpeg-no-eoi'];
    if (!lenient.includes(kind)) expect(strict, `${kind}: strictly rejected ${strict}/${recipes.length}`).toBe(recipes.length);
  });
});

describe('damage is aimed where it says', () => {
  it('missing end markers are really missing, and only them', async () => {
    for (const kind of ['png-no-iend', 'jpeg-no-eoi', 'gif-no-trailer']) {
      for (const r of fc.sample(invalidBodyRecipe({ kinds: [kind] }), { numRuns: 5, seed: 3 })) {
        const body = await renderInvalidBody(r);
        const b = body.bytes;
        if (kind === 'png-no-iend') expect(pngChunks(b).some((c) => c.type === 'IEND')).toBe(false);
        if (kind === 'jpeg-no-eoi') expect(b[b.length - 2] === 0xff && b[b.length - 1] === 0xd9).toBe(false);
        if (kind === 'gif-no-trailer') expect(walkGif(b).blocks.some((x) => x.kind === 'trailer')).toBe(false);
      }
    }
  });

  it('TIFF offsets really point past the end', async () => {
    for (const r of fc.sample(invalidBodyRecipe({ kinds: ['tiff-offset-past-end'] }), { numRuns: 8, seed: 5 })) {
      const b = (await renderInvalidBody(r)).bytes;
      const s = readTiffStructure(b);
      const e = s.ifds[0]!.entries.find((x) => x.tag === 273 || x.tag === 324)!;
      expect(Math.max(...tiffEntryValues(b, s.littleEndian, e))).toBeGreaterThan(b.length);
    }
  });
});

describe('invalidBodyRecipe', () => {
  it('covers every class by default and shrinks to the empty body', () => {
    const seen = new Set(fc.sample(invalidBodyRecipe(), { numRuns: 300, seed: 1 }).map((r) => r.class));
    expect([...seen].sort()).toEqual(['damaged', 'empty', 'incomplete-header', 'no-signature', 'zero-dimension']);
    const out = fc.check(fc.property(invalidBodyRecipe(), () => false), { seed: 2 });
    expect(out.failed).toBe(true);
    expect((out.counterexample?.[0] as { class: string } | undefined)?.class).toBe('empty');
  });

  it('honours class and format constraints', () => {
    for (const r of fc.sample(invalidBodyRecipe({ classes: ['damaged'], formats: ['tiff'] }), { numRuns: 50, seed: 1 })) {
      expect(r.class).toBe('damaged');
      expect(r.format).toBe('tiff');
    }
  });

  it('is deterministic', async () => {
    for (const r of fc.sample(invalidBodyRecipe(), { numRuns: 40, seed: 11 })) {
      const a = await renderInvalidBody(r);
      const b = await renderInvalidBody(structuredClone(r));
      expect(Buffer.compare(Buffer.from(a.bytes), Buffer.from(b.bytes)), a.description).toBe(0);
    }
  });
});
