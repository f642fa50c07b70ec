/**
 * Renders BENCH_GEN_N (120) recipes of one format, for `node --cpu-prof`:
 *   node --cpu-prof --cpu-prof-dir /tmp/prof-png --import tsx bench/profile-generation.ts png
 */
import fc from 'fast-check';
import { gifRecipe, jpegRecipe, pngRecipe, renderImage, tiffRecipe, type ImageFormat } from '../src/generate/images/index.js';

const format = (process.argv[2] ?? 'png') as ImageFormat;
const n = Number(process.env.BENCH_GEN_N ?? 120);
const arb = { png: pngRecipe, jpeg: jpegRecipe, gif: gifRecipe, tiff: tiffRecipe }[format]();
const t0 = performance.now();
let bytes = 0;
for (const r of fc.sample(arb, { seed: 1, numRuns: n })) bytes += (await renderImage(r)).bytes.length;
const s = (performance.now() - t0) / 1000;
process.stdout.write(`${format}: ${n} images, ${Math.round(bytes / 1024)} KiB, ${s.toFixed(2)} s, ${(n / s).toFixed(1)} images/s\n`);
