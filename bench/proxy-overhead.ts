/**
 * `npx tsx bench/proxy-overhead.ts`: what the checking proxy (`person-image-conformance proxy`)
 * adds to an integration's requests. The embedded reference target runs in its own process
 * (bench/target-child.ts), the proxy in another (the CLI, `--target` that target, a rate limit
 * high enough that pacing is no finding), and this process sends the same uploads straight to the
 * target and through the proxy, alternating, BENCH_PROXY_REPS (3) times, keeping the median:
 *
 * - p50 latency of sequential uploads (c1) of a small PNG (8x8) and of a large one (1024x1024
 *   noise, ~3 MiB), straight and through the proxy, and their difference (the added latency);
 * - throughput with 8 uploads of the small PNG in flight (c8), requests per second both ways.
 *
 * The proxy judges each upload in a child process at the lowest CPU priority (src/proxy/inspector-process.ts),
 * so what it adds is mostly the relaying.
 *
 * Prints a table and writes the figures into bench/results.json under `proxyOverhead` (with the
 * date, the machine and the load average at the start), keeping every other key of that file.
 *
 * Knobs: BENCH_PROXY_N (small uploads per measurement, default 200), BENCH_PROXY_LARGE_N (20),
 * BENCH_PROXY_REPS (3).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { Agent, request } from 'undici';
import { machine } from './machine.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const N = Number(process.env.BENCH_PROXY_N ?? 200);
const LARGE_N = Number(process.env.BENCH_PROXY_LARGE_N ?? 20);
const REPS = Number(process.env.BENCH_PROXY_REPS ?? 3);

const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;
const signed = (n: number) => `${n >= 0 ? '+' : ''}${round(n)}`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Starts a child and resolves with its first stdout line as JSON. */
function child<T>(args: string[]): Promise<{ info: T; proc: ChildProcess }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] });
    let buf = '';
    proc.stdout!.on('data', (d: Buffer) => {
      buf += String(d);
      const nl = buf.indexOf('\n');
      if (nl >= 0) resolve({ info: JSON.parse(buf.slice(0, nl)) as T, proc });
    });
    proc.on('error', reject);
  });
}

interface Target {
  url: string;
  credentials: { basic: { user: string; password: string } };
  persons: number[];
}

async function put(agent: Agent, url: string, authorization: string, body: Buffer): Promise<number> {
  const t0 = performance.now();
  const res = await request(url, { method: 'PUT', dispatcher: agent, headers: { authorization, 'content-type': 'image/png' }, body });
  await res.body.arrayBuffer();
  if (res.statusCode !== 200) throw new Error(`upload answered ${res.statusCode}`);
  return performance.now() - t0;
}

/** p50 of `n` sequential uploads, in ms. */
async function p50(url: string, authorization: string, body: Buffer, n: number): Promise<number> {
  const agent = new Agent({ connections: 1 });
  const times: number[] = [];
  for (let i = 0; i < n; i++) times.push(await put(agent, url, authorization, body));
  await agent.close();
  return median(times);
}

/** Requests per second with `c` uploads in flight. */
async function throughput(url: string, authorization: string, body: Buffer, n: number, c: number): Promise<number> {
  const agent = new Agent({ connections: c });
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: c }, async () => {
    while (next++ < n) await put(agent, url, authorization, body);
  }));
  const s = (performance.now() - t0) / 1000;
  await agent.close();
  return n / s;
}

async function main(): Promise<void> {
  const date = new Date().toISOString();
  const loadAverageAtStart = loadavg().map((x) => round(x));
  const small = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#c8285a' } }).png().toBuffer();
  const large = await sharp({ create: { width: 1024, height: 1024, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 40 } } }).png().toBuffer();
  const { info: target, proc: targetProc } = await child<Target>([join(here, 'target-child.ts')]);
  const reports = mkdtempSync(join(tmpdir(), 'proxy-bench-'));
  const { info: proxy, proc: proxyProc } = await child<{ url: string }>(['src/cli/main.ts', 'proxy', '--target', target.url, '--json', '--rate', '10000', '--report-dir', reports]);
  const authorization = `Basic ${Buffer.from(`${target.credentials.basic.user}:${target.credentials.basic.password}`).toString('base64')}`;
  const path = `/Person/${target.persons[0]}/Image`;
  const rows: Record<string, number[]> = {};
  const add = (k: string, v: number) => (rows[k] ??= []).push(v);
  try {
    await p50(target.url + path, authorization, small, 20);
    await p50(proxy.url + path, authorization, small, 20);
    for (let rep = 0; rep < REPS; rep++) {
      for (const [via, base] of [['direct', target.url], ['proxy', proxy.url]] as const) {
        add(`${via} small c1 p50 ms`, await p50(base + path, authorization, small, N));
        add(`${via} large c1 p50 ms`, await p50(base + path, authorization, large, LARGE_N));
        add(`${via} small c8 req/s`, await throughput(base + path, authorization, small, N, 8));
      }
    }
  } finally {
    proxyProc.kill('SIGINT');
    await new Promise((r) => proxyProc.on('close', r));
    targetProc.kill('SIGTERM');
    rmSync(reports, { recursive: true, force: true });
  }
  const m = (k: string) => median(rows[k]!);
  const added = (k: 'small' | 'large') => m(`proxy ${k} c1 p50 ms`) - m(`direct ${k} c1 p50 ms`);
  const throughputPercent = (100 * m('proxy small c8 req/s')) / m('direct small c8 req/s');
  const on = machine();
  process.stdout.write(`${on} (load average at start ${loadAverageAtStart.join(' ')})\n`);
  process.stdout.write(`small PNG ${small.length} B, large PNG ${round(large.length / 2 ** 20)} MiB; median of ${REPS} repetitions\n\n`);
  const table = [
    ['small upload, c1, p50', `${round(m('direct small c1 p50 ms'))} ms`, `${round(m('proxy small c1 p50 ms'))} ms`, `${signed(added('small'))} ms`],
    ['large upload, c1, p50', `${round(m('direct large c1 p50 ms'))} ms`, `${round(m('proxy large c1 p50 ms'))} ms`, `${signed(added('large'))} ms`],
    ['small upload, c8, throughput', `${round(m('direct small c8 req/s'), 1)} req/s`, `${round(m('proxy small c8 req/s'), 1)} req/s`, `${round(throughputPercent, 1)}%`],
  ];
  for (const r of [['measure', 'direct', 'through the proxy', 'added'], ...table]) process.stdout.write(`${r[0]!.padEnd(30)} ${r[1]!.padEnd(12)} ${r[2]!.padEnd(18)} ${r[3]}\n`);
  const repetitions = Object.fromEntries(Object.entries(rows).map(([k, v]) => [k, v.map((x) => round(x))]));
  process.stdout.write(`\nall repetitions: ${JSON.stringify(repetitions)}\n`);
  const file = join(here, 'results.json');
  const previous = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
  previous.proxyOverhead = {
    date,
    machine: on,
    loadAverageAtStart,
    smallPngBytes: small.length,
    largePngBytes: large.length,
    uploadsPerMeasurement: { small: N, large: LARGE_N },
    repetitions: REPS,
    medianOfRepetitions: {
      smallC1P50Ms: { direct: round(m('direct small c1 p50 ms')), proxy: round(m('proxy small c1 p50 ms')), added: round(added('small')) },
      largeC1P50Ms: { direct: round(m('direct large c1 p50 ms')), proxy: round(m('proxy large c1 p50 ms')), added: round(added('large')) },
      smallC8RequestsPerSecond: { direct: round(m('direct small c8 req/s'), 1), proxy: round(m('proxy small c8 req/s'), 1), proxyPercentOfDirect: round(throughputPercent, 1) },
    },
    allRepetitions: repetitions,
  };
  writeFileSync(file, `${JSON.stringify(previous, null, 2)}\n`);
  process.stdout.write(`\nwrote proxyOverhead into ${file}\n`);
}

await main();
