/**
 * Ancillary PNG chunks real files carry (PNG spec, 3rd edition, 11.3), added to an encoded PNG:
 * colour space information (iCCP or sRGB, gAMA, cHRM), bKGD, pHYs, tIME and the three text
 * chunks. Each is valid by the spec: Latin-1 keywords of 1..79 printable characters without
 * leading, trailing or double spaces; zlib streams (compression method 0) for zTXt, iTXt and
 * iCCP; the values of gAMA and cHRM are sRGB's (so they agree with an sRGB or iCCP chunk); bKGD
 * in the image's own colour type and bit depth; each chunk where the spec allows it (iCCP,
 * sRGB, gAMA and cHRM before PLTE; bKGD and pHYs after PLTE, before IDAT; text and tIME
 * anywhere) and at most once (but the text chunks). iCCP and sRGB exclude each other; iCCP
 * carries an RGB profile, so it goes only on colour images (palette, RGB, RGBA).
 */
import { deflateSync } from 'node:zlib';
import { iccProfile } from './icc.js';
import { concatBytes, PNG_SIGNATURE, pngChunk } from './png-writer.js';
import { mulberry32, randInt } from './prng.js';

export const PNG_ANCILLARY = ['tEXt', 'zTXt', 'iTXt', 'iCCP', 'gAMA', 'cHRM', 'sRGB', 'pHYs', 'tIME', 'bKGD'] as const;
export type PngAncillary = (typeof PNG_ANCILLARY)[number];

/** Chunks that must come before PLTE (and IDAT); the rest but tIME and the text chunks go just before IDAT. */
const BEFORE_PLTE: readonly PngAncillary[] = ['iCCP', 'sRGB', 'gAMA', 'cHRM'];
const BEFORE_IDAT: readonly PngAncillary[] = ['bKGD', 'pHYs', 'tEXt', 'iTXt'];
const AFTER_IDAT: readonly PngAncillary[] = ['zTXt', 'tIME'];

/** The chunks a set may hold for a colour type: no iCCP with sRGB, no (RGB) iCCP on grey images. */
export function allowedAncillary(chunks: readonly PngAncillary[], colour: string): PngAncillary[] {
  const grey = colour === 'grey' || colour === 'grey-alpha';
  return PNG_ANCILLARY.filter((c) => chunks.includes(c) && !(c === 'iCCP' && grey) && !(c === 'sRGB' && chunks.includes('iCCP') && !grey));
}

/** `tEXt,gAMA` <-> the list (recipe options hold strings). */
export function ancillaryList(value: unknown): PngAncillary[] {
  return String(value ?? '').split(',').filter((c): c is PngAncillary => (PNG_ANCILLARY as readonly string[]).includes(c));
}

interface PngHeaderFacts {
  colourType: number;
  bitDepth: number;
  /** Palette entries (PLTE length / 3); 0 without PLTE. */
  paletteSize: number;
}

const latin1 = (s: string): Uint8Array => Uint8Array.from(s, (ch) => ch.charCodeAt(0) & 255);
const utf8 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'utf8'));
const be32 = (...values: number[]): Uint8Array => {
  const out = new Uint8Array(values.length * 4);
  const dv = new DataView(out.buffer);
  values.forEach((v, i) => dv.setUint32(i * 4, v));
  return out;
};
const zlib = (data: Uint8Array): Uint8Array => new Uint8Array(deflateSync(data));

const KEYWORDS = ['Title', 'Author', 'Description', 'Copyright', 'Software', 'Comment', 'Source'];
const TEXTS = ['Portrett, kontoret i Oslo', 'Foto: Åse Ødegård', 'Résumé – été 2026', 'Created with GIMP', 'Head shot\nsecond line'];

function textChunks(rand: () => number): Record<'tEXt' | 'zTXt' | 'iTXt', Uint8Array> {
  const pick = <T>(list: readonly T[]): T => list[randInt(rand, 0, list.length - 1)]!;
  // tEXt and zTXt are Latin-1 (the en dash is not: it stays for iTXt).
  const latin = pick(TEXTS).replace('–', '-');
  const tEXt = concatBytes([latin1(pick(KEYWORDS)), Uint8Array.of(0), latin1(latin)]);
  const zTXt = concatBytes([latin1(pick(KEYWORDS)), Uint8Array.of(0, 0), zlib(latin1(latin.repeat(randInt(rand, 1, 20))))]);
  const compressed = rand() < 0.5;
  const text = utf8(`${pick(TEXTS)} ✓`);
  const iTXt = concatBytes([
    latin1('Description'), Uint8Array.of(0, compressed ? 1 : 0, 0), latin1('nb-NO'), Uint8Array.of(0), utf8('Beskrivelse'), Uint8Array.of(0),
    compressed ? zlib(text) : text,
  ]);
  return { tEXt, zTXt, iTXt };
}

/** bKGD in the image's colour type: a palette index, a grey level or an RGB triple below 2^bitDepth. */
function bkgd(h: PngHeaderFacts, rand: () => number): Uint8Array {
  if (h.colourType === 3) return Uint8Array.of(randInt(rand, 0, Math.max(0, h.paletteSize - 1)));
  const level = () => randInt(rand, 0, 2 ** h.bitDepth - 1);
  const values = h.colourType === 0 || h.colourType === 4 ? [level()] : [level(), level(), level()];
  const out = new Uint8Array(values.length * 2);
  values.forEach((v, i) => { out[i * 2] = v >> 8; out[i * 2 + 1] = v & 255; });
  return out;
}

function tIME(rand: () => number): Uint8Array {
  const year = randInt(rand, 1996, 2030);
  return Uint8Array.of(year >> 8, year & 255, randInt(rand, 1, 12), randInt(rand, 1, 28), randInt(rand, 0, 23), randInt(rand, 0, 59), randInt(rand, 0, 59));
}

async function chunkData(type: PngAncillary, h: PngHeaderFacts, rand: () => number): Promise<Uint8Array> {
  switch (type) {
    case 'tEXt': case 'zTXt': case 'iTXt': return textChunks(rand)[type];
    case 'iCCP': return concatBytes([latin1(rand() < 0.5 ? 'ICC profile' : 'sRGB IEC61966-2.1'), Uint8Array.of(0, 0), zlib(await iccProfile('srgb'))]);
    case 'sRGB': return Uint8Array.of(randInt(rand, 0, 3));
    case 'gAMA': return be32(45455);
    case 'cHRM': return be32(31270, 32900, 64000, 33000, 30000, 60000, 15000, 6000);
    case 'pHYs': return concatBytes([be32(...(rand() < 0.5 ? [2835, 2835] : [3780, 3780])), Uint8Array.of(1)]);
    case 'tIME': return tIME(rand);
    case 'bKGD': return bkgd(h, rand);
  }
}

interface Chunk { type: string; bytes: Uint8Array }

function splitChunks(png: Uint8Array): Chunk[] {
  const dv = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const out: Chunk[] = [];
  for (let p = 8; p + 12 <= png.length; ) {
    const end = p + 12 + dv.getUint32(p);
    out.push({ type: String.fromCharCode(...png.subarray(p + 4, p + 8)), bytes: png.subarray(p, end) });
    p = end;
  }
  return out;
}

/**
 * Adds the ancillary chunks (those already in the file, like the pHYs libvips writes, are kept
 * and not repeated). Deterministic: the contents follow `seed`.
 */
export async function addAncillaryChunks(png: Uint8Array, wanted: readonly PngAncillary[], seed: number): Promise<Uint8Array> {
  const chunks = splitChunks(png);
  const ihdr = chunks[0]!.bytes;
  const plte = chunks.find((c) => c.type === 'PLTE');
  const h: PngHeaderFacts = { bitDepth: ihdr[16]!, colourType: ihdr[17]!, paletteSize: plte ? (plte.bytes.length - 12) / 3 : 0 };
  const present = new Set(chunks.map((c) => c.type));
  const rand = mulberry32(seed ^ 0x2545f491);
  const made = new Map<PngAncillary, Uint8Array>();
  for (const type of PNG_ANCILLARY) if (wanted.includes(type) && !present.has(type)) made.set(type, pngChunk(type, await chunkData(type, h, rand)));
  const group = (types: readonly PngAncillary[]) => types.flatMap((t) => made.get(t) ?? []);
  const parts: Uint8Array[] = [PNG_SIGNATURE];
  let seenIdat = false;
  for (const [i, c] of chunks.entries()) {
    if (c.type === 'IDAT' && !seenIdat) { parts.push(...group(BEFORE_IDAT)); seenIdat = true; }
    if (c.type === 'IEND') parts.push(...group(AFTER_IDAT));
    parts.push(c.bytes);
    if (i === 0) parts.push(...group(BEFORE_PLTE));
  }
  return concatBytes(parts);
}
