/**
 * `npm run bench`: engine overhead against a bare undici loop, generation throughput, the
 * default run's wall time and peak RSS by --runs. Prints a table and writes bench/results.json.
 *
 * Knobs (environment): BENCH_ENGINE_RUNS (cases per family for the overhead comparison, default 60),
 * BENCH_GEN_N (images per format, default 120), BENCH_MEM_RUNS (default "100,1000,5000"), BENCH_MEM_FAMILIES (default invalid-body,content-type,person-id),
 * BENCH_REPS (overhead repetitions, median kept, default 5), BENCH_SKIP (comma list of: overhead, generation, default-run, memory).
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { Agent, FormData, request, Response } from 'undici';
import type { Credential } from '../src/config/credentials.js';
import type { RunConfig } from '../src/config/run-config.js';
import { buildCase } from '../src/generate/build.js';
import type { CaseBody } from '../src/generate/case.js';
import { families } from '../src/generate/families/index.js';
import { GIF_FAMILIES, gifRecipe, JPEG_MODES, jpegRecipe, PNG_COLOURS, pngRecipe, renderImage, TIFF_COMPRESSIONS, tiffRecipe, type ImageFormat, type ImageRecipe } from '../src/generate/images/index.js';
import { invalidBodyRecipe, renderInvalidBody } from '../src/generate/invalid-bodies/index.js';
import { runConformance } from '../src/run/engine.js';
import { familySeed } from '../src/run/selection.js';
import type { Progress } from '../src/run/progress.js';
import { embeddedCredentials } from '../src/run/target.js';
import { loadSpec } from '../src/spec/load.js';
import { loadRules } from '../src/spec/rules.js';
import type { RunningTarget } from '../src/target/server.js';
import { RUN_ID_HEADER } from '../src/transport/target-session.js';
import { userAgent } from '../src/version.js';
import { machine } from './machine.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const skip = new Set((process.env.BENCH_SKIP ?? '').split(',').filter(Boolean));
const ENGINE_RUNS = Number(process.env.BENCH_ENGINE_RUNS ?? 60);
const GEN_N = Number(process.env.BENCH_GEN_N ?? 120);
const MEM_RUNS = (process.env.BENCH_MEM_RUNS ?? '100,1000,5000').split(',').map(Number);
const SEED = 1;
const REPS = Number(process.env.BENCH_REPS ?? 5);

/** Families whose every case is exactly one request and which run concurrently (so c8 means 8 in flight). */
const OVERHEAD_FAMILIES = ['valid-upload', 'accept', 'invalid-body', 'content-type', 'person-id'] as const;
/** Families of the memory measurement (see README: the full set at 5,000 runs takes too long). */
const MEMORY_FAMILIES: readonly string[] = (process.env.BENCH_MEM_FAMILIES ?? 'invalid-body,content-type,person-id').split(',');
/** Rules left out of the overhead comparison: they warn on the reference target, and the engine then shrinks (extra requests the bare loop does not replay). */
const OVERHEAD_EXCLUDED_RULES = ['damaged-image-rejected'];

const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;

/** Rules judged only by the given families (so `only` selects exactly those families). */
async function rulesOnlyFor(fams: readonly string[]): Promise<string[]> {
  const rules = await loadRules();
  const set = new Set(fams);
  const ids = rules.filter((r) => r.exercisedBy.every((f) => set.has(f))).map((r) => r.id);
  const covered = new Set(rules.filter((r) => ids.includes(r.id)).flatMap((r) => r.exercisedBy));
  for (const f of fams) if (!covered.has(f)) throw new Error(`bench: no rule is judged by ${f} alone`);
  return ids;
}

// ---------------------------------------------------------------- engine overhead

interface Recorded {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: Uint8Array;
}

async function encode(body: CaseBody): Promise<{ bytes: Uint8Array; contentType?: string }> {
  if (body.kind === 'raw') return { bytes: body.bytes, ...(body.contentType ? { contentType: body.contentType } : {}) };
  const form = new FormData();
  for (const p of body.parts) form.append(p.field, new Blob([p.bytes], { type: p.contentType }), p.filename);
  const res = new Response(form);
  return { bytes: new Uint8Array(await res.arrayBuffer()), contentType: res.headers.get('content-type')! };
}

async function record(baseUrl: string, credentials: Credential[], personId: number, runs: number): Promise<Recorded[]> {
  const { model } = await loadSpec();
  const out: Recorded[] = [];
  const fams = families({ model, credentials, personId }).filter((f) => (OVERHEAD_FAMILIES as readonly string[]).includes(f.name));
  for (const family of fams) {
    for (const recipe of fc.sample(family.arbitrary, { seed: familySeed(SEED, family.name), numRuns: runs })) {
      const c = await buildCase({ model, credentials }, recipe);
      const { bytes, contentType } = await encode(c.body);
      const headers: Record<string, string> = { 'user-agent': userAgent, [RUN_ID_HEADER]: 'bench', ...c.headers, ...c.authHeaders };
      if (contentType) headers['content-type'] = contentType;
      out.push({ method: recipe.method, url: baseUrl + c.path, headers, body: bytes });
    }
  }
  return out;
}

async function bareLoop(reqs: Recorded[], concurrency: number): Promise<{ rps: number; seconds: number; statuses: Record<number, number> }> {
  const agent = new Agent({ connections: concurrency, keepAliveTimeout: 10_000 });
  const statuses: Record<number, number> = {};
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < reqs.length) {
        const r = reqs[next++]!;
        const res = await request(r.url, { method: r.method as 'PUT', headers: r.headers, ...(r.body ? { body: r.body } : {}), dispatcher: agent });
        await res.body.arrayBuffer();
        statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  await agent.close();
  return { rps: reqs.length / seconds, seconds, statuses };
}

interface OverheadRow {
  concurrency: number;
  engineRps: number;
  engineRequests: number;
  engineSeconds: number;
  bareRps: number;
  bareRequests: number;
  bareSeconds: number;
  ratio: number;
  /** Survey phase only (first family started to last family done): no spec/rule loading, schema compiling, reachability or image snapshot. */
  engineSurveyRps: number;
  surveyRatio: number;
  allRatios?: number[];
}

function startTargetChild(): Promise<{ t: RunningTarget; stop: () => void }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'target-child.ts')], { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] });
    let buf = '';
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const nl = buf.indexOf('\n');
      if (nl >= 0) {
        const info = JSON.parse(buf.slice(0, nl)) as Pick<RunningTarget, 'url' | 'credentials' | 'persons'>;
        resolve({ t: { ...info, requestCount: () => 0, close: async () => {} }, stop: () => child.kill('SIGTERM') });
      }
    });
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`target child exited ${code}`)));
  });
}

/** Time to generate and build the recorded cases (one thread, one after another). */
let recordSeconds = 0;

async function overhead(): Promise<OverheadRow[]> {
  // The target runs in its own process so that the client side (engine or bare loop) has the bench process to itself.
  const { t, stop } = await startTargetChild();
  try {
    const credentials = embeddedCredentials(t);
    const personId = t.persons[0]!;
    const only = (await rulesOnlyFor(OVERHEAD_FAMILIES)).filter((id) => !OVERHEAD_EXCLUDED_RULES.includes(id));
    const config = (runs: number, concurrency: number): RunConfig => ({
      target: t.url,
      credentials,
      personId,
      seed: SEED,
      runs,
      concurrency,
      timeoutMs: 30_000,
      reportDir: mkdtempSync(join(tmpdir(), 'pic-bench-')),
      only,
      progress: false,
    });
    const tr = performance.now();
    const reqs = await record(t.url, credentials, personId, ENGINE_RUNS);
    recordSeconds = round((performance.now() - tr) / 1000, 2);
    // Warm-up of both sides (JIT, connections, the target's own caches).
    await runConformance(config(10, 8));
    await bareLoop(reqs.slice(0, 50), 8);
    const rows: OverheadRow[] = [];
    for (const c of [1, 8]) {
      const reps: OverheadRow[] = [];
      for (let rep = 0; rep < REPS; rep++) {
        const bare = await bareLoop(reqs, c);
        const cfg = config(ENGINE_RUNS, c);
        let first: number | undefined;
        let last = 0;
        let cases = 0;
        const progress: Progress = {
          family: () => void (first ??= performance.now()),
          tick: () => void cases++,
          familyDone: () => void (last = performance.now()),
          note: () => {},
        };
        const report = await runConformance(cfg, { progress });
        const surveyRps = cases / ((last - first!) / 1000);
        rmSync(cfg.reportDir, { recursive: true, force: true });
        const engineSeconds = report.durationMs / 1000;
        const engineRps = report.requests / engineSeconds;
        const row: OverheadRow = {
          concurrency: c,
          engineRps: round(engineRps),
          engineRequests: report.requests,
          engineSeconds: round(engineSeconds, 2),
          bareRps: round(bare.rps),
          bareRequests: reqs.length,
          bareSeconds: round(bare.seconds, 2),
          ratio: round(engineRps / bare.rps, 3),
          engineSurveyRps: round(surveyRps),
          surveyRatio: round(surveyRps / bare.rps, 3),
        };
        reps.push(row);
      }
      // The median repetition by ratio (the machine may be shared; see README).
      const median = [...reps].sort((a, b) => a.ratio - b.ratio)[Math.floor(reps.length / 2)]!;
      rows.push({ ...median, allRatios: reps.map((r) => r.ratio) });
    }
    return rows;
  } finally {
    stop();
  }
}

// ---------------------------------------------------------------- generation

interface GenResult {
  imagesPerSecond: Record<ImageFormat, number>;
  variants: { format: ImageFormat; variant: string; count: number; perSecond: number; meanKiB: number }[];
  invalidBodiesPerSecond: number;
}

/** The variant family of a variant name: PNG colour type, JPEG mode, GIF family, TIFF compression. */
function variantFamily(format: ImageFormat, variant: string): string {
  const lists: Record<ImageFormat, readonly string[]> = { png: PNG_COLOURS, jpeg: JPEG_MODES, gif: GIF_FAMILIES, tiff: TIFF_COMPRESSIONS };
  const tokens = variant.split('-');
  if (format === 'gif' && tokens.some((t) => t.startsWith('animated'))) return 'animated';
  const byLength = [...lists[format]].sort((a, b) => b.length - a.length);
  if (format === 'png') return byLength.find((c) => variant.startsWith(`${c}-`) || variant === c) ?? tokens[0]!;
  return byLength.find((c) => tokens.includes(c) || variant.startsWith(`${c}-`)) ?? tokens[0]!;
}

async function generation(): Promise<GenResult> {
  const arbs: Record<ImageFormat, () => fc.Arbitrary<ImageRecipe>> = { png: () => pngRecipe(), jpeg: () => jpegRecipe(), gif: () => gifRecipe(), tiff: () => tiffRecipe() };
  const imagesPerSecond = {} as Record<ImageFormat, number>;
  const byVariant = new Map<string, { format: ImageFormat; variant: string; count: number; ms: number; bytes: number }>();
  // warm-up
  for (const f of Object.keys(arbs) as ImageFormat[]) for (const r of fc.sample(arbs[f](), { seed: 99, numRuns: 5 })) await renderImage(r);
  for (const f of Object.keys(arbs) as ImageFormat[]) {
    const t0 = performance.now();
    const recipes = fc.sample(arbs[f](), { seed: SEED, numRuns: GEN_N });
    for (const r of recipes) {
      const s = performance.now();
      const img = await renderImage(r);
      const ms = performance.now() - s;
      const fam = variantFamily(f, r.variant);
      const key = `${f} ${fam}`;
      const v = byVariant.get(key) ?? { format: f, variant: fam, count: 0, ms: 0, bytes: 0 };
      v.count++;
      v.ms += ms;
      v.bytes += img.bytes.length;
      byVariant.set(key, v);
    }
    imagesPerSecond[f] = round(GEN_N / ((performance.now() - t0) / 1000));
  }
  const n = GEN_N * 4;
  const t0 = performance.now();
  for (const r of fc.sample(invalidBodyRecipe(), { seed: SEED, numRuns: n })) await renderInvalidBody(r);
  const invalidBodiesPerSecond = round(n / ((performance.now() - t0) / 1000));
  const variants = [...byVariant.values()]
    .map((v) => ({ format: v.format, variant: v.variant, count: v.count, perSecond: round(v.count / (v.ms / 1000)), meanKiB: round(v.bytes / v.count / 1024) }))
    .sort((a, b) => a.format.localeCompare(b.format) || a.perSecond - b.perSecond);
  return { imagesPerSecond, variants, invalidBodiesPerSecond };
}

// ---------------------------------------------------------------- child processes

function runChild(args: string[]): Promise<{ seconds: number; stdout: string; stderr: string; code: number | null; maxRssMb?: number }> {
  const timeV = existsSync('/usr/bin/time');
  const cmd = timeV ? '/usr/bin/time' : process.execPath;
  const argv = timeV ? ['-v', process.execPath, ...args] : args;
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd, argv, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = (performance.now() - t0) / 1000;
      const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
      resolve({ seconds, stdout, stderr, code, ...(m ? { maxRssMb: round(Number(m[1]) / 1024) } : {}) });
    });
  });
}

async function defaultRun(): Promise<{ seconds: number; how: string; cliProcessMaxRssMb?: number; verdict: string }> {
  // As `npm run certify` does: the built CLI, built from the sources as they are now.
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
  const reportDir = mkdtempSync(join(tmpdir(), 'pic-bench-run-'));
  const built = join(root, 'dist', 'src', 'cli', 'main.js');
  const args = existsSync(built) ? [built] : ['--import', 'tsx', join(root, 'src', 'cli', 'main.ts')];
  const r = await runChild([...args, 'run', '--seed', '1', '--report-dir', reportDir]);
  rmSync(reportDir, { recursive: true, force: true });
  const verdict = /verdict: ([^\s(]+)/.exec(r.stdout + r.stderr)?.[1];
  // A run that ends before its verdict (a stale dist/, a broken catalogue) measures nothing.
  if (verdict === undefined || (r.code !== 0 && r.code !== 1)) throw new Error(`the default run ended with exit ${r.code} and no verdict: ${(r.stderr || r.stdout).trim().split('\n').pop() ?? ''}`);
  return { seconds: round(r.seconds, 2), how: existsSync(built) ? 'node dist/src/cli/main.js' : 'node --import tsx src/cli/main.ts', verdict, ...(r.maxRssMb ? { cliProcessMaxRssMb: r.maxRssMb } : {}) };
}

async function memory(): Promise<{ runs: number; families: string; maxRssMb: number; engineMaxRssMb: number; workerMaxRssMb: number | null; seconds: number; requests: number }[]> {
  const only = await rulesOnlyFor(MEMORY_FAMILIES);
  const out = [];
  for (const runs of MEM_RUNS) {
    const r = await runChild(['--expose-gc', '--import', 'tsx', join(here, 'rss-child.ts'), String(runs), ...only]);
    const line = r.stdout.trim().split('\n').pop() ?? '';
    if (r.code !== 0 || !line.startsWith('{')) throw new Error(`rss child (runs ${runs}) failed: ${r.stderr.slice(-2000)}`);
    const j = JSON.parse(line) as { maxRssMb: number; workerMaxRssMb: number | null; requests: number; heapUsedAfterGcMb: number | null; liveHeapPeakDuringRunMb: number | null; peaksMb: Record<string, number> };
    // The run's footprint: the engine's process (the embedded target in it) plus its build worker process.
    const total = round(j.maxRssMb + (j.workerMaxRssMb ?? 0));
    out.push({ runs, families: MEMORY_FAMILIES.join(','), maxRssMb: total, engineMaxRssMb: j.maxRssMb, workerMaxRssMb: j.workerMaxRssMb, heapUsedAfterGcMb: j.heapUsedAfterGcMb, liveHeapPeakDuringRunMb: j.liveHeapPeakDuringRunMb, sampledPeaksMb: j.peaksMb, seconds: round(r.seconds, 1), requests: j.requests });
    process.stderr.write(`  memory: runs ${runs}: ${total} MB (engine ${j.maxRssMb} + build worker ${j.workerMaxRssMb ?? '-'}) in ${round(r.seconds, 1)} s\n`);
  }
  return out;
}

// ---------------------------------------------------------------- main

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ')).join('\n');
}

const file = join(here, 'results.json');
// Sections skipped with BENCH_SKIP keep their previous figures; bench/proxy-overhead.ts's (proxyOverhead) are always kept.
const stored = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
const previous = skip.size > 0 ? stored : stored.proxyOverhead !== undefined ? { proxyOverhead: stored.proxyOverhead } : {};
const results: Record<string, unknown> = { ...previous, machine: machine(), date: new Date().toISOString(), loadAverageAtStart: loadavg().map((n) => round(n, 2)) };
process.stderr.write(`bench on ${results.machine}\n`);

let ov: OverheadRow[] | undefined;
if (!skip.has('overhead')) {
  process.stderr.write(`engine vs bare undici loop (${ENGINE_RUNS} cases x ${OVERHEAD_FAMILIES.length} families) ...\n`);
  ov = await overhead();
  results.engineVsBareLoop = Object.fromEntries(ov.map((r) => [`c${r.concurrency}`, r.ratio]));
  results.engineOverhead = { families: OVERHEAD_FAMILIES, excludedRules: OVERHEAD_EXCLUDED_RULES, runsPerFamily: ENGINE_RUNS, generateAndBuildSeconds: recordSeconds, throughput: 'engine: report.requests / report.durationMs (spec load, checks, bookkeeping included); bare: recorded requests / loop time', rows: ov };
}
let gen: GenResult | undefined;
if (!skip.has('generation')) {
  process.stderr.write(`generation (${GEN_N} images per format) ...\n`);
  gen = await generation();
  results.imagesPerSecond = gen.imagesPerSecond;
  results.invalidBodiesPerSecond = gen.invalidBodiesPerSecond;
  results.imageVariants = gen.variants;
}
let dr: Awaited<ReturnType<typeof defaultRun>> | undefined;
if (!skip.has('default-run')) {
  process.stderr.write('default run ...\n');
  dr = await defaultRun();
  results.defaultRunSeconds = dr.seconds;
  results.defaultRun = dr;
}
let mem: Awaited<ReturnType<typeof memory>> | undefined;
if (!skip.has('memory')) {
  process.stderr.write(`memory (runs ${MEM_RUNS.join(', ')}; families ${MEMORY_FAMILIES.join(', ')}) ...\n`);
  mem = await memory();
  results.peakRssMb = Object.fromEntries(mem.map((m) => [String(m.runs), m.maxRssMb]));
  results.memory = mem;
}

const rows: string[][] = [['measure', 'value', 'goal', 'met']];
if (ov) {
  for (const r of ov) {
    rows.push([`engine c${r.concurrency} (req/s)`, String(r.engineRps), '', '']);
    rows.push([`bare undici c${r.concurrency} (req/s)`, String(r.bareRps), '', '']);
    rows.push([`engine / bare c${r.concurrency}`, `${round(r.ratio * 100)}%`, '>= 75%', r.ratio >= 0.75 ? 'yes' : 'NO']);
    rows.push([`  survey phase only c${r.concurrency}`, `${r.engineSurveyRps} req/s, ${round(r.surveyRatio * 100)}%`, '', '']);
  }
}
if (ov) rows.push(['generate+build the same cases, 1 thread', `${recordSeconds} s`, '', '']);
if (dr) rows.push([`default run wall (${dr.how})`, `${dr.seconds} s`, '< 15 s (2 cores)', dr.seconds < 15 ? 'yes' : 'NO']);
if (mem) {
  const base = mem[0]!.maxRssMb;
  for (const m of mem) rows.push([`peak RSS --runs ${m.runs} (${m.families})`, `${m.maxRssMb} MB (${m.engineMaxRssMb} + worker ${m.workerMaxRssMb ?? '-'})`, 'flat', m.maxRssMb <= base * 1.25 ? 'yes' : 'NO']);
}
if (gen) {
  for (const [f, n] of Object.entries(gen.imagesPerSecond)) rows.push([`${f} images/s`, String(n), '', '']);
  rows.push(['invalid bodies/s', String(gen.invalidBodiesPerSecond), '', '']);
}
process.stdout.write(`\n${results.machine} (load average at start ${(results.loadAverageAtStart as number[]).join(' ')})\n\n${table(rows)}\n`);
if (gen) {
  process.stdout.write(`\nper variant family (render only):\n${table([['format', 'variant', 'n', 'images/s', 'mean KiB'], ...gen.variants.map((v) => [v.format, v.variant, String(v.count), String(v.perSecond), String(v.meanKiB)])])}\n`);
}
writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
process.stdout.write(`\nwrote ${file}\n`);
