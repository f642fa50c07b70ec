/**
 * One reused jpeg-js encoder instance (jpeg-js's `encode()` builds a new one per call, ~25 ms;
 * a reused instance encodes a small image in well under a millisecond).
 *
 * jpeg-js 0.4 does not export its `JPEGEncoder` class, so the module source is loaded and
 * evaluated here with three small, checked patches (the version is pinned):
 *  1. restart markers: when `image.restartInterval` > 0, a DRI segment is written before SOS and,
 *     every `restartInterval` MCUs, the bit buffer is padded with 1-bits, RSTn (n = 0..7 cyclic)
 *     is written and the DC predictors are reset (ITU T.81 F.1.2.3). No other encoder installed
 *     here writes restart markers (libjpeg via sharp does not expose restart_interval).
 *  2. the final pad before EOI is skipped when the bit buffer is already byte-aligned (jpeg-js
 *     would otherwise write a needless 0xFF 0x00 that strict decoders report as extraneous data).
 * The output is baseline, 4:4:4 YCbCr, with a JFIF APP0 and, when given, an EXIF APP1.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export interface JpegJsImage {
  data: Uint8Array; // RGBA
  width: number;
  height: number;
  exifBuffer?: Uint8Array;
  restartInterval?: number;
  comments?: string[];
}

interface JpegEncoderInstance {
  encode(image: JpegJsImage, quality: number): Buffer;
}
type JpegEncoderClass = new (quality: number) => JpegEncoderInstance;

function patch(src: string, from: string | RegExp, to: string): string {
  const matches = src.match(typeof from === 'string' ? new RegExp(from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'g') : new RegExp(from.source, 'g'));
  if (!matches || matches.length !== 1) throw new Error(`jpeg-js encoder patch target not found exactly once: ${String(from)}`);
  return src.replace(from, to);
}

function loadEncoderClass(): JpegEncoderClass {
  const require = createRequire(import.meta.url);
  let src = readFileSync(require.resolve('jpeg-js/lib/encoder.js'), 'utf8');
  src = patch(
    src,
    /writeDHT\(\);\s*writeSOS\(\);/,
    `writeDHT();
      var RST_I = image.restartInterval | 0, RST_C = 0, RST_N = 0, RST_MCUS = Math.ceil(image.width / 8) * Math.ceil(image.height / 8);
      if (RST_I > 0) { writeWord(0xFFDD); writeWord(4); writeWord(RST_I); }
      writeSOS();`,
  );
  src = patch(
    src,
    'DCV = processDU(VDU, fdtbl_UV, DCV, UVDC_HT, UVAC_HT);',
    `DCV = processDU(VDU, fdtbl_UV, DCV, UVDC_HT, UVAC_HT);
        RST_C++;
        if (RST_I > 0 && RST_C % RST_I === 0 && RST_C < RST_MCUS) {
          if (bytepos < 7) writeBits([(1 << (bytepos + 1)) - 1, bytepos + 1]);
          writeWord(0xFFD0 + (RST_N & 7)); RST_N++;
          DCY = 0; DCU = 0; DCV = 0;
        }`,
  );
  src = patch(src, 'if ( bytepos >= 0 ) {', 'if ( bytepos >= 0 && bytepos < 7 ) {');
  // The module assigns `module.exports = encode`; give it a private module object and hand back the class.
  const factory = new Function('module', 'Buffer', `${src}\nreturn JPEGEncoder;`) as (m: object, b: typeof Buffer) => JpegEncoderClass;
  return factory({ exports: {} }, Buffer);
}

let instance: JpegEncoderInstance | undefined;

/**
 * Encodes RGBA pixels as a baseline JPEG with the one reused encoder (its constructor builds the
 * Huffman and colour tables, ~25 ms; a quality change only rescales the two quantisation tables).
 * Synchronous, deterministic.
 */
export function encodeJpegJs(image: JpegJsImage, quality: number): Uint8Array {
  instance ??= new (loadEncoderClass())(quality);
  const out = instance.encode(image, quality);
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}
