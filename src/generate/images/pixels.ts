/**
 * Photo-like pixel content: per-channel smooth gradients and soft ripples plus noise, all from
 * `pixelSeed`. The noise keeps large images from compressing away (a 2048x2048 RGB PNG stays
 * several MiB); the gradients keep palettes, JPEG and low bit depths looking like pictures.
 */
import { mulberry32, randInt } from './prng.js';

/** Per-channel gradient tables along x and along y. */
function channelTables(rand: () => number, width: number, height: number, channels: number, alpha: boolean) {
  const xs: Float32Array[] = [];
  const ys: Float32Array[] = [];
  for (let c = 0; c < channels; c++) {
    const isAlpha = alpha && c === channels - 1;
    const base = isAlpha ? 160 + rand() * 95 : 20 + rand() * 215;
    const dx = (rand() * 2 - 1) * (isAlpha ? 200 : 140);
    const dy = (rand() * 2 - 1) * (isAlpha ? 200 : 140);
    const amp = rand() * 40;
    const fx = (0.5 + rand() * 4) * 2 * Math.PI;
    const fy = (0.5 + rand() * 4) * 2 * Math.PI;
    const px = rand() * 6.3;
    const py = rand() * 6.3;
    const tx = new Float32Array(width);
    const ty = new Float32Array(height);
    for (let x = 0; x < width; x++) {
      const u = width > 1 ? x / (width - 1) : 0.5;
      tx[x] = base + dx * (u - 0.5) + amp * Math.sin(fx * u + px);
    }
    for (let y = 0; y < height; y++) {
      const v = height > 1 ? y / (height - 1) : 0.5;
      ty[y] = dy * (v - 0.5) + amp * Math.sin(fy * v + py);
    }
    xs.push(tx);
    ys.push(ty);
  }
  return { xs, ys };
}

export interface PixelOptions {
  /** 1 grey, 2 grey+alpha, 3 RGB, 4 RGBA. */
  channels: 1 | 2 | 3 | 4;
  /** Noise amplitude (peak), 0..128; default from the seed (8..40). */
  noise?: number;
}

/**
 * Interleaved 8-bit samples, `width * height * channels` long. When the image has alpha
 * (2 or 4 channels), it is the last channel. The inner loop is an xorshift step, two integer
 * adds and a clamp per sample (the gradients are rounded to integer tables per row and column).
 */
export function synthPixels8(width: number, height: number, seed: number, opts: PixelOptions): Uint8Array {
  const { channels } = opts;
  const rand = mulberry32(seed ^ 0x5bd1e995);
  const noise = opts.noise ?? randInt(rand, 8, 40);
  const { xs, ys } = channelTables(rand, width, height, channels, channels === 2 || channels === 4);
  const rowLength = width * channels;
  // The column gradient of each sample of a row, less the noise's offset; the row gradient per channel.
  const column = new Int16Array(rowLength);
  for (let x = 0; x < width; x++) for (let c = 0; c < channels; c++) column[x * channels + c] = Math.round(xs[c]![x]!) - noise;
  const row = new Int16Array(channels);
  const out = new Uint8Array(width * height * channels);
  let s = (Math.imul(seed, 2654435761) >>> 0) || 1;
  const span = noise * 2 + 1;
  let i = 0;
  for (let y = 0; y < height; y++) {
    for (let c = 0; c < channels; c++) row[c] = Math.round(ys[c]![y]!);
    for (let k = 0, c = 0; k < rowLength; k++) {
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      // The top 16 bits scaled to 0..span-1 (no division in the loop).
      const v = column[k]! + row[c]! + (((s >>> 16) * span) >>> 16);
      out[i++] = v < 0 ? 0 : v > 255 ? 255 : v;
      if (++c === channels) c = 0;
    }
  }
  return out;
}

/** Interleaved 16-bit samples (host order) with noise in the low byte too. */
export function synthPixels16(width: number, height: number, seed: number, opts: PixelOptions): Uint16Array {
  const hi = synthPixels8(width, height, seed, opts);
  const out = new Uint16Array(hi.length);
  let s = (Math.imul(seed ^ 0x1234567, 2246822519) >>> 0) || 1;
  for (let i = 0; i < hi.length; i++) {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    out[i] = (hi[i]! << 8) | (s & 255);
  }
  return out;
}
