/**
 * verify-pact, and `run --pact` in its pact phase, stopped in the middle (Ctrl-C, which reaches the
 * whole process group: the CLI and the verifier's child; or SIGTERM to the CLI alone) put the
 * person's image back, write their reports with the verdict `incomplete` and the stop, and exit
 * 130 without a stack trace.
 * The moment is exact: the reference target holds the verifier's first upload inside its image
 * check (the CLI's own save of the image only reads), the signal goes then, and the held upload is
 * refused (400), so nothing but the restore is stored after it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defaultBehaviour } from '../../src/target/behaviour.js';
import { startReferenceTarget, type RunningTarget } from '../../src/target/server.js';
import type { ImageValidation } from '../../src/target/types.js';
import { contractsDir } from '../pact/helpers.js';
import { imageState, ownImage, setImage } from './helpers.js';

let t: RunningTarget;
let holding = false;
/** Uploads the target holds (inside its image check), each with the function that lets it go. */
const held: ((v: ImageValidation) => void)[] = [];
/** Lets every held upload go, refused, so none is stored after the restore. */
const releaseHeld = () => {
  for (const release of held.splice(0)) release({ ok: false, reason: 'held by the test, then refused' });
};

beforeAll(async () => {
  t = await startReferenceTarget({
    behaviour: {
      validateImage: (bytes, type, ctx) => (holding ? new Promise<ImageValidation>((resolve) => held.push(resolve)) : defaultBehaviour.validateImage(bytes, type, ctx)),
    },
  });
});
afterAll(async () => {
  releaseHeld();
  await t.close();
});

const running = new Set<ChildProcess>();
afterEach(() => {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
  holding = false;
  releaseHeld();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Stopped {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI with `args` against the target; once `holdFrom(stderr)` holds, the target holds the
 * next upload, and when it has one the signal goes (to the process group, by default for SIGINT,
 * or to the CLI alone); the held upload is then refused.
 */
async function stopped(args: string[], signal: 'SIGINT' | 'SIGTERM', holdFrom: (stderr: string) => boolean, toGroup = signal === 'SIGINT'): Promise<Stopped> {
  const c = t.credentials.basic;
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SO_')));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args, '--target', t.url], {
    cwd: process.cwd(),
    env: { ...env, SO_AUTH: `basic:${c.user}:${c.password}` },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: toGroup, // a process group of its own, for a signal to the group (Ctrl-C, a job's cancellation)
  });
  running.add(child);
  let signalled = false;
  holding = holdFrom('');
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += String(d)));
  child.stderr.on('data', (d: Buffer) => {
    stderr += String(d);
    if (!signalled && holdFrom(stderr)) holding = true; // never again after the signal: the restore must pass
  });
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  // The verifier's first upload is held: verification is under way.
  while (held.length === 0 && child.exitCode === null) await sleep(10);
  expect(held.length, `${stdout}\n${stderr}`).toBeGreaterThan(0);
  signalled = true;
  if (toGroup) process.kill(-child.pid!, signal);
  else child.kill(signal);
  holding = false;
  releaseHeld();
  const code = await exited;
  running.delete(child);
  return { code, stdout, stderr };
}

/** The reports in `dir`, and report.json's verdict, stop and restore. */
function expectStoppedReports(dir: string): void {
  for (const f of ['report.json', 'report.html', 'junit.xml']) expect(existsSync(join(dir, f)), f).toBe(true);
  const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as { verdict: string; stop?: { kind: string }; restore?: { outcome: string } };
  expect(report.verdict).toBe('incomplete');
  expect(report.stop?.kind).toBe('interrupted');
  expect(report.restore?.outcome).toBe('restored');
}

describe('pact verification stopped by a signal', () => {
  for (const [signal, to] of [['SIGINT', 'the process group (Ctrl-C)'], ['SIGTERM', 'the CLI alone']] as const) {
    it(`verify-pact, ${signal} to ${to}: image restored, reports written (incomplete), exit 130`, async () => {
      const person = signal === 'SIGINT' ? t.persons[0]! : t.persons[1]!;
      const own = await ownImage();
      await setImage(t, person, own);
      const reportDir = mkdtempSync(join(tmpdir(), 'pic-vps-'));
      try {
        const { code, stdout, stderr } = await stopped(['verify-pact', '--pact', contractsDir, '--person-id', String(person), '--no-progress', '--report-dir', reportDir], signal, () => true);
        expect(code, `${stdout}\n${stderr}`).toBe(130);
        expect(stderr).toMatch(new RegExp(`${signal}: stopping; the person's image is being restored`));
        expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
        expect(stdout).toMatch(new RegExp(`verification stopped: interrupted by ${signal}; report: `));
        expectStoppedReports(reportDir);
      } finally {
        rmSync(reportDir, { recursive: true, force: true });
      }
      const after = await imageState(t, person);
      expect(after.status).toBe(200);
      expect(after.bytes.equals(own), 'the image is the one before verification').toBe(true);
    }, 120_000);
  }

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`run --pact, ${signal} to the process group while the pacts are verified: the run stops there, restores, reports, exits 130`, async () => {
      const person = t.persons[2] ?? t.persons[0]!;
      const own = await ownImage();
      await setImage(t, person, own);
      const reportDir = mkdtempSync(join(tmpdir(), 'pic-vps-'));
      holding = false; // the run's own uploads pass; the verifier's first is held
      try {
        const { code, stdout, stderr } = await stopped(['run', '--pact', contractsDir, '--person-id', String(person), '--runs', '1', '--report-dir', reportDir], signal, (e) => e.includes('verifying the pacts of'), true);
        expect(code, `${stdout}\n${stderr}`).toBe(130);
        expect(stderr).toMatch(new RegExp(`${signal}: stopping; the person's image is being restored`));
        expect(stderr).not.toMatch(/\n\s+at /);
        expect(stdout).toMatch(new RegExp(`verdict: incomplete[^\n]*\nstopped early: interrupted by ${signal}`));
        expectStoppedReports(reportDir);
      } finally {
        rmSync(reportDir, { recursive: true, force: true });
      }
      const after = await imageState(t, person);
      expect(after.bytes.equals(own), 'the image is the one before the run').toBe(true);
    }, 180_000);
  }
});
