/**
 * Fill bytes before JPEG markers. ITU T.81 B.1.1.2: "Any marker may optionally be preceded by any
 * number of fill bytes, which are bytes assigned code X'FF'." libjpeg's next_marker() swallows
 * them (no warning: they are not counted as extraneous data), as do ImageSharp's
 * FindNextFileMarker and the other common decoders.
 *
 * They go before every marker from the second segment up to and including SOS (APPn, DQT, DHT,
 * SOF, DRI, SOS), never right after SOI: sniffers that look for `FF D8 FF` still see it, and a
 * reader that checks the fourth byte for an APPn marker (JFIF/Exif detection) is left alone, as
 * the point is the walk between segments.
 */

/** The offsets of the markers of the header segments after SOI, up to and including SOS. */
function jpegHeaderMarkers(b: Uint8Array): number[] {
  if (b[0] !== 0xff || b[1] !== 0xd8) throw new Error('JPEG: no SOI');
  const out: number[] = [];
  let p = 2;
  for (;;) {
    if (p + 4 > b.length || b[p] !== 0xff) throw new Error(`JPEG: expected a marker at ${p}`);
    const marker = b[p + 1]!;
    if (marker === 0xff || marker === 0x00 || marker === 0xd8 || marker === 0xd9 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      throw new Error(`JPEG: unexpected marker 0x${marker.toString(16)} at ${p} before the scan`);
    }
    out.push(p);
    if (marker === 0xda) return out;
    p += 2 + ((b[p + 2]! << 8) | b[p + 3]!);
  }
}

/** A copy with `count` fill bytes (0xFF) before each header marker but the first (see above). */
export function insertFillBytes(b: Uint8Array, count: number): Uint8Array {
  if (!Number.isInteger(count) || count < 1) throw new Error(`insertFillBytes: bad count ${count}`);
  const at = jpegHeaderMarkers(b).slice(1);
  const out = new Uint8Array(b.length + at.length * count);
  let from = 0;
  let to = 0;
  for (const p of at) {
    out.set(b.subarray(from, p), to);
    to += p - from;
    out.fill(0xff, to, to + count);
    to += count;
    from = p;
  }
  out.set(b.subarray(from), to);
  return out;
}

/** A copy without the fill bytes between header segments (for walkers that expect none). */
export function removeFillBytes(b: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [b.subarray(0, 2)];
  let p = 2;
  for (;;) {
    while (b[p] === 0xff && b[p + 1] === 0xff) p++;
    if (p + 4 > b.length || b[p] !== 0xff) throw new Error(`JPEG: expected a marker at ${p}`);
    if (b[p + 1] === 0xda) {
      parts.push(b.subarray(p));
      break;
    }
    const end = p + 2 + ((b[p + 2]! << 8) | b[p + 3]!);
    parts.push(b.subarray(p, end));
    p = end;
  }
  const out = new Uint8Array(parts.reduce((n, x) => n + x.length, 0));
  let at = 0;
  for (const x of parts) {
    out.set(x, at);
    at += x.length;
  }
  return out;
}
