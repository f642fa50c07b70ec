/**
 * Every valid variant, at a few sizes, rendered and checked by decoders that did not encode it:
 * sharp/libvips (for pngjs, omggif, jpeg-js, utif2 and png-writer output), and the Debian
 * command-line tools pngcheck, jpeginfo, giftext, tiffinfo and ImageMagick identify. The declared
 * properties of each variant (interlace flags, SOF2, restart markers, EXIF, 87a, 'MM', tiles,
 * pages, compression) are read back from the bytes.
 */
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { walkGif } from '../../src/generate/images/gif-blocks.js';
import { renderImage } from '../../src/generate/images/index.js';
import { synthPixels8 } from '../../src/generate/images/pixels.js';
import { readTiffStructure, tiffEntryValues } from '../../src/generate/images/tiff-structure.js';
import type { GeneratedImage, ImageFormat, ImageRecipe } from '../../src/generate/images/types.js';
import { jpegStructure, pngChunks } from '../../src/generate/invalid-bodies/structure.js';
import { allGifOptions, allJpegOptions, allPngOptions, allTiffOptions, recipe, run, SIZES, tool, toolTitle, writeTemp } from './helpers.js';

const EXT: Record<ImageFormat, string> = { png: 'png', jpeg: 'jpg', gif: 'gif', tiff: 'tif' };

function recipesFor(format: ImageFormat): ImageRecipe[] {
  const options = format === 'png' ? allPngOptions() : format === 'jpeg' ? allJpegOptions() : format === 'gif' ? allGifOptions() : allTiffOptions();
  return options.flatMap((o, i) => SIZES.map(([w, h]) => recipe(format, o, w, h, 1000 + i)));
}

const images: Record<ImageFormat, GeneratedImage[]> = { png: [], jpeg: [], gif: [], tiff: [] };

beforeAll(async () => {
  for (const f of ['png', 'jpeg', 'gif', 'tiff'] as const) images[f] = await Promise.all(recipesFor(f).map((r) => renderImage(r)));
});

function pagesOf(img: GeneratedImage): number {
  return Number(img.recipe.options.frames ?? img.recipe.options.pages ?? 1);
}

async function decodesStrictly(img: GeneratedImage): Promise<void> {
  const meta = await sharp(img.bytes).metadata();
  expect(meta.format, img.description).toBe(img.format === 'jpeg' ? 'jpeg' : img.format === 'tiff' ? 'tiff' : img.format);
  expect(meta.width, img.description).toBe(img.recipe.width);
  expect(meta.height, img.description).toBe(img.recipe.height);
  expect(meta.pages ?? 1, img.description).toBe(pagesOf(img));
  const raw = await sharp(img.bytes, { failOn: 'warning', pages: -1 }).raw().toBuffer({ resolveWithObject: true });
  expect(raw.info.width).toBe(img.recipe.width);
  expect(raw.info.height).toBe(img.recipe.height * pagesOf(img));
}

describe.each(['png', 'jpeg', 'gif', 'tiff'] as const)('%s: every variant decodes strictly with sharp (libvips)', (format) => {
  it('has the declared size, pages, and no decoder warning', async () => {
    expect(images[format].length).toBeGreaterThan(0);
    for (const img of images[format]) await decodesStrictly(img);
  });
});

describe('declared properties are in the bytes', () => {
  it('PNG: colour type, bit depth, interlace flag, tRNS', async () => {
    const colourType = { grey: 0, rgb: 2, palette: 3, 'grey-alpha': 4, rgba: 6 } as Record<string, number>;
    for (const img of images.png) {
      const b = img.bytes;
      const o = img.recipe.options;
      expect(b[24], img.description).toBe(o.bitDepth);
      expect(b[25], img.description).toBe(colourType[String(o.colour)]);
      expect(b[28], img.description).toBe(o.interlaced ? 1 : 0);
      const chunks = pngChunks(b).map((c) => c.type);
      expect(chunks[0]).toBe('IHDR');
      expect(chunks.at(-1)).toBe('IEND');
      if (o.colour === 'palette') expect(chunks.includes('PLTE'), img.description).toBe(true);
      if (o.colour === 'palette' && o.paletteAlpha) expect(chunks.includes('tRNS'), img.description).toBe(true);
      if (o.interlaced) expect((await sharp(b).metadata()).isProgressive, img.description).toBe(true);
    }
  });

  it('PNG 8-bit grey/RGB/grey+alpha/RGBA: pixels survive exactly (lossless)', async () => {
    const channels = { grey: 1, 'grey-alpha': 2, rgb: 3, rgba: 4 } as Record<string, 1 | 2 | 3 | 4>;
    for (const img of images.png.filter((i) => i.recipe.options.bitDepth === 8 && i.recipe.options.colour !== 'palette')) {
      const c = channels[String(img.recipe.options.colour)]!;
      const want = synthPixels8(img.recipe.width, img.recipe.height, img.recipe.pixelSeed, { channels: c });
      let got = await sharp(img.bytes).toColourspace(c === 1 ? 'b-w' : 'srgb').raw().toBuffer();
      if (c === 2) got = Buffer.from(got.filter((_, i) => i % 4 === 0 || i % 4 === 3)); // libvips hands grey+alpha back as RGBA
      expect(Buffer.compare(got, Buffer.from(want)), img.description).toBe(0);
    }
  });

  it('JPEG: SOF0/SOF2, components, DRI + RSTn markers, EXIF APP1', async () => {
    for (const img of images.jpeg) {
      const b = img.bytes;
      const o = img.recipe.options;
      const s = jpegStructure(b);
      expect(s.sof.marker, img.description).toBe(o.mode === 'progressive' ? 0xc2 : 0xc0);
      expect(b[s.sof.offset + 9], img.description).toBe(o.colour === 'grey' ? 1 : 3);
      if (o.colour !== 'grey') expect(b[s.sof.offset + 11], img.description).toBe(o.subsampling === '4:2:0' ? 0x22 : 0x11);
      const dri = s.segments.find((x) => x.marker === 0xdd);
      let rst = 0;
      for (let i = s.scanStart; i < s.eoi - 1; i++) if (b[i] === 0xff && b[i + 1]! >= 0xd0 && b[i + 1]! <= 0xd7) rst++;
      const mcus = Math.ceil(img.recipe.width / 8) * Math.ceil(img.recipe.height / 8);
      if (Number(o.restartInterval) > 0) {
        expect(dri, img.description).toBeDefined();
        expect((b[dri!.offset + 4]! << 8) | b[dri!.offset + 5]!).toBe(o.restartInterval);
        expect(rst, img.description).toBe(Math.ceil(mcus / Number(o.restartInterval)) - 1);
      } else {
        expect(dri, img.description).toBeUndefined();
      }
      const app1 = s.segments.find((x) => x.marker === 0xe1);
      expect(app1 !== undefined && Buffer.from(b.subarray(app1.offset + 4, app1.offset + 10)).toString('latin1') === 'Exif\0\0', img.description).toBe(o.exif === true);
      const meta = await sharp(b).metadata();
      expect(Boolean(meta.exif), img.description).toBe(o.exif === true);
      expect(meta.isProgressive, img.description).toBe(o.mode === 'progressive');
    }
  });

  it('GIF: version, interlace flags, frames, transparency, local palettes', () => {
    for (const img of images.gif) {
      const b = img.bytes;
      const o = img.recipe.options;
      expect(Buffer.from(b.subarray(0, 6)).toString('latin1'), img.description).toBe(`GIF${o.version}`);
      const blocks = walkGif(b).blocks;
      const frames = blocks.filter((x) => x.kind === 'image');
      expect(frames.length).toBe(o.frames);
      for (const f of frames) if (f.kind === 'image') expect((b[f.packedOffset]! & 0x40) !== 0, img.description).toBe(o.interlaced);
      const gce = blocks.filter((x) => x.kind === 'extension' && x.label === 0xf9);
      if (o.version === '87a') expect(blocks.filter((x) => x.kind === 'extension').length, img.description).toBe(0);
      if (o.transparent) expect(gce.every((g) => (b[g.offset + 3]! & 1) === 1) && gce.length === o.frames, img.description).toBe(true);
      if (o.localPalettes) expect(frames.slice(1).every((f) => f.kind === 'image' && (b[f.packedOffset]! & 0x80) !== 0)).toBe(true);
      expect(blocks.at(-1)?.kind).toBe('trailer');
    }
  });

  it('TIFF: byte order, compression, predictor, tiles, pages, pixels (lossless)', async () => {
    const code = { none: 1, lzw: 5, deflate: 8, packbits: 32773 } as Record<string, number>;
    for (const img of images.tiff) {
      const b = img.bytes;
      const o = img.recipe.options;
      expect(Buffer.from(b.subarray(0, 2)).toString('latin1'), img.description).toBe(o.byteOrder);
      const s = readTiffStructure(b);
      expect(s.ifds.length, img.description).toBe(o.pages);
      for (const ifd of s.ifds) {
        const tag = (t: number) => ifd.entries.find((e) => e.tag === t);
        const val = (t: number) => { const e = tag(t); return e ? tiffEntryValues(b, s.littleEndian, e)[0] : undefined; };
        expect(val(259), img.description).toBe(code[String(o.compression)]);
        expect(val(256)).toBe(img.recipe.width);
        expect(val(257)).toBe(img.recipe.height);
        expect(val(277)).toBe(o.channels === 'grey' ? 1 : o.channels === 'rgba' ? 4 : 3);
        if (o.layout === 'tiles') {
          expect(val(322), img.description).toBe(o.tileSize);
          expect(tag(324), img.description).toBeDefined();
        } else {
          expect(tag(273), img.description).toBeDefined();
        }
        if (o.predictor) expect(val(317), img.description).toBe(2);
      }
      const c = o.channels === 'grey' ? 1 : o.channels === 'rgba' ? 4 : 3;
      const want = synthPixels8(img.recipe.width, img.recipe.height, img.recipe.pixelSeed, { channels: c });
      const got = await sharp(b, { page: 0 }).toColourspace(c === 1 ? 'b-w' : 'srgb').raw().toBuffer();
      expect(Buffer.compare(got, Buffer.from(want)), img.description).toBe(0);
    }
  });
});

describe('Debian command-line oracles', () => {
  it.skipIf(!tool('pngcheck'))(toolTitle('pngcheck accepts every PNG variant', 'pngcheck'), () => {
    for (const img of images.png) {
      const r = run('pngcheck', ['-v', writeTemp(img.bytes, 'png')]);
      expect(r.status, `${img.description}\n${r.out}`).toBe(0);
      if (img.recipe.options.interlaced) expect(r.out, img.description).toMatch(/interlaced/);
    }
  });

  it.skipIf(!tool('jpeginfo'))(toolTitle('jpeginfo -c accepts every JPEG variant', 'jpeginfo'), () => {
    for (const img of images.jpeg) {
      const r = run('jpeginfo', ['-c', writeTemp(img.bytes, 'jpg')]);
      expect(r.status, `${img.description}\n${r.out}`).toBe(0);
      expect(r.out, img.description).toMatch(/\bOK\b/);
      expect(r.out, img.description).toMatch(img.recipe.options.mode === 'progressive' ? /\bP\b/ : /\bN\b/);
      if (img.recipe.options.exif) expect(r.out, img.description).toMatch(/Exif/);
    }
  });

  it.skipIf(!tool('giftext'))(toolTitle('giftext reads every GIF variant', 'giftext'), () => {
    for (const img of images.gif) {
      const r = run('giftext', [writeTemp(img.bytes, 'gif')]);
      expect(r.status, `${img.description}\n${r.out}`).toBe(0);
      expect((r.out.match(/Image #\d+/g) ?? []).length, img.description).toBe(img.recipe.options.frames);
      if (img.recipe.options.interlaced) expect(r.out, img.description).toMatch(/Image is Interlaced/);
      else expect(r.out, img.description).toMatch(/Image is Non Interlaced/);
    }
  });

  it.skipIf(!tool('tiffinfo'))(toolTitle('tiffinfo -D reads every TIFF variant without complaint', 'tiffinfo'), () => {
    for (const img of images.tiff) {
      const r = run('tiffinfo', ['-D', writeTemp(img.bytes, 'tif')]);
      expect(r.status, `${img.description}\n${r.out}`).toBe(0);
      expect(r.out, img.description).not.toMatch(/error|warning/i);
      expect((r.out.match(/TIFF Directory at offset/g) ?? []).length, img.description).toBe(img.recipe.options.pages);
      if (img.recipe.options.layout === 'tiles') expect(r.out, img.description).toMatch(/Tile Width: \d+/);
    }
  });

  it.skipIf(!tool('identify'))(toolTitle('ImageMagick identify reads every variant of every format', 'identify'), () => {
    for (const f of ['png', 'jpeg', 'gif', 'tiff'] as const) {
      for (const img of images[f]) {
        const r = run('identify', ['-regard-warnings', writeTemp(img.bytes, EXT[f])]);
        expect(r.status, `${img.description}\n${r.out}`).toBe(0);
        expect(r.out.trim().split('\n').length, `${img.description}\n${r.out}`).toBe(pagesOf(img));
        expect(r.out, img.description).toContain(` ${img.recipe.width}x${img.recipe.height} `);
      }
    }
  });
});
