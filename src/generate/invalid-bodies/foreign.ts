/**
 * Bodies that start with no PNG/JPEG/GIF/TIFF signature: text, JSON, HTML, SVG, random bytes,
 * and real files of other formats (PDF, ZIP, BMP, WebP) with realistic headers.
 */
import sharp from 'sharp';
import { crc32 } from '../images/crc32.js';
import { sniffImageFormat } from '../images/media-types.js';
import { synthPixels8 } from '../images/pixels.js';
import { fillRandomBytes, mulberry32, randInt } from '../images/prng.js';

export const FOREIGN_KINDS = ['text', 'json', 'html', 'svg', 'random', 'pdf', 'zip', 'bmp', 'webp'] as const;
export type ForeignKind = (typeof FOREIGN_KINDS)[number];

const enc = new TextEncoder();

function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[randInt(rand, 0, items.length - 1)]!;
}

function text(rand: () => number): string {
  const lines = [
    'This is not an image.',
    'Image bitmap goes here',
    'Lorem ipsum dolor sit amet, consectetur adipiscing elit.',
    'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
    'null',
    '825',
  ];
  const n = randInt(rand, 1, 4);
  return Array.from({ length: n }, () => pick(rand, lines)).join('\n') + (rand() < 0.5 ? '\n' : '');
}

function json(rand: () => number): string {
  const bodies = [
    () => JSON.stringify({ PersonId: randInt(rand, 1, 99999), Image: 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==' }),
    () => JSON.stringify({ image: null }),
    () => JSON.stringify([1, 2, 3]),
    () => '{}',
    () => JSON.stringify({ Error: true, ErrorType: 'SoNotFoundException', ErrorMessage: 'not an image' }),
  ];
  return pick(rand, bodies)();
}

function html(rand: () => number): string {
  return `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Photo</title></head>\n<body><img src="data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7" alt="photo ${randInt(rand, 1, 999)}"></body></html>\n`;
}

function svg(rand: () => number): string {
  const w = randInt(rand, 1, 256);
  const h = randInt(rand, 1, 256);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}"><rect width="${w}" height="${h}" fill="#${randInt(rand, 0, 0xffffff).toString(16).padStart(6, '0')}"/></svg>\n`;
}

/** Random bytes that begin with no image signature (a first byte that no signature starts with). */
function randomBytes(rand: () => number, seed: number): Uint8Array {
  const out = fillRandomBytes(new Uint8Array(randInt(rand, 1, 4096)), seed);
  if (sniffImageFormat(out) || [0x89, 0xff, 0x47, 0x49, 0x4d].includes(out[0]!)) out[0] = 0x00;
  return out;
}

/** A one-page PDF 1.4 with a correct cross-reference table. */
function pdf(rand: () => number): Uint8Array {
  const w = randInt(rand, 100, 600);
  const h = randInt(rand, 100, 800);
  const content = `BT /F1 24 Tf 72 ${h - 72} Td (Not an image ${randInt(rand, 1, 9999)}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${w} ${h}] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>`,
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let body = '%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) body += `${String(off).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  // latin1: the binary comment line must be single bytes, as in real PDFs.
  return Uint8Array.from(body, (c) => c.charCodeAt(0) & 0xff);
}

/** A ZIP archive with one stored file (local header, data, central directory, end record). */
function zip(rand: () => number): Uint8Array {
  const name = enc.encode(pick(rand, ['photo.png', 'image.jpg', 'readme.txt', 'portrait.gif']));
  const data = enc.encode(text(rand));
  const crc = crc32(data);
  const local = new Uint8Array(30 + name.length);
  const ldv = new DataView(local.buffer);
  ldv.setUint32(0, 0x04034b50, true);
  ldv.setUint16(4, 10, true); // version needed
  ldv.setUint16(8, 0, true); // stored
  ldv.setUint16(10, 0x6000, true); // time
  ldv.setUint16(12, 0x5a21, true); // date
  ldv.setUint32(14, crc, true);
  ldv.setUint32(18, data.length, true);
  ldv.setUint32(22, data.length, true);
  ldv.setUint16(26, name.length, true);
  local.set(name, 30);
  const central = new Uint8Array(46 + name.length);
  const cdv = new DataView(central.buffer);
  cdv.setUint32(0, 0x02014b50, true);
  cdv.setUint16(4, 20, true);
  cdv.setUint16(6, 10, true);
  cdv.setUint16(12, 0x6000, true);
  cdv.setUint16(14, 0x5a21, true);
  cdv.setUint32(16, crc, true);
  cdv.setUint32(20, data.length, true);
  cdv.setUint32(24, data.length, true);
  cdv.setUint16(28, name.length, true);
  cdv.setUint32(42, 0, true); // local header offset
  central.set(name, 46);
  const end = new Uint8Array(22);
  const edv = new DataView(end.buffer);
  edv.setUint32(0, 0x06054b50, true);
  edv.setUint16(8, 1, true);
  edv.setUint16(10, 1, true);
  edv.setUint32(12, central.length, true);
  edv.setUint32(16, local.length + data.length, true);
  const out = new Uint8Array(local.length + data.length + central.length + end.length);
  out.set(local, 0);
  out.set(data, local.length);
  out.set(central, local.length + data.length);
  out.set(end, local.length + data.length + central.length);
  return out;
}

/** A 24-bit bottom-up BMP (BITMAPFILEHEADER + BITMAPINFOHEADER), rows padded to 4 bytes. */
function bmp(rand: () => number, seed: number): Uint8Array {
  const w = randInt(rand, 1, 48);
  const h = randInt(rand, 1, 48);
  const px = synthPixels8(w, h, seed, { channels: 3 });
  const row = (w * 3 + 3) & ~3;
  const out = new Uint8Array(54 + row * h);
  const dv = new DataView(out.buffer);
  out[0] = 0x42;
  out[1] = 0x4d;
  dv.setUint32(2, out.length, true);
  dv.setUint32(10, 54, true);
  dv.setUint32(14, 40, true);
  dv.setInt32(18, w, true);
  dv.setInt32(22, h, true);
  dv.setUint16(26, 1, true);
  dv.setUint16(28, 24, true);
  dv.setUint32(34, row * h, true);
  dv.setInt32(38, 2835, true);
  dv.setInt32(42, 2835, true);
  for (let y = 0; y < h; y++) {
    const dst = 54 + (h - 1 - y) * row;
    for (let x = 0; x < w; x++) {
      const s = (y * w + x) * 3;
      out[dst + x * 3] = px[s + 2]!;
      out[dst + x * 3 + 1] = px[s + 1]!;
      out[dst + x * 3 + 2] = px[s]!;
    }
  }
  return out;
}

/** A real WebP (lossy VP8 or lossless VP8L) from libwebp via sharp. */
async function webp(rand: () => number, seed: number): Promise<Uint8Array> {
  const w = randInt(rand, 1, 48);
  const h = randInt(rand, 1, 48);
  const px = synthPixels8(w, h, seed, { channels: 3 });
  const out = await sharp(px, { raw: { width: w, height: h, channels: 3 } }).webp({ lossless: rand() < 0.5, quality: 80, effort: 0 }).toBuffer();
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}

export async function renderForeign(kind: ForeignKind, seed: number): Promise<Uint8Array> {
  const rand = mulberry32(seed ^ 0xf0e1);
  switch (kind) {
    case 'text': return enc.encode(text(rand));
    case 'json': return enc.encode(json(rand));
    case 'html': return enc.encode(html(rand));
    case 'svg': return enc.encode(svg(rand));
    case 'random': return randomBytes(rand, seed);
    case 'pdf': return pdf(rand);
    case 'zip': return zip(rand);
    case 'bmp': return bmp(rand, seed);
    case 'webp': return await webp(rand, seed);
  }
}
