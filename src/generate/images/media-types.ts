/**
 * Formats and media types. The media types themselves come from the spec (the engine passes
 * them in); this module only maps a type to a format by its subtype, and sniffs signatures.
 */
import type { ImageFormat } from './types.js';

export const IMAGE_FORMATS: readonly ImageFormat[] = ['png', 'jpeg', 'gif', 'tiff'];

const SUBTYPES: Record<string, ImageFormat> = {
  png: 'png',
  'x-png': 'png',
  jpeg: 'jpeg',
  jpg: 'jpeg',
  pjpeg: 'jpeg',
  gif: 'gif',
  tiff: 'tiff',
  tif: 'tiff',
  'tiff-fx': 'tiff',
};

/**
 * The image format a media type names, by its subtype: `image/png` -> png,
 * `image/jpeg; q=1` -> jpeg, `IMAGE/TIFF` -> tiff. Anything that is not `image/<known>` -> undefined.
 */
export function formatOfMediaType(type: string): ImageFormat | undefined {
  const essence = type.split(';', 1)[0]!.trim().toLowerCase();
  const slash = essence.indexOf('/');
  if (slash < 0 || essence.slice(0, slash) !== 'image') return undefined;
  return SUBTYPES[essence.slice(slash + 1)];
}

/**
 * Pairs each format with the media types (from the spec) that name it, e.g. for the engine to
 * send a valid image under another format's declared type (a mismatched body).
 */
export function mediaTypesByFormat(types: readonly string[]): Map<ImageFormat, string[]> {
  const map = new Map<ImageFormat, string[]>();
  for (const t of types) {
    const f = formatOfMediaType(t);
    if (f) map.set(f, [...(map.get(f) ?? []), t]);
  }
  return map;
}

/** The format whose signature the bytes start with (the same test servers make), or undefined. */
export function sniffImageFormat(bytes: Uint8Array): ImageFormat | undefined {
  const b = bytes;
  if (b.length >= 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47 && b[4] === 0x0d && b[5] === 0x0a && b[6] === 0x1a && b[7] === 0x0a) return 'png';
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (b.length >= 6 && b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x38 && (b[4] === 0x37 || b[4] === 0x39) && b[5] === 0x61) return 'gif';
  if (b.length >= 4 && ((b[0] === 0x49 && b[1] === 0x49 && b[2] === 42 && b[3] === 0) || (b[0] === 0x4d && b[1] === 0x4d && b[2] === 0 && b[3] === 42))) return 'tiff';
  return undefined;
}

/** "812 B", "1.2 KiB", "3.4 MiB". */
export function formatByteSize(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}
