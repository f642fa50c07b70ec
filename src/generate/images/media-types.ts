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

/**
 * The signatures of the four formats, byte by byte: PNG's whole 8-byte signature, JPEG's SOI and
 * the first byte of the next marker, GIF87a and GIF89a, and TIFF in both byte orders, classic
 * (`II*\0`, `MM\0*`) and BigTIFF (`II+\0`, `MM\0+`).
 */
const SIGNATURES: readonly (readonly [ImageFormat, readonly number[]])[] = [
  ['png', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
  ['jpeg', [0xff, 0xd8, 0xff]],
  ['gif', [0x47, 0x49, 0x46, 0x38, 0x37, 0x61]],
  ['gif', [0x47, 0x49, 0x46, 0x38, 0x39, 0x61]],
  ['tiff', [0x49, 0x49, 0x2a, 0x00]],
  ['tiff', [0x4d, 0x4d, 0x00, 0x2a]],
  ['tiff', [0x49, 0x49, 0x2b, 0x00]],
  ['tiff', [0x4d, 0x4d, 0x00, 0x2b]],
];

/**
 * The format whose signature the bytes start with, or undefined: the one test for "is this an
 * image" of the reference target, the checks, the run (snapshot, counterexamples) and the
 * generators of bodies that must carry no signature.
 */
export function sniffImageFormat(bytes: Uint8Array): ImageFormat | undefined {
  const found = SIGNATURES.find(([, sig]) => bytes.length >= sig.length && sig.every((x, i) => bytes[i] === x));
  return found?.[0];
}

/** "812 B", "1.2 KiB", "3.4 MiB". */
export function formatByteSize(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}
