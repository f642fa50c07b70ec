/**
 * Every invalid-body kind: rejected by libvips in strict mode, or (where libvips is lenient)
 * shown to be what its class says by reading the bytes.
 */
import fc from 'fast-check';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { walkGif } from '../../src/generate/images/gif-blocks.js';
import { renderImage } from '../../src/generate/images/index.js';
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
    const b = body.bytes;
    const { width, height } = body.recipe.base!;
    const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    switch (body.recipe.format) {
      case 'gif': {
        // libnsgif decodes every frame to answer metadata, so GIF data damage fails there; read the
        // header ourselves: signature, logical screen size, and more than the screen descriptor.
        const w = b[6]! | (b[7]! << 8);
        const h = b[8]! | (b[9]! << 8);
        return sniffImageFormat(b) === 'gif' && w === width && h === height && b.length > 13;
      }
      case 'png': {
        // libvips refuses a PNG that ends before its first IDAT, header and all: a whole IHDR with its CRC.
        const { crc32 } = await import('../../src/generate/images/crc32.js');
        const ihdr = pngChunks(b)[0];
        return ihdr?.type === 'IHDR' && ihdr.crcAt + 4 <= b.length && dv.getUint32(ihdr.crcAt) === crc32(b, ihdr.offset + 4, ihdr.crcAt) && dv.getUint32(16) === width && dv.getUint32(20) === height;
      }
      default:
        return false;
    }
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
          if (kind === 'tiff-no-width' || kind === 'tiff-no-length') {
            // No page has the entry; every other entry of every page is the base's.
            const tag = kind === 'tiff-no-width' ? 256 : 257;
            const pages = readTiffStructure(body.bytes).ifds;
            const before = readTiffStructure((await renderImage(r.base!)).bytes).ifds;
            expect(pages.map((i) => i.entries.map((e) => e.tag)), body.description).toEqual(before.map((i) => i.entries.map((e) => e.tag).filter((t) => t !== tag)));
            break;
          }
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
    // SVG/WebP (other formats libvips reads); a PNG cut in a chunk header after the image data or
    // with a bad CRC on IEND or PLTE (libspng reads neither); a TIFF value libtiff ignores
    // (XResolution, YResolution, Software) past the end. tests/generate/damage-undecodable.test.ts
    // has the other decoders.
    const lenient = [
      'svg', 'webp', 'png-no-iend', 'gif-no-trailer', 'gif-zero-width', 'gif-zero-height', 'gif-zero-both', 'jpeg-no-eoi',
      'png-cut-in-chunk-header', 'png-bad-crc-other-chunk', 'tiff-value-past-end',
    ];
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

describe('the damage at the positions a walk must check is where it says', () => {
  const bodies = async (kind: string, numRuns = 24) => {
    const out: { body: GeneratedInvalidBody; base: Uint8Array }[] = [];
    for (const r of fc.sample(invalidBodyRecipe({ kinds: [kind] }), { numRuns, seed: 13 })) out.push({ body: await renderInvalidBody(r), base: (await renderImage(r.base!)).bytes });
    return out;
  };
  const prefixOf = (b: Uint8Array, base: Uint8Array) => b.length < base.length && Buffer.compare(Buffer.from(b), Buffer.from(base.subarray(0, b.length))) === 0;

  it('png-cut-in-chunk-header: a prefix of the base ending 1-3 bytes into a chunk after IHDR (before and after the image data)', async () => {
    const where = new Set<string>();
    for (const { body, base } of await bodies('png-cut-in-chunk-header')) {
      const b = body.bytes;
      expect(prefixOf(b, base), body.description).toBe(true);
      const cutIn = pngChunks(base).slice(1).find((c) => b.length > c.offset && b.length <= c.offset + 3);
      expect(cutIn, body.description).toBeDefined();
      where.add(cutIn!.type === 'IEND' ? 'IEND' : cutIn!.type === 'IDAT' ? 'IDAT' : 'other');
    }
    expect(where.has('IEND') && where.has('IDAT')).toBe(true);
  });

  it('png-bad-crc-other-chunk: exactly one CRC is wrong, on IEND or PLTE (critical chunks; never IHDR, IDAT or an ancillary chunk)', async () => {
    const { crc32 } = await import('../../src/generate/images/crc32.js');
    const types = new Set<string>();
    for (const { body } of await bodies('png-bad-crc-other-chunk', 40)) {
      const b = body.bytes;
      const dv = new DataView(b.buffer, b.byteOffset);
      const wrong = pngChunks(b).filter((c) => dv.getUint32(c.crcAt) !== crc32(b, c.offset + 4, c.crcAt));
      expect(wrong.length, body.description).toBe(1);
      expect(['IEND', 'PLTE'], body.description).toContain(wrong[0]!.type);
      types.add(wrong[0]!.type);
    }
    expect(types.has('IEND')).toBe(true);
  });

  it('gif-descriptor-cut: a prefix of the base ending 1-8 bytes into the first image descriptor (before its height is whole)', async () => {
    for (const { body, base } of await bodies('gif-descriptor-cut')) {
      const first = walkGif(base).blocks.find((x) => x.kind === 'image')!;
      expect(prefixOf(body.bytes, base), body.description).toBe(true);
      expect(body.bytes.length - first.offset, body.description).toBeGreaterThanOrEqual(1);
      expect(body.bytes.length - first.offset, body.description).toBeLessThanOrEqual(8);
    }
  });

  it('tiff-value-past-end: an XResolution, YResolution or Software value starts at the end or 4 bytes before it', async () => {
    for (const { body } of await bodies('tiff-value-past-end')) {
      const b = body.bytes;
      const past = readTiffStructure(b).ifds.flatMap((i) => i.entries).filter((e) => e.valueAt + e.byteLength > b.length);
      expect(past.length, body.description).toBe(1);
      expect([282, 283, 305]).toContain(past[0]!.tag);
      expect([b.length, b.length - 4]).toContain(past[0]!.valueAt);
    }
  });

  it.each(['jpeg-incomplete-header', 'jpeg-cut-in-segment-header', 'jpeg-cut-in-sof', 'jpeg-short-sof'])('%s: ends before the frame header (SOF) is whole, where its kind says', async (kind) => {
    for (const { body, base } of await bodies(kind)) {
      const b = body.bytes;
      const s = jpegStructure(base);
      const sof = s.sof;
      if (kind === 'jpeg-short-sof') {
        // The base up to SOF, then SOF's marker, a length of 2 to 6 and as many bytes as it says.
        expect(Buffer.compare(Buffer.from(b.subarray(0, sof.offset + 2)), Buffer.from(base.subarray(0, sof.offset + 2))), body.description).toBe(0);
        const length = (b[sof.offset + 2]! << 8) | b[sof.offset + 3]!;
        expect(length, body.description).toBeGreaterThanOrEqual(2);
        expect(length, body.description).toBeLessThanOrEqual(6);
        expect(b.length).toBe(sof.offset + 2 + length);
        continue;
      }
      expect(prefixOf(b, base), body.description).toBe(true);
      expect(b.length, body.description).toBeLessThan(sof.end);
      if (kind === 'jpeg-incomplete-header') expect(b.length, body.description).toBeGreaterThanOrEqual(3);
      if (kind === 'jpeg-cut-in-sof') expect(b.length - sof.offset, body.description).toBeGreaterThanOrEqual(4);
      if (kind === 'jpeg-cut-in-sof') expect(b.length - sof.offset, body.description).toBeLessThanOrEqual(8);
      if (kind === 'jpeg-cut-in-segment-header') expect(s.segments.some((x) => x.offset <= sof.offset && b.length > x.offset && b.length <= x.offset + 3), body.description).toBe(true);
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
