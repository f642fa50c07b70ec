/**
 * The one image signature sniffer (src/generate/images/media-types.ts), which the reference
 * target, the checks, the run and the generators share. Where its former copies disagreed,
 * this is the answer: PNG needs its whole 8-byte signature (not the first 4), TIFF is classic
 * or BigTIFF in either byte order, GIF is 87a or 89a (not any `GIF8`), JPEG is FF D8 FF.
 */
import { describe, expect, it } from 'vitest';
import { sniffImageFormat } from '../../src/generate/images/media-types.js';

const bytes = (...xs: (number | string)[]): Uint8Array =>
  Uint8Array.from(xs.flatMap((x) => (typeof x === 'string' ? [...Buffer.from(x, 'latin1')] : [x])));

describe('sniffImageFormat', () => {
  it.each<[string, Uint8Array, string | undefined]>([
    ['PNG', bytes(0x89, 'PNG\r\n\x1a\n', 0, 0, 0, 13), 'png'],
    ['PNG, the signature alone', bytes(0x89, 'PNG\r\n\x1a\n'), 'png'],
    ['PNG, only the first 4 bytes of the signature', bytes(0x89, 'PNG'), undefined],
    ['PNG, 4 bytes right and then wrong', bytes(0x89, 'PNG\r\n\x1a\x0b'), undefined],
    ['JPEG', bytes(0xff, 0xd8, 0xff, 0xe0), 'jpeg'],
    ['JPEG, the three bytes alone', bytes(0xff, 0xd8, 0xff), 'jpeg'],
    ['JPEG, SOI without a marker after it', bytes(0xff, 0xd8, 0x00), undefined],
    ['GIF87a', bytes('GIF87a', 1, 0), 'gif'],
    ['GIF89a', bytes('GIF89a', 1, 0), 'gif'],
    ['GIF8 with another version', bytes('GIF88a', 1, 0), undefined],
    ['GIF8 alone', bytes('GIF8'), undefined],
    ['TIFF little-endian', bytes('II', 42, 0, 8, 0, 0, 0), 'tiff'],
    ['TIFF big-endian', bytes('MM', 0, 42, 0, 0, 0, 8), 'tiff'],
    ['BigTIFF little-endian', bytes('II', 43, 0, 8, 0, 0, 0), 'tiff'],
    ['BigTIFF big-endian', bytes('MM', 0, 43, 0, 8, 0, 0), 'tiff'],
    ['TIFF byte order with a wrong magic', bytes('II', 44, 0), undefined],
    ['TIFF magic in the other byte order', bytes('II', 0, 42), undefined],
    ['BMP', bytes('BM', 0, 0, 0, 0), undefined],
    ['WebP', bytes('RIFF', 0, 0, 0, 0, 'WEBP'), undefined],
    ['empty', bytes(), undefined],
    ['text', bytes('hello'), undefined],
  ])('%s', (_what, b, format) => {
    expect(sniffImageFormat(b)).toBe(format);
  });

  it('reads a Buffer as well as a Uint8Array, and a view into a larger buffer by its own start', () => {
    expect(sniffImageFormat(Buffer.from('GIF89a'))).toBe('gif');
    const inside = Buffer.from([0, 0, 0xff, 0xd8, 0xff]).subarray(2);
    expect(sniffImageFormat(inside)).toBe('jpeg');
  });

});
