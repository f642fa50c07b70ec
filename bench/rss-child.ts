/**
 * Runs the engine once against the embedded target (as `run` does) and prints peak RSS as JSON.
 * Usage: tsx bench/rss-child.ts RUNS [RULE ...]   (no rules: every rule, i.e. every family)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runConformance } from '../src/run/engine.js';

const runs = Number(process.argv[2] ?? '100');
const only = process.argv.slice(3);
const reportDir = mkdtempSync(join(tmpdir(), 'pic-bench-rss-'));
const report = await runConformance({ credentials: [], seed: 1, runs, concurrency: 4, timeoutMs: 30_000, reportDir, only, progress: false });
rmSync(reportDir, { recursive: true, force: true });
const gc = (globalThis as { gc?: () => void }).gc;
gc?.();
const heapUsedMb = Math.round((process.memoryUsage().heapUsed / 2 ** 20) * 10) / 10;
const ru = process.resourceUsage();
process.stdout.write(
  `${JSON.stringify({ runs, only, requests: report.requests, durationMs: report.durationMs, verdict: report.verdict, heapUsedAfterGcMb: gc ? heapUsedMb : null, maxRssMb: Math.round((ru.maxRSS / 1024) * 10) / 10 })}\n`,
);
