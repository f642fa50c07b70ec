/** A GIF block walker (GIF89a spec, section 17+), for byte-level variants and damage. */

interface GifImageBlock {
  kind: 'image';
  /** Offset of the 0x2C image separator. */
  offset: number;
  /** Offset of the packed-fields byte (interlace flag 0x40). */
  packedOffset: number;
  /** Offset of the LZW minimum code size byte. */
  dataOffset: number;
  /** Offset just after the block terminator. */
  end: number;
}
interface GifExtensionBlock {
  kind: 'extension';
  label: number;
  offset: number;
  end: number;
}
interface GifTrailer {
  kind: 'trailer';
  offset: number;
}
type GifBlock = GifImageBlock | GifExtensionBlock | GifTrailer;

export interface GifStructure {
  /** Offset of the first block after the header, logical screen descriptor and global colour table. */
  blocksStart: number;
  blocks: GifBlock[];
}

function skipSubBlocks(b: Uint8Array, p: number): number {
  while (p < b.length) {
    const n = b[p]!;
    p += 1 + n;
    if (n === 0) return p;
  }
  throw new Error('GIF: sub-blocks run past the end');
}

export function walkGif(b: Uint8Array): GifStructure {
  if (b.length < 13) throw new Error('GIF: shorter than a header');
  const flags = b[10]!;
  let p = 13 + (flags & 0x80 ? 3 * (1 << ((flags & 7) + 1)) : 0);
  const blocksStart = p;
  const blocks: GifBlock[] = [];
  while (p < b.length) {
    const id = b[p]!;
    if (id === 0x3b) {
      blocks.push({ kind: 'trailer', offset: p });
      return { blocksStart, blocks };
    }
    if (id === 0x21) {
      const end = skipSubBlocks(b, p + 2);
      blocks.push({ kind: 'extension', label: b[p + 1]!, offset: p, end });
      p = end;
    } else if (id === 0x2c) {
      const packedOffset = p + 9;
      const lf = b[packedOffset]!;
      const dataOffset = p + 10 + (lf & 0x80 ? 3 * (1 << ((lf & 7) + 1)) : 0);
      const end = skipSubBlocks(b, dataOffset + 1);
      blocks.push({ kind: 'image', offset: p, packedOffset, dataOffset, end });
      p = end;
    } else {
      throw new Error(`GIF: unknown block 0x${id.toString(16)} at ${p}`);
    }
  }
  return { blocksStart, blocks };
}

/** Row order of an interlaced GIF image: pass 1 every 8th row from 0, pass 2 from 4, pass 3 every 4th from 2, pass 4 every 2nd from 1. */
export function gifInterlacedRowOrder(height: number): number[] {
  const rows: number[] = [];
  for (const [start, step] of [[0, 8], [4, 8], [2, 4], [1, 2]] as const) for (let y = start; y < height; y += step) rows.push(y);
  return rows;
}
