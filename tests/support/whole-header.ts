/**
 * Whether the bytes hold a supported signature and the whole header behind it (PNG signature and
 * IHDR; GIF screen descriptor and global colour table; JPEG segments up to a whole SOF; TIFF
 * header and first IFD): the "readable header" the invalid-body generators build damage behind,
 * as the test targets read it.
 */
export function wholeHeader(b: Buffer): boolean {
  const head = b.toString('latin1', 0, 4);
  if (head === '\x89PNG') return b.length >= 33 && b.toString('latin1', 12, 16) === 'IHDR';
  if (head === 'GIF8') return b.length >= 13 && b.length >= 13 + (b[10]! & 0x80 ? 3 * 2 ** ((b[10]! & 7) + 1) : 0);
  if (head === 'II*\0' || head === 'MM\0*') {
    if (b.length < 8) return false;
    const le = head === 'II*\0';
    const ifd = le ? b.readUInt32LE(4) : b.readUInt32BE(4);
    if (ifd + 2 > b.length) return false;
    return ifd + 2 + (le ? b.readUInt16LE(ifd) : b.readUInt16BE(ifd)) * 12 + 4 <= b.length;
  }
  if (b[0] === 0xff && b[1] === 0xd8) {
    for (let p = 2; p + 4 <= b.length && b[p] === 0xff; ) {
      const marker = b[p + 1]!;
      if (marker === 0xff) p += 1;
      else if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) p += 2;
      else if (marker === 0xda) return false;
      else {
        const end = p + 2 + b.readUInt16BE(p + 2);
        // A whole SOF holds its sizes: a length below 8 (precision, height, width, component count) is none.
        if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) return end <= b.length && b.readUInt16BE(p + 2) >= 8;
        p = end;
      }
    }
  }
  return false;
}
