/** The arbitraries: coverage, determinism, shrinking, size distribution; and media types. */
import fc from 'fast-check';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { describeImage, formatOfMediaType, mediaTypesByFormat, renderImage, sniffImageFormat, validImageRecipe } from '../../src/generate/images/index.js';

describe('formatOfMediaType', () => {
  it('maps by subtype, ignoring case and parameters', () => {
    expect(formatOfMediaType('image/png')).toBe('png');
    expect(formatOfMediaType('IMAGE/JPEG; q=0.9')).toBe('jpeg');
    expect(formatOfMediaType('image/gif')).toBe('gif');
    expect(formatOfMediaType(' image/tiff ')).toBe('tiff');
    expect(formatOfMediaType('image/webp')).toBeUndefined();
    expect(formatOfMediaType('application/png')).toBeUndefined();
    expect(formatOfMediaType('multipart/form-data')).toBeUndefined();
    expect([...mediaTypesByFormat(['image/png', 'image/jpeg', 'image/gif', 'image/tiff', 'multipart/form-data']).keys()]).toEqual(['png', 'jpeg', 'gif', 'tiff']);
  });
});

describe('validImageRecipe', () => {
  it('renders a random sample of every format that libvips decodes strictly, with its declared signature', async () => {
    const recipes = fc.sample(validImageRecipe({ maxDimension: 300 }), { numRuns: 120, seed: 99 });
    expect(new Set(recipes.map((r) => r.format)).size).toBe(4);
    for (const r of recipes) {
      const img = await renderImage(r);
      expect(sniffImageFormat(img.bytes), img.description).toBe(r.format);
      const raw = await sharp(img.bytes, { failOn: 'warning' }).raw().toBuffer({ resolveWithObject: true });
      expect(raw.info.width, img.description).toBe(r.width);
    }
  });

  it('describes images like "PNG palette 4-bit interlaced 17x13 (1.2 KiB)"', () => {
    const r = { format: 'png' as const, variant: 'palette-4bit-interlaced', width: 17, height: 13, pixelSeed: 1, options: { colour: 'palette', bitDepth: 4, interlaced: true, paletteAlpha: false } };
    expect(describeImage(r, 1229)).toBe('PNG palette 4-bit interlaced 17x13 (1.2 KiB)');
  });

  it('is deterministic: the same recipe gives the same bytes', async () => {
    for (const r of fc.sample(validImageRecipe({ maxDimension: 200 }), { numRuns: 60, seed: 5 })) {
      const a = await renderImage(r);
      const b = await renderImage(structuredClone(r));
      expect(Buffer.compare(Buffer.from(a.bytes), Buffer.from(b.bytes)), a.description).toBe(0);
    }
  });

  it('honours format and size constraints; large images are rare by default', () => {
    const only = fc.sample(validImageRecipe({ formats: ['gif'], maxDimension: 40 }), { numRuns: 200, seed: 1 });
    expect(only.every((r) => r.format === 'gif' && r.width <= 40 && r.height <= 40)).toBe(true);
    const all = fc.sample(validImageRecipe(), { numRuns: 2000, seed: 3 });
    const large = all.filter((r) => r.width > 512 && r.height > 512).length / all.length;
    const small = all.filter((r) => r.width <= 64 && r.height <= 64).length / all.length;
    expect(large).toBeGreaterThan(0.005);
    expect(large).toBeLessThan(0.1);
    expect(small).toBeGreaterThan(0.6);
    expect(all.some((r) => r.width === 1 && r.height === 1)).toBe(true);
    expect(Math.max(...all.map((r) => Math.max(r.width, r.height)))).toBeLessThanOrEqual(2048);
    const big = fc.sample(validImageRecipe({ largeWeight: 1000 }), { numRuns: 20, seed: 4 });
    expect(big.filter((r) => r.width > 512).length).toBeGreaterThan(10);
  });

  it('shrinks a failing property to a small, simple image', () => {
    // A "server" that refuses any image wider than 100 pixels or any interlaced image.
    const out = fc.check(
      fc.property(validImageRecipe(), (r) => r.width <= 100 && r.options.interlaced !== true),
      { seed: 42, numRuns: 500 },
    );
    expect(out.failed).toBe(true);
    const r = out.counterexample![0];
    // Minimal counterexamples: either 101 wide, or a 1x1 interlaced image.
    const minimal = (r.width === 101 && r.height === 1) || (r.width === 1 && r.height === 1 && r.options.interlaced === true);
    expect(minimal, JSON.stringify(r)).toBe(true);
    expect(r.format).toBe('png');
  });

  it('renders a 2048x2048 photo-like image of several MiB', async () => {
    const img = await renderImage({ format: 'png', variant: 'rgb-8bit', width: 2048, height: 2048, pixelSeed: 3, options: { colour: 'rgb', bitDepth: 8, interlaced: false, paletteAlpha: false } });
    expect(img.bytes.length).toBeGreaterThan(3 * 1024 * 1024);
    const meta = await sharp(img.bytes).metadata();
    expect([meta.width, meta.height]).toEqual([2048, 2048]);
  });
});
