/**
 * Runs the engine once against the embedded target (as `run` does) and prints peak RSS as JSON:
 * the engine's process (with the embedded target in it) and its build worker process, and their sum.
 * Usage: node --expose-gc --import tsx bench/rss-child.ts RUNS [RULE ...]   (no rules: every rule, i.e. every family)
 * BENCH_LIVE_HEAP=1 also reports the live heap during the run (forces a GC every 2 s).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildWorkerPid } from '../src/generate/case-builder.js';
import { runConformance } from '../src/run/engine.js';

/** A process's peak RSS in MB (VmHWM), read while it still runs. */
function peakRssOf(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Math.round((Number(kb) / 1024) * 10) / 10 : null;
  } catch {
    return null;
  }
}

const runs = Number(process.argv[2] ?? '100');
const only = process.argv.slice(3);
const reportDir = mkdtempSync(join(tmpdir(), 'pic-bench-rss-'));
// Peaks of the parts of memory, sampled every 250 ms, to tell heap growth from native (sharp, buffers, malloc) growth.
const peak = { rss: 0, heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: 0 };
const sample = () => {
  const m = process.memoryUsage();
  for (const k of Object.keys(peak) as (keyof typeof peak)[]) peak[k] = Math.max(peak[k], m[k]);
};
const timer = setInterval(sample, 250);
// With --expose-gc and BENCH_LIVE_HEAP=1: the live heap during the run (after a full GC every 2 s), to tell retention
// from garbage not yet collected. Off by default: the forced collections would lower the peak RSS being measured.
const gcEarly = process.env.BENCH_LIVE_HEAP === '1' ? (globalThis as { gc?: () => void }).gc : undefined;
let liveHeapPeak = 0;
const gcTimer = gcEarly
  ? setInterval(() => {
      gcEarly();
      liveHeapPeak = Math.max(liveHeapPeak, process.memoryUsage().heapUsed);
    }, 2000)
  : undefined;
const report = await runConformance({ credentials: [], seed: 1, runs, concurrency: 4, timeoutMs: 30_000, reportDir, only, progress: false });
const workerMaxRssMb = peakRssOf(buildWorkerPid());
clearInterval(timer);
if (gcTimer) clearInterval(gcTimer);
sample();
rmSync(reportDir, { recursive: true, force: true });
const gc = (globalThis as { gc?: () => void }).gc;
gc?.();
const heapUsedMb = Math.round((process.memoryUsage().heapUsed / 2 ** 20) * 10) / 10;
const ru = process.resourceUsage();
process.stdout.write(
  `${JSON.stringify({ runs, only, requests: report.requests, durationMs: report.durationMs, verdict: report.verdict, heapUsedAfterGcMb: gc ? heapUsedMb : null, liveHeapPeakDuringRunMb: gcTimer ? Math.round((liveHeapPeak / 2 ** 20) * 10) / 10 : null, peaksMb: Object.fromEntries(Object.entries(peak).map(([k, v]) => [k, Math.round((v / 2 ** 20) * 10) / 10])), maxRssMb: Math.round((ru.maxRSS / 1024) * 10) / 10, workerMaxRssMb })}\n`,
);
