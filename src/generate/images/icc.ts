/**
 * ICC profiles for embedding: libvips's built-in sRGB and Display P3 profiles (480 bytes each,
 * v2 RGB display profiles), read once through sharp and cached. Deterministic: the same libvips
 * gives the same bytes. Embedded as a JPEG APP2 `ICC_PROFILE` marker sequence (ICC.1 Annex B.4:
 * the profile may be split over several markers, each numbered 1..n of n) or a PNG iCCP chunk.
 */
import sharp from 'sharp';

export type IccProfileName = 'srgb' | 'p3';
export const ICC_PROFILES: readonly IccProfileName[] = ['srgb', 'p3'];

const cache = new Map<IccProfileName, Promise<Uint8Array>>();

async function loadProfile(name: IccProfileName): Promise<Uint8Array> {
  const jpeg = await sharp({ create: { width: 1, height: 1, channels: 3, background: { r: 0, g: 0, b: 0 } } }).withIccProfile(name).jpeg().toBuffer();
  const icc = (await sharp(jpeg).metadata()).icc;
  if (!icc || icc.length < 132 || icc.toString('latin1', 36, 40) !== 'acsp') throw new Error(`libvips has no usable built-in ICC profile ${name}`);
  return new Uint8Array(icc);
}

/** The bytes of a built-in RGB display profile. */
export function iccProfile(name: IccProfileName): Promise<Uint8Array> {
  let p = cache.get(name);
  if (!p) {
    p = loadProfile(name);
    cache.set(name, p);
  }
  return p;
}

const ICC_MARKER_ID = 'ICC_PROFILE\0';

/**
 * Inserts the profile as `segments` APP2 markers (each "ICC_PROFILE\0", sequence number, count,
 * then its share of the profile) after SOI and any APP0/APP1 (JFIF, Exif), as libjpeg and
 * Photoshop place it.
 */
export function insertIccSegments(jpeg: Uint8Array, profile: Uint8Array, segments: number): Uint8Array {
  if (segments < 1 || segments > 255 || segments > profile.length) throw new Error(`ICC: ${segments} segments for ${profile.length} bytes`);
  let at = 2;
  while (jpeg[at] === 0xff && (jpeg[at + 1] === 0xe0 || jpeg[at + 1] === 0xe1)) at += 2 + ((jpeg[at + 2]! << 8) | jpeg[at + 3]!);
  const share = Math.ceil(profile.length / segments);
  const parts: Uint8Array[] = [];
  for (let k = 0; k < segments; k++) {
    const piece = profile.subarray(k * share, Math.min(profile.length, (k + 1) * share));
    const length = 2 + ICC_MARKER_ID.length + 2 + piece.length;
    const seg = new Uint8Array(2 + length);
    seg.set([0xff, 0xe2, length >> 8, length & 255], 0);
    for (let i = 0; i < ICC_MARKER_ID.length; i++) seg[4 + i] = ICC_MARKER_ID.charCodeAt(i);
    seg[4 + ICC_MARKER_ID.length] = k + 1;
    seg[5 + ICC_MARKER_ID.length] = segments;
    seg.set(piece, 6 + ICC_MARKER_ID.length);
    parts.push(seg);
  }
  const size = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(jpeg.length + size);
  out.set(jpeg.subarray(0, at), 0);
  let o = at;
  for (const p of parts) { out.set(p, o); o += p.length; }
  out.set(jpeg.subarray(at), o);
  return out;
}
