/** Just enough PNG and JPEG structure to aim damage at the right bytes. */

export interface PngChunk {
  type: string;
  /** Offset of the length field. */
  offset: number;
  length: number;
  dataStart: number;
  crcAt: number;
}

export function pngChunks(b: Uint8Array): PngChunk[] {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const out: PngChunk[] = [];
  let p = 8;
  while (p + 12 <= b.length) {
    const length = dv.getUint32(p);
    const type = String.fromCharCode(b[p + 4]!, b[p + 5]!, b[p + 6]!, b[p + 7]!);
    out.push({ type, offset: p, length, dataStart: p + 8, crcAt: p + 8 + length });
    p += 12 + length;
  }
  return out;
}

interface JpegSegment {
  marker: number;
  /** Offset of the 0xFF. */
  offset: number;
  /** Offset just after the segment (after its length-counted payload). */
  end: number;
}

export interface JpegStructure {
  segments: JpegSegment[];
  sof: JpegSegment;
  /** First byte of entropy-coded data after the (first) SOS header. */
  scanStart: number;
  /** Offset of the final EOI marker (0xFF of FFD9). */
  eoi: number;
}

export function jpegStructure(b: Uint8Array): JpegStructure {
  const segments: JpegSegment[] = [];
  let p = 2;
  let sof: JpegSegment | undefined;
  while (p + 4 <= b.length) {
    if (b[p] !== 0xff) throw new Error(`JPEG: expected a marker at ${p}`);
    const marker = b[p + 1]!;
    const end = p + 2 + ((b[p + 2]! << 8) | b[p + 3]!);
    const seg = { marker, offset: p, end };
    segments.push(seg);
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) sof ??= seg;
    if (marker === 0xda) {
      if (!sof) throw new Error('JPEG: SOS before SOF');
      const eoi = b[b.length - 2] === 0xff && b[b.length - 1] === 0xd9 ? b.length - 2 : b.length;
      return { segments, sof, scanStart: end, eoi };
    }
    p = end;
  }
  throw new Error('JPEG: no SOS');
}
