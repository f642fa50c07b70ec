/** Shared helpers of the reference-target tests: credentials as headers, URLs, test images made with sharp. */
import sharp, { type Sharp } from 'sharp';
import UTIF from 'utif2';
import { request, FormData } from 'undici';
import type { RunningTarget } from '../../src/target/index.js';

export type Headers = Record<string, string>;

export function basicHeader(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

export function auth(t: RunningTarget): Headers {
  return { authorization: basicHeader(t.credentials.basic.user, t.credentials.basic.password) };
}

export function imageUrl(t: RunningTarget, person: number | string): string {
  return `${t.url}/Person/${person}/Image`;
}

export function infoUrl(t: RunningTarget, person: number | string): string {
  return `${t.url}/Person/${person}/ImageInfo`;
}

export interface Answer {
  status: number;
  contentType: string;
  text: string;
  bytes: Buffer;
  headers: Record<string, string | string[] | undefined>;
}

export async function call(url: string, method: string, headers: Headers = {}, body?: Buffer | FormData | string): Promise<Answer> {
  const r = await request(url, { method: method as 'PUT', headers, body: body ?? null });
  const bytes = Buffer.from(await r.body.arrayBuffer());
  return { status: r.statusCode, contentType: String(r.headers['content-type'] ?? ''), text: bytes.toString('utf8'), bytes, headers: r.headers };
}

export function upload(t: RunningTarget, person: number | string, bytes: Buffer, contentType: string, extra: Headers = {}): Promise<Answer> {
  return call(imageUrl(t, person), 'PUT', { ...auth(t), 'content-type': contentType, ...extra }, bytes);
}

export function multipart(field: string, bytes: Buffer, filename = 'photo.bin', type = 'application/octet-stream'): FormData {
  const fd = new FormData();
  fd.append(field, new Blob([new Uint8Array(bytes)], { type }), filename);
  return fd;
}

export async function blobIdOf(t: RunningTarget, person: number): Promise<number> {
  const r = await call(infoUrl(t, person), 'GET', auth(t));
  return (JSON.parse(r.text) as { BlobId: number }).BlobId;
}

/** Photo-like pixels that do not compress away. */
function pixels(width: number, height: number, channels: number): Buffer {
  const raw = Buffer.alloc(width * height * channels);
  for (let i = 0; i < raw.length; i++) raw[i] = (i * 7919 + (i >> 5)) % 251;
  return raw;
}

export function base(width = 40, height = 30, channels: 1 | 3 | 4 = 3): Sharp {
  return sharp(pixels(width, height, channels), { raw: { width, height, channels } });
}

async function animated(frames = 3): Promise<Buffer> {
  const pngs = await Promise.all(Array.from({ length: frames }, (_, i) => base(24, 18).clone().modulate({ hue: i * 90 }).png().toBuffer()));
  return sharp(pngs, { join: { animated: true } })
    .gif({ delay: pngs.map(() => 100) })
    .toBuffer();
}

/** The valid images, one per variety the contract names (by file format and media type). */
export async function validImages(): Promise<{ name: string; type: string; bytes: Buffer }[]> {
  const gifAnim = await animated();
  const rgba = new Uint8Array(32 * 20 * 4).map((_, i) => (i * 31) % 256);
  return [
    { name: 'PNG RGB', type: 'image/png', bytes: await base().png().toBuffer() },
    { name: 'PNG RGBA interlaced', type: 'image/png', bytes: await base(40, 30, 4).png({ progressive: true }).toBuffer() },
    { name: 'PNG grey 16-bit', type: 'image/png', bytes: await base(40, 30, 1).toColourspace('grey16').png().toBuffer() },
    { name: 'PNG palette 2-bit', type: 'image/png', bytes: await base().png({ palette: true, colours: 4 }).toBuffer() },
    { name: 'PNG 1x1', type: 'image/png', bytes: await base(1, 1).png().toBuffer() },
    { name: 'JPEG baseline', type: 'image/jpeg', bytes: await base().jpeg().toBuffer() },
    { name: 'JPEG progressive grey', type: 'image/jpeg', bytes: await base(40, 30, 1).jpeg({ progressive: true }).toBuffer() },
    { name: 'JPEG with EXIF', type: 'image/jpeg', bytes: await base().withExif({ IFD0: { Copyright: 'test' } }).jpeg().toBuffer() },
    { name: 'GIF', type: 'image/gif', bytes: await base().gif().toBuffer() },
    { name: 'GIF animated', type: 'image/gif', bytes: gifAnim },
    { name: 'TIFF LE uncompressed', type: 'image/tiff', bytes: await base().tiff({ compression: 'none' }).toBuffer() },
    { name: 'TIFF LE LZW', type: 'image/tiff', bytes: await base().tiff({ compression: 'lzw' }).toBuffer() },
    { name: 'TIFF LE Deflate tiled', type: 'image/tiff', bytes: await base(40, 30).tiff({ compression: 'deflate', tile: true, tileWidth: 16, tileHeight: 16 }).toBuffer() },
    { name: 'TIFF LE PackBits', type: 'image/tiff', bytes: await base().tiff({ compression: 'packbits' }).toBuffer() },
    { name: 'TIFF multi-page', type: 'image/tiff', bytes: await sharp(gifAnim, { pages: -1 }).tiff({ compression: 'lzw' }).toBuffer() },
    { name: 'TIFF BE (utif2)', type: 'image/tiff', bytes: Buffer.from(UTIF.encodeImage(rgba, 32, 20)) },
  ];
}

export async function png(): Promise<Buffer> {
  return base().png().toBuffer();
}
