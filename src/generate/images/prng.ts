/** Small deterministic PRNGs: the same seed gives the same stream on every platform. */

/** mulberry32: a 32-bit seeded generator returning floats in [0, 1). For parameters. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [min, max] from a float generator. */
export function randInt(rand: () => number, min: number, max: number): number {
  return min + Math.floor(rand() * (max - min + 1));
}

/** Fills `out` with pseudo-random bytes (xorshift32, fast enough for megabytes). */
export function fillRandomBytes(out: Uint8Array, seed: number): Uint8Array {
  let x = (seed >>> 0) || 0x9e3779b9;
  let i = 0;
  const n4 = out.length & ~3;
  for (; i < n4; i += 4) {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    out[i] = x & 255;
    out[i + 1] = (x >>> 8) & 255;
    out[i + 2] = (x >>> 16) & 255;
    out[i + 3] = x >>> 24;
  }
  for (; i < out.length; i++) {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    out[i] = x & 255;
  }
  return out;
}
