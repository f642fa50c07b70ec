/**
 * A run killed with SIGINT or SIGTERM at random moments (the CLI in a child process, against a
 * reference target in this process) exits 130, leaves its three report files with the verdict
 * `incomplete` and the stop, and the person's image is back: the same bytes. The moments come
 * from a seed printed in the test names (random; SIGNALS_SEED=n replays one).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomInt } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startReferenceTarget, type RunningTarget } from '../../src/target/server.js';
import { imageState, ownImage, setImage } from './helpers.js';

let t: RunningTarget;
beforeAll(async () => {
  t = await startReferenceTarget();
});
afterAll(async () => {
  await t.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The seed of the kill moments: printed in the test names. */
const SEED = Number(process.env.SIGNALS_SEED ?? randomInt(1, 2 ** 31 - 1));

/** mulberry32: the moments from SEED, the same on every machine. */
function moments(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** Children still running when a test ends (it failed or timed out): killed, so none outlives it. */
const running = new Set<ChildProcess>();
afterEach(() => {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
});

async function killedRun(signal: NodeJS.Signals, person: number, afterRequests: number, extraMs: number, reportDir: string): Promise<{ code: number | null; stderr: string; stdout: string }> {
  const c = t.credentials.basic;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'run', '--target', t.url, '--person-id', String(person), '--runs', '300', '--seed', '7', '--no-progress', '--report-dir', reportDir], {
    cwd: process.cwd(),
    env: { ...process.env, SO_AUTH: `basic:${c.user}:${c.password}` },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += String(d)));
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => (stdout += String(d)));
  running.add(child);
  let done = false;
  const exited = new Promise<number | null>((r) =>
    child.on('exit', (code) => {
      done = true;
      running.delete(child);
      r(code);
    }),
  );
  const start = t.requestCount();
  // Until the moment (or the end of the run, should it end first); a hang is the test's timeout.
  while (t.requestCount() - start < afterRequests && !done) await sleep(5);
  await sleep(extraMs);
  child.kill(signal);
  const code = await exited;
  return { code, stderr, stdout };
}

describe(`killed runs restore the image and exit 130 (moments from seed ${SEED})`, () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(signal, async () => {
      const random = moments(SEED + (signal === 'SIGINT' ? 0 : 1));
      const person = signal === 'SIGINT' ? t.persons[0]! : t.persons[1]!;
      const own = await ownImage();
      await setImage(t, person, own);
      for (let k = 0; k < 2; k++) {
        const afterRequests = 3 + Math.floor(random() * 120);
        const extraMs = Math.floor(random() * 200);
        const reportDir = mkdtempSync(join(tmpdir(), 'pic-sig-'));
        try {
          const { code, stderr, stdout } = await killedRun(signal, person, afterRequests, extraMs, reportDir);
          const moment = `${signal} after ${afterRequests} requests + ${extraMs} ms`;
          expect(code, `${moment}\n${stderr}`).toBe(130);
          expect(stderr).toMatch(new RegExp(`${signal}: stopping`));
          expect(stdout).toMatch(new RegExp(`verdict: incomplete[^\n]*\nstopped early: interrupted by ${signal}`));
          expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
          for (const f of ['report.json', 'report.html', 'junit.xml']) expect(existsSync(join(reportDir, f)), `${moment}: ${f}`).toBe(true);
          const report = JSON.parse(readFileSync(join(reportDir, 'report.json'), 'utf8')) as { verdict: string; stop?: { kind: string }; restore?: { outcome: string } };
          expect(report.verdict, moment).toBe('incomplete');
          expect(report.stop?.kind, moment).toBe('interrupted');
          expect(report.restore?.outcome, moment).toBe('restored');
        } finally {
          rmSync(reportDir, { recursive: true, force: true });
        }
        const after = await imageState(t, person);
        expect(after.status, `${signal} after ${afterRequests} requests + ${extraMs} ms`).toBe(200);
        expect(after.bytes.equals(own), `${signal} after ${afterRequests} requests + ${extraMs} ms`).toBe(true);
      }
    }, 120_000);
  }
});
