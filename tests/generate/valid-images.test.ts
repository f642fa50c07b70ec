/**
 * Every valid variant, at a few sizes, rendered and checked by decoders that did not encode it:
 * sharp/libvips (for pngjs, omggif, jpeg-js, utif2 and png-writer output), and the Debian
 * command-line tools pngcheck, jpeginfo, giftext, tiffinfo and ImageMagick identify. The declared
 * properties of each variant (interlace flags, SOF2, restart markers, EXIF, 87a, 'MM', tiles,
 * pages, compression) are read back from the bytes. So are the variants of real files the
 * valid-upload family adds (CMYK and YCCK JPEG, embedded ICC profiles, PNG ancillary chunks, JPEG
 * fill bytes before markers, GIF without a global colour table, multi-page TIFF whose pages differ
 * in size: each page decoded on its own), and the extreme images (decompression bombs) are shown
 * valid by their format without decoding them.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createInflate } from 'node:zlib';
import fc from 'fast-check';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { walkGif } from '../../src/generate/images/gif-blocks.js';
import { GIF_SCREEN_MAX, PNG_BOMB_SIZES, pngInflatedSize } from '../../src/generate/images/extreme.js';
import { renderImage } from '../../src/generate/images/index.js';
import { validImageRecipe } from '../../src/generate/images/valid-image.js';
import { synthPixels8 } from '../../src/generate/images/pixels.js';
import { readTiffStructure, tiffEntryValues } from '../../src/generate/images/tiff-structure.js';
import type { GeneratedImage, ImageFormat, ImageRecipe } from '../../src/generate/images/types.js';
import type { GifOptions } from '../../src/generate/images/gif.js';
import type { JpegOptions } from '../../src/generate/images/jpeg.js';
import { insertFillBytes, removeFillBytes } from '../../src/generate/images/jpeg-fill.js';
import { tiffPageSizes, TIFF_COMPRESSIONS, type TiffOptions } from '../../src/generate/images/tiff.js';
import { allowedAncillary, ancillaryList, PNG_ANCILLARY } from '../../src/generate/images/png-chunks.js';
import { PNG_BIT_DEPTHS, PNG_COLOURS, type PngOptions } from '../../src/generate/images/png.js';
import { jpegStructure, pngChunks } from '../../src/generate/invalid-bodies/structure.js';
import { loadSpec } from '../../src/spec/load.js';
import { validateImage } from '../../src/target/image-validation.js';
import type { TargetContext } from '../../src/target/types.js';
import { allGifOptions, allJpegOptions, allPngOptions, allTiffOptions, itWithTools, recipe, run, SIZES, writeTemp } from './helpers.js';

const EXT: Record<ImageFormat, string> = { png: 'png', jpeg: 'jpg', gif: 'gif', tiff: 'tif' };

/** CMYK and YCCK, baseline and progressive, with and without EXIF; YCbCr with an sRGB or P3 profile in one or two APP2 markers. */
function varietyJpegOptions(): JpegOptions[] {
  const out: JpegOptions[] = [];
  for (const mode of ['baseline', 'progressive'] as const) for (const colour of ['cmyk', 'ycck'] as const) for (const exif of [false, true]) {
    out.push({ mode, colour, subsampling: '4:4:4', restartInterval: 0, exif, quality: 80 });
  }
  out.push({ mode: 'baseline', colour: 'ycc', subsampling: '4:4:4', restartInterval: 0, exif: false, quality: 85, icc: 'srgb', iccSegments: 1 });
  out.push({ mode: 'baseline', colour: 'ycc', subsampling: '4:4:4', restartInterval: 3, exif: true, quality: 75, icc: 'p3', iccSegments: 2 });
  out.push({ mode: 'baseline', colour: 'ycc', subsampling: '4:2:0', restartInterval: 0, exif: true, quality: 60, icc: 'srgb', iccSegments: 2 });
  out.push({ mode: 'progressive', colour: 'ycc', subsampling: '4:2:0', restartInterval: 0, exif: false, quality: 90, icc: 'p3', iccSegments: 1 });
  // Fill bytes (1 or 3 before each marker after the first) on each colour model, baseline and progressive, with the extra segments.
  for (const mode of ['baseline', 'progressive'] as const) for (const colour of ['ycc', 'grey', 'cmyk', 'ycck'] as const) for (const fillBytes of [1, 3]) {
    const extras = fillBytes === 3 ? { exif: true, ...(colour === 'ycc' ? { icc: 'srgb' as const, iccSegments: 2 } : {}) } : { exif: false };
    out.push({ mode, colour, subsampling: colour === 'ycc' && mode === 'progressive' ? '4:2:0' : '4:4:4', restartInterval: 0, quality: 80, fillBytes, ...extras });
  }
  out.push({ mode: 'baseline', colour: 'ycc', subsampling: '4:4:4', restartInterval: 2, exif: true, quality: 75, fillBytes: 2 });
  return out;
}

/** Without a global colour table: 87a and 89a, every depth's extremes, interlaced, transparent, animated with and without palettes of their own. */
function varietyGifOptions(): GifOptions[] {
  const base: GifOptions = { version: '89a', bitDepth: 8, transparent: false, interlaced: false, frames: 1, delay: 0, localPalettes: false, noGlobalTable: true };
  const out: GifOptions[] = [];
  for (const bitDepth of [1, 4, 8]) for (const interlaced of [false, true]) {
    out.push({ ...base, version: '87a', bitDepth, interlaced });
    out.push({ ...base, bitDepth, interlaced, transparent: bitDepth > 1 });
  }
  out.push({ ...base, frames: 3, delay: 10, bitDepth: 2 });
  out.push({ ...base, frames: 3, delay: 5, transparent: true, localPalettes: true, bitDepth: 4 });
  out.push({ ...base, frames: 2, delay: 50, interlaced: true, localPalettes: true, bitDepth: 8 });
  return out;
}

/** Pages of differing sizes: each compression and byte order, strips and tiles, 2 and 3 pages, each channel layout. */
function varietyTiffOptions(): TiffOptions[] {
  const out: TiffOptions[] = [];
  const channels = ['rgb', 'grey', 'rgba'] as const;
  let k = 0;
  for (const byteOrder of ['II', 'MM'] as const) for (const compression of TIFF_COMPRESSIONS) for (const layout of ['strips', 'tiles'] as const) {
    const c = channels[k++ % 3]!;
    out.push({
      byteOrder, compression, layout, channels: c, pages: 2 + (k % 2), pagesDiffer: true,
      tileSize: layout === 'tiles' ? 16 : 0,
      rowsPerStrip: layout === 'strips' && compression === 'none' ? 4 : 0,
      predictor: layout === 'strips' && (compression === 'lzw' || compression === 'deflate'),
    });
  }
  return out;
}

/** Every colour type at its lowest and highest depth, plain and interlaced, with all the chunks it may carry (iCCP, else sRGB); each chunk alone on RGB. */
function varietyPngOptions(): PngOptions[] {
  const out: PngOptions[] = [];
  for (const colour of PNG_COLOURS) for (const bitDepth of [Math.min(...PNG_BIT_DEPTHS[colour]), Math.max(...PNG_BIT_DEPTHS[colour])]) for (const interlaced of [false, true]) {
    for (const set of [PNG_ANCILLARY, PNG_ANCILLARY.filter((c) => c !== 'iCCP')]) {
      out.push({ colour, bitDepth, interlaced, paletteAlpha: colour === 'palette' && interlaced, ancillary: allowedAncillary(set, colour).join(',') });
    }
  }
  for (const c of PNG_ANCILLARY) out.push({ colour: 'rgb', bitDepth: 8, interlaced: false, paletteAlpha: false, ancillary: c });
  return out;
}

function recipesFor(format: ImageFormat): ImageRecipe[] {
  const options =
    format === 'png' ? [...allPngOptions(), ...varietyPngOptions()]
    : format === 'jpeg' ? [...allJpegOptions(), ...varietyJpegOptions()]
    : format === 'gif' ? [...allGifOptions(), ...varietyGifOptions()]
    : [...allTiffOptions(), ...varietyTiffOptions()];
  return options.flatMap((o, i) => SIZES.map(([w, h]) => recipe(format, o, w, h, 1000 + i)));
}

const images: Record<ImageFormat, GeneratedImage[]> = { png: [], jpeg: [], gif: [], tiff: [] };

beforeAll(async () => {
  for (const f of ['png', 'jpeg', 'gif', 'tiff'] as const) images[f] = await Promise.all(recipesFor(f).map((r) => renderImage(r)));
});

function pagesOf(img: GeneratedImage): number {
  return Number(img.recipe.options.frames ?? img.recipe.options.pages ?? 1);
}

/** The size of each page (the recipe's, but for a TIFF whose pages differ). */
function pageSizesOf(img: GeneratedImage): { width: number; height: number }[] {
  const { width, height, options } = img.recipe;
  return img.format === 'tiff' ? tiffPageSizes(width, height, { pages: pagesOf(img), pagesDiffer: options.pagesDiffer === true }) : Array.from({ length: pagesOf(img) }, () => ({ width, height }));
}

async function decodesStrictly(img: GeneratedImage): Promise<void> {
  const meta = await sharp(img.bytes).metadata();
  expect(meta.format, img.description).toBe(img.format === 'jpeg' ? 'jpeg' : img.format === 'tiff' ? 'tiff' : img.format);
  expect(meta.width, img.description).toBe(img.recipe.width);
  expect(meta.height, img.description).toBe(img.recipe.height);
  expect(meta.pages ?? 1, img.description).toBe(pagesOf(img));
  if (img.recipe.options.pagesDiffer === true) {
    // Pages of differing sizes do not stack into one image (libvips: "page 1 differs from page 0"): each is decoded on its own.
    const sizes = pageSizesOf(img);
    for (const z of sizes.slice(1)) expect(z.width !== img.recipe.width || z.height !== img.recipe.height, img.description).toBe(true);
    for (const [page, size] of sizes.entries()) {
      const raw = await sharp(img.bytes, { failOn: 'warning', page }).raw().toBuffer({ resolveWithObject: true });
      expect([raw.info.width, raw.info.height], `${img.description} page ${page}`).toEqual([size.width, size.height]);
    }
    return;
  }
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

/**
 * Each ancillary chunk the recipe names is there once (text chunks may repeat), where the PNG spec
 * puts it: iCCP, sRGB, gAMA, cHRM before PLTE and IDAT; bKGD after PLTE; pHYs before IDAT. No
 * file has both iCCP and sRGB; libvips reads the iCCP profile back.
 */
function ancillaryInPlace(img: GeneratedImage, chunks: string[]): void {
  const wanted = ancillaryList(img.recipe.options.ancillary);
  const at = (t: string) => chunks.indexOf(t);
  const firstIdat = at('IDAT');
  for (const c of wanted) {
    expect(chunks.filter((t) => t === c).length, `${img.description}: ${c}`).toBe(1);
    if (['iCCP', 'sRGB', 'gAMA', 'cHRM'].includes(c)) expect(at(c) < firstIdat && (at('PLTE') < 0 || at(c) < at('PLTE')), `${img.description}: ${c}`).toBe(true);
    if (c === 'bKGD' || c === 'pHYs') expect(at(c) < firstIdat && at(c) > at('PLTE'), `${img.description}: ${c}`).toBe(true);
  }
  expect(chunks.includes('iCCP') && chunks.includes('sRGB'), img.description).toBe(false);
}

/** Four components with the Adobe transform of the colour model; the ICC profile in its APP2 markers, read back whole by libvips. */
async function colourModelAndProfile(img: GeneratedImage, b: Uint8Array, segments: { marker: number; offset: number; end: number }[]): Promise<void> {
  const o = img.recipe.options;
  const meta = await sharp(b).metadata();
  const app14 = segments.find((x) => x.marker === 0xee);
  if (o.colour === 'cmyk' || o.colour === 'ycck') {
    expect(app14, img.description).toBeDefined();
    expect(Buffer.from(b.subarray(app14!.offset + 4, app14!.offset + 9)).toString('latin1')).toBe('Adobe');
    expect(b[app14!.offset + 15], img.description).toBe(o.colour === 'cmyk' ? 0 : 2);
    expect(meta.space, img.description).toBe('cmyk');
  }
  const icc = segments.filter((x) => x.marker === 0xe2 && Buffer.from(b.subarray(x.offset + 4, x.offset + 16)).toString('latin1') === 'ICC_PROFILE\0');
  expect(icc.length, img.description).toBe(o.icc ? Number(o.iccSegments) : 0);
  expect(meta.hasProfile, img.description).toBe(o.icc !== undefined);
  if (o.icc) {
    const joined = Buffer.concat(icc.map((x) => Buffer.from(b.subarray(x.offset + 18, x.end))));
    expect(icc.map((x) => [b[x.offset + 16], b[x.offset + 17]])).toEqual(icc.map((_, k) => [k + 1, icc.length]));
    expect(Buffer.compare(joined, meta.icc!), img.description).toBe(0);
  }
}

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
      ancillaryInPlace(img, chunks);
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

  it('JPEG: SOF0/SOF2, components, DRI + RSTn markers, EXIF APP1, fill bytes', async () => {
    for (const img of images.jpeg) {
      const o = img.recipe.options;
      // The structure is read without the fill bytes; they are exactly `fillBytes` 0xFF before each marker after the first.
      const fill = Number(o.fillBytes ?? 0);
      const b = fill > 0 ? removeFillBytes(img.bytes) : img.bytes;
      if (fill > 0) {
        expect(b.length, img.description).toBeLessThan(img.bytes.length);
        expect(Buffer.compare(Buffer.from(insertFillBytes(b, fill)), Buffer.from(img.bytes)), img.description).toBe(0);
        expect([...img.bytes.subarray(0, 4)], img.description).toEqual([...b.subarray(0, 4)]); // none right after SOI
      }
      const s = jpegStructure(b);
      if (fill > 0) expect(img.bytes.length - b.length, img.description).toBe(fill * (s.segments.length - 1));
      expect(s.sof.marker, img.description).toBe(o.mode === 'progressive' ? 0xc2 : 0xc0);
      expect(b[s.sof.offset + 9], img.description).toBe(o.colour === 'grey' ? 1 : o.colour === 'cmyk' || o.colour === 'ycck' ? 4 : 3);
      await colourModelAndProfile(img, b, s.segments);
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

  it('GIF: version, interlace flags, frames, transparency, local palettes, no global colour table', () => {
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
      expect((b[10]! & 0x80) === 0, img.description).toBe(o.noGlobalTable === true);
      if (o.noGlobalTable) expect(frames.every((f) => f.kind === 'image' && (b[f.packedOffset]! & 0x80) !== 0 && (b[f.packedOffset]! & 7) + 1 === o.bitDepth), img.description).toBe(true);
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
      const sizes = pageSizesOf(img);
      for (const [page, ifd] of s.ifds.entries()) {
        const tag = (t: number) => ifd.entries.find((e) => e.tag === t);
        const val = (t: number) => { const e = tag(t); return e ? tiffEntryValues(b, s.littleEndian, e)[0] : undefined; };
        expect(val(259), img.description).toBe(code[String(o.compression)]);
        expect(val(256), img.description).toBe(sizes[page]!.width);
        expect(val(257), img.description).toBe(sizes[page]!.height);
        if (pagesOf(img) > 1) expect(val(254), img.description).toBe(2);
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

  it('TIFF: a tall page of one row a strip (an IFD block past 20,000 bytes) reads whole, every page, in both byte orders', async () => {
    // utif2's encode wrote IFDs into a fixed 20,000-byte buffer: a 3-page 1951x2043 RGB file of a row
    // a strip came out with its strip table and next-IFD links cut (found on a power-target seed).
    for (const byteOrder of ['II', 'MM'] as const) for (const pagesDiffer of [false, true]) {
      const options: TiffOptions = { byteOrder, compression: 'none', layout: 'strips', tileSize: 0, rowsPerStrip: 1, channels: 'rgb', pages: 3, predictor: false, ...(pagesDiffer ? { pagesDiffer } : {}) };
      const r: ImageRecipe = { format: 'tiff', variant: 'tall', width: 5, height: 1300, pixelSeed: 2147483626, options: { ...options } };
      const img = await renderImage(r);
      const s = readTiffStructure(img.bytes);
      expect(s.ifds.length, img.description).toBe(3);
      const lastIfdEnd = Math.max(...s.ifds.flatMap((i) => i.entries.map((e) => e.valueAt + e.byteLength)));
      expect(lastIfdEnd, 'the IFDs with their strip tables take more than utif2 could hold').toBeGreaterThan(20_000);
      for (const [page, size] of tiffPageSizes(r.width, r.height, options).entries()) {
        const strips = s.ifds[page]!.entries.find((e) => e.tag === 273)!;
        expect(strips.count, img.description).toBe(size.height);
        const want = synthPixels8(size.width, size.height, (r.pixelSeed + page * 104729) >>> 0, { channels: 3 });
        const got = await sharp(img.bytes, { page }).raw().toBuffer();
        expect(Buffer.compare(got, Buffer.from(want)), `${img.description} page ${page}`).toBe(0);
      }
    }
  });
});

describe('Debian command-line oracles', () => {
  itWithTools('pngcheck accepts every PNG variant', ['pngcheck'], () => {
    for (const img of images.png) {
      const r = run('pngcheck', ['-v', writeTemp(img.bytes, 'png')]);
      expect(r.status, `${img.description}\n${r.out}`).toBe(0);
      if (img.recipe.options.interlaced) expect(r.out, img.description).toMatch(/interlaced/);
    }
  });

  itWithTools('jpeginfo -c accepts every JPEG variant', ['jpeginfo'], () => {
    for (const img of images.jpeg) {
      const r = run('jpeginfo', ['-c', writeTemp(img.bytes, 'jpg')]);
      if (img.recipe.options.colour === 'cmyk' || img.recipe.options.colour === 'ycck') {
        // jpeginfo's check decodes to greyscale, a conversion libjpeg has only for one- and
        // three-component files: it reads the header (size, 32 bits, Adobe) and stops there, for
        // every CMYK file. libvips and ImageMagick decode these (tests above and below).
        expect(r.out, img.description).toMatch(new RegExp(`${img.recipe.width} x\\s+${img.recipe.height} 32bit [NP] [\\w,]*Adobe.*ERROR\\s+Unsupported color conversion request`));
        continue;
      }
      expect(r.status, `${img.description}\n${r.out}`).toBe(0);
      expect(r.out, img.description).toMatch(/\bOK\b/);
      expect(r.out, img.description).toMatch(img.recipe.options.mode === 'progressive' ? /\bP\b/ : /\bN\b/);
      if (img.recipe.options.exif) expect(r.out, img.description).toMatch(/Exif/);
    }
  });

  itWithTools('giftext reads every GIF variant', ['giftext'], () => {
    for (const img of images.gif) {
      const r = run('giftext', [writeTemp(img.bytes, 'gif')]);
      expect(r.status, `${img.description}\n${r.out}`).toBe(0);
      expect((r.out.match(/Image #\d+/g) ?? []).length, img.description).toBe(img.recipe.options.frames);
      if (img.recipe.options.interlaced) expect(r.out, img.description).toMatch(/Image is Interlaced/);
      else expect(r.out, img.description).toMatch(/Image is Non Interlaced/);
    }
  });

  itWithTools('tiffinfo -D reads every TIFF variant without complaint', ['tiffinfo'], () => {
    for (const img of images.tiff) {
      const r = run('tiffinfo', ['-D', writeTemp(img.bytes, 'tif')]);
      expect(r.status, `${img.description}\n${r.out}`).toBe(0);
      expect(r.out, img.description).not.toMatch(/error|warning/i);
      expect((r.out.match(/TIFF Directory at offset/g) ?? []).length, img.description).toBe(img.recipe.options.pages);
      if (img.recipe.options.layout === 'tiles') expect(r.out, img.description).toMatch(/Tile Width: \d+/);
    }
  });

  itWithTools('ImageMagick identify reads every variant of every format', ['identify'], () => {
    for (const f of ['png', 'jpeg', 'gif', 'tiff'] as const) {
      for (const img of images[f]) {
        const r = run('identify', ['-regard-warnings', writeTemp(img.bytes, EXT[f])]);
        expect(r.status, `${img.description}\n${r.out}`).toBe(0);
        const lines = r.out.trim().split('\n');
        expect(lines.length, `${img.description}\n${r.out}`).toBe(pagesOf(img));
        lines.forEach((line, page) => expect(line, img.description).toContain(` ${pageSizesOf(img)[page]!.width}x${pageSizesOf(img)[page]!.height} `));
      }
    }
  });
});

/** JPEG fill bytes, GIF without a global colour table, TIFF pages of differing sizes: the opt-in variants of real files. */
const walkVariant = (r: ImageRecipe) => Number(r.options.fillBytes ?? 0) > 0 || r.options.noGlobalTable === true || r.options.pagesDiffer === true;

describe('variants whose structure walks tripped validators (opt-in, for the valid-upload family)', () => {
  it('the reference target accepts every one of them', async () => {
    const { model } = await loadSpec();
    const chosen = [...images.jpeg, ...images.gif, ...images.tiff].filter((i) => walkVariant(i.recipe));
    expect(chosen.length).toBeGreaterThan(60);
    for (const img of chosen) {
      const v = await validateImage(Buffer.from(img.bytes), undefined, { model } as TargetContext);
      expect(v.ok ? 'ok' : v.reason, img.description).toBe('ok');
    }
  }, 60_000);

  it('are drawn only when asked for (so the other families draw what they drew before), and then now and then', () => {
    expect(fc.sample(validImageRecipe({ formats: ['jpeg', 'gif', 'tiff'] }), { seed: 11, numRuns: 3000 }).filter(walkVariant)).toEqual([]);
    const asked = fc.sample(validImageRecipe({ formats: ['jpeg', 'gif', 'tiff'], jpeg: { fillBytes: true }, gif: { noGlobalTable: true }, tiff: { pagesDiffer: true } }), { seed: 11, numRuns: 3000 });
    for (const [name, has] of [
      ['fill bytes', (r: ImageRecipe) => r.format === 'jpeg' && Number(r.options.fillBytes) > 0],
      ['no global table', (r: ImageRecipe) => r.format === 'gif' && r.options.noGlobalTable === true],
      ['pages differ', (r: ImageRecipe) => r.format === 'tiff' && r.options.pagesDiffer === true && Number(r.options.pages) >= 2],
    ] as const) {
      const n = asked.filter(has).length;
      expect(n, name).toBeGreaterThan(60); // about one in six to one in five of the format's images
      expect(n, name).toBeLessThan(400);
    }
    for (const r of asked.filter(walkVariant)) expect(r.variant, r.variant).toMatch(/fill-bytes|no-global-table|pages-differ/);
  });
});

describe('extreme images: valid by their format, never decoded here', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pic-extreme-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (bytes: Uint8Array, name: string) => { const p = join(dir, name); writeFileSync(p, bytes); return p; };
  const pngBomb = (width: number, height: number): ImageRecipe => ({ format: 'png', variant: 'bomb', width, height, pixelSeed: 0, options: { extreme: true, kind: 'png-zeros' } });
  const gifBomb = (side: number, frame: number, corner: boolean): ImageRecipe => ({ format: 'gif', variant: 'screen-bomb', width: side, height: side, pixelSeed: 5, options: { extreme: true, kind: 'gif-screen', frame, corner } });

  /** Inflates the IDAT stream as it comes (never holding it) and counts the bytes, all zero; node:zlib checks the Adler-32. */
  async function inflatedZeros(png: Uint8Array): Promise<number> {
    const idat = pngChunks(png).filter((c) => c.type === 'IDAT').map((c) => Buffer.from(png.subarray(c.dataStart, c.crcAt)));
    const zeros = Buffer.alloc(65536);
    let n = 0;
    let nonZero = 0;
    const z = createInflate({ chunkSize: 65536 });
    z.on('data', (d: Buffer) => { n += d.length; if (!d.equals(zeros.subarray(0, d.length))) nonZero++; });
    await pipeline(Readable.from(idat), z);
    expect(nonZero).toBe(0);
    return n;
  }

  it.each(PNG_BOMB_SIZES.map(([w, h]) => [w, h]))('PNG %ix%i: its data inflate to every row, all zero, from a thousandth of the size', async (w, h) => {
    const img = await renderImage(pngBomb(w!, h!));
    expect(new DataView(img.bytes.buffer, img.bytes.byteOffset).getUint32(16)).toBe(w);
    expect(await inflatedZeros(img.bytes)).toBe(pngInflatedSize(w!, h!));
    expect(img.bytes.length).toBeLessThan(pngInflatedSize(w!, h!) / 500);
  }, 30_000);

  itWithTools('PNG bombs: pngcheck finds no error', ['pngcheck'], async () => {
    for (const [w, h] of PNG_BOMB_SIZES) {
      const r = run('pngcheck', ['-v', file((await renderImage(pngBomb(w, h))).bytes, `bomb-${w}.png`)]);
      expect(r.status, r.out).toBe(0);
      expect(r.out).toMatch(/No errors detected/);
    }
  }, 60_000);

  itWithTools('GIF: giftext reads the 65535x65535 screen and its one frame', ['giftext'], async () => {
    for (const corner of [false, true]) {
      const r = run('giftext', [file((await renderImage(gifBomb(GIF_SCREEN_MAX, 3, corner))).bytes, `bomb-${corner}.gif`)]);
      expect(r.status, r.out).toBe(0);
      expect(r.out).toMatch(/Screen Size - Width = 65535, Height = 65535/);
      expect((r.out.match(/Image #\d+/g) ?? []).length).toBe(1);
    }
  });

  it('the same writers at sizes a decoder can afford decode strictly (sharp): a PNG of 9000x1000 (one deflated run and the rest), a GIF screen of 300x200', async () => {
    for (const r of [pngBomb(9000, 1000), pngBomb(8, 8), gifBomb(300, 16, true), gifBomb(300, 1, false)]) {
      const img = await renderImage({ ...r, height: r.format === 'gif' ? 200 : r.height });
      const raw = await sharp(img.bytes, { failOn: 'warning' }).raw().toBuffer({ resolveWithObject: true });
      expect([raw.info.width, raw.info.height], img.description).toEqual([img.recipe.width, img.recipe.height]);
      if (r.format === 'png') expect(raw.data.every((x) => x === 0), img.description).toBe(true);
    }
  });

  itWithTools('the same writers at sizes a decoder can afford: identify reads them', ['identify'], async () => {
    for (const r of [pngBomb(9000, 1000), pngBomb(8, 8), gifBomb(300, 16, true), gifBomb(300, 1, false)]) {
      const img = await renderImage({ ...r, height: r.format === 'gif' ? 200 : r.height });
      expect(run('identify', ['-regard-warnings', file(img.bytes, `twin.${r.format}`)]).status, img.description).toBe(0);
    }
  });

  it('the reference target decides each without decoding it (400 over its pixel limit, or 200 for a GIF whose frames are small)', async () => {
    const { model } = await loadSpec();
    const recipes = [...PNG_BOMB_SIZES.map(([w, h]) => pngBomb(w, h)), gifBomb(GIF_SCREEN_MAX, 16, false), gifBomb(GIF_SCREEN_MAX, 16, true)];
    for (const r of recipes) {
      const img = await renderImage(r);
      const v = await validateImage(Buffer.from(img.bytes), undefined, { model } as TargetContext);
      if (r.format === 'png' || r.options.corner === true) expect(v.ok, img.description).toBe(false);
    }
  }, 30_000);
});
