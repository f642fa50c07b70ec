/**
 * A small, realistic EXIF block (APP1 payload: "Exif\0\0" + a little-endian TIFF structure with
 * IFD0 and an Exif sub-IFD), written by hand so every JPEG encoder path can carry the same one.
 */
import { mulberry32, randInt } from './prng.js';

type Entry = { tag: number; type: 2 | 3 | 4 | 5 | 7; values: number[] | string };
const TYPE_SIZE: Record<number, number> = { 2: 1, 3: 2, 4: 4, 5: 8, 7: 1 };

function ifdSize(entries: Entry[]): number {
  let n = 2 + entries.length * 12 + 4;
  for (const e of entries) {
    const bytes = count(e) * TYPE_SIZE[e.type]!;
    if (bytes > 4) n += bytes + (bytes & 1);
  }
  return n;
}

function count(e: Entry): number {
  if (typeof e.values === 'string') return e.type === 2 ? e.values.length + 1 : e.values.length;
  return e.type === 5 ? e.values.length / 2 : e.values.length;
}

/** Writes an IFD at `at` (TIFF-relative) into dv; returns the offset of its next-IFD field. */
function writeIfd(dv: DataView, base: number, at: number, entries: Entry[]): number {
  const sorted = [...entries].sort((a, b) => a.tag - b.tag);
  dv.setUint16(base + at, sorted.length, true);
  let extra = at + 2 + sorted.length * 12 + 4;
  sorted.forEach((e, i) => {
    const p = base + at + 2 + i * 12;
    const n = count(e);
    const bytes = n * TYPE_SIZE[e.type]!;
    dv.setUint16(p, e.tag, true);
    dv.setUint16(p + 2, e.type, true);
    dv.setUint32(p + 4, n, true);
    let v = p + 8;
    if (bytes > 4) {
      dv.setUint32(p + 8, extra, true);
      v = base + extra;
      extra += bytes + (bytes & 1);
    }
    if (typeof e.values === 'string') {
      for (let k = 0; k < e.values.length; k++) dv.setUint8(v + k, e.values.charCodeAt(k));
    } else {
      e.values.forEach((x, k) => {
        if (e.type === 3) dv.setUint16(v + 2 * k, x, true);
        else if (e.type === 4 || e.type === 5) dv.setUint32(v + 4 * k, x, true);
        else dv.setUint8(v + k, x);
      });
    }
  });
  return at + 2 + sorted.length * 12;
}

/** The APP1 payload ("Exif\0\0" + TIFF), 150-250 bytes, varying with the seed. */
export function exifPayload(width: number, height: number, seed: number): Uint8Array {
  const rand = mulberry32(seed ^ 0xe81f);
  const makes = ['Canon', 'NIKON CORPORATION', 'Apple', 'SONY', 'FUJIFILM'];
  const make = makes[randInt(rand, 0, makes.length - 1)]!;
  const date = `20${randInt(rand, 10, 25)}:${String(randInt(rand, 1, 12)).padStart(2, '0')}:${String(randInt(rand, 1, 28)).padStart(2, '0')} 12:${String(randInt(rand, 0, 59)).padStart(2, '0')}:00`;
  const exifIfd: Entry[] = [
    { tag: 0x9000, type: 7, values: '0232' },
    { tag: 0x9003, type: 2, values: date },
    { tag: 0xa001, type: 3, values: [1] },
    { tag: 0xa002, type: 4, values: [width] },
    { tag: 0xa003, type: 4, values: [height] },
  ];
  const ifd0: Entry[] = [
    { tag: 0x010f, type: 2, values: make },
    { tag: 0x0110, type: 2, values: `Model ${randInt(rand, 1, 999)}` },
    { tag: 0x0112, type: 3, values: [1] },
    { tag: 0x011a, type: 5, values: [72, 1] },
    { tag: 0x011b, type: 5, values: [72, 1] },
    { tag: 0x0128, type: 3, values: [2] },
    { tag: 0x0131, type: 2, values: 'person-image-conformance' },
    { tag: 0x0132, type: 2, values: date },
    { tag: 0x8769, type: 4, values: [0] }, // patched below
  ];
  const ifd0At = 8;
  const exifAt = ifd0At + ifdSize(ifd0);
  (ifd0[8] as Entry).values = [exifAt];
  const total = 6 + exifAt + ifdSize(exifIfd);
  const out = new Uint8Array(total);
  out.set([0x45, 0x78, 0x69, 0x66, 0, 0], 0);
  const dv = new DataView(out.buffer);
  const base = 6;
  out.set([0x49, 0x49, 42, 0], base);
  dv.setUint32(base + 4, ifd0At, true);
  const next0 = writeIfd(dv, base, ifd0At, ifd0);
  dv.setUint32(base + next0, 0, true);
  const next1 = writeIfd(dv, base, exifAt, exifIfd);
  dv.setUint32(base + next1, 0, true);
  return out;
}

/** Inserts an APP1 Exif segment into a JPEG, after SOI and a JFIF APP0 when there is one. */
export function insertExifSegment(jpeg: Uint8Array, payload: Uint8Array): Uint8Array {
  let at = 2;
  if (jpeg[2] === 0xff && jpeg[3] === 0xe0) at = 4 + ((jpeg[4]! << 8) | jpeg[5]!);
  const seg = new Uint8Array(4 + payload.length);
  seg[0] = 0xff;
  seg[1] = 0xe1;
  seg[2] = (payload.length + 2) >> 8;
  seg[3] = (payload.length + 2) & 255;
  seg.set(payload, 4);
  const out = new Uint8Array(jpeg.length + seg.length);
  out.set(jpeg.subarray(0, at), 0);
  out.set(seg, at);
  out.set(jpeg.subarray(at), at + seg.length);
  return out;
}
