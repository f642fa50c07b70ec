/**
 * verify-pact stopped in the middle (Ctrl-C, which reaches the whole process group: the CLI and
 * the verifier's child; or SIGTERM to the CLI alone) puts the person's image back, writes its
 * reports with the verdict `incomplete` and the stop, and exits 130 without a stack trace.
 * The moment is exact: a relay before the reference target holds the verifier's first upload (a
 * PUT: the CLI's own save of the image only reads), the signal goes then, and the held upload is
 * dropped, so the target sees the restore last.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startReferenceTarget, type RunningTarget } from '../../src/target/server.js';
import { contractsDir } from '../pact/helpers.js';
import { forwardTo } from '../support/forward.js';
import { listenOnLoopback, type Listening } from '../support/loopback.js';
import { imageState, ownImage, setImage } from './helpers.js';

let t: RunningTarget;
let relay: Listening;
let holding = true;
const held: IncomingMessage[] = [];

beforeAll(async () => {
  t = await startReferenceTarget();
  const forward = forwardTo(new URL(t.url).origin);
  relay = await listenOnLoopback(
    createServer((req, res) => {
      if (holding && req.method === 'PUT') held.push(req);
      else forward(req, res);
    }),
  );
});
afterAll(async () => {
  await relay.close();
  await t.close();
});

const running = new Set<ChildProcess>();
afterEach(() => {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
  for (const req of held.splice(0)) req.socket.destroy();
  holding = true;
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('verify-pact stopped by a signal', () => {
  for (const [signal, to] of [['SIGINT', 'the process group (Ctrl-C)'], ['SIGTERM', 'the CLI alone']] as const) {
    it(`${signal} to ${to}: image restored, reports written (incomplete), exit 130`, async () => {
      const person = signal === 'SIGINT' ? t.persons[0]! : t.persons[1]!;
      const own = await ownImage();
      await setImage(t, person, own);
      const reportDir = mkdtempSync(join(tmpdir(), 'pic-vps-'));
      try {
        const c = t.credentials.basic;
        const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SO_')));
        const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'verify-pact', '--pact', contractsDir, '--target', `${relay.origin}${new URL(t.url).pathname}`, '--person-id', String(person), '--no-progress', '--report-dir', reportDir], {
          cwd: process.cwd(),
          env: { ...env, SO_AUTH: `basic:${c.user}:${c.password}` },
          stdio: ['ignore', 'pipe', 'pipe'],
          detached: signal === 'SIGINT', // a process group of its own, for the Ctrl-C
        });
        running.add(child);
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += String(d)));
        child.stderr.on('data', (d: Buffer) => (stderr += String(d)));
        const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
        // The verifier's first upload is held: verification is under way.
        while (held.length === 0 && child.exitCode === null) await sleep(10);
        expect(held.length, `${stdout}\n${stderr}`).toBeGreaterThan(0);
        if (signal === 'SIGINT') process.kill(-child.pid!, 'SIGINT');
        else child.kill('SIGTERM');
        holding = false;
        for (const req of held.splice(0)) req.socket.destroy();
        const code = await exited;
        running.delete(child);

        expect(code, `${stdout}\n${stderr}`).toBe(130);
        expect(stderr).toMatch(new RegExp(`${signal}: stopping; the person's image is being restored`));
        expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
        expect(stdout).toMatch(new RegExp(`verification stopped: interrupted by ${signal}; report: `));
        for (const f of ['report.json', 'report.html', 'junit.xml']) expect(existsSync(join(reportDir, f)), f).toBe(true);
        const report = JSON.parse(readFileSync(join(reportDir, 'report.json'), 'utf8')) as { verdict: string; stop?: { kind: string }; restore?: { outcome: string } };
        expect(report.verdict).toBe('incomplete');
        expect(report.stop?.kind).toBe('interrupted');
        expect(report.restore?.outcome).toBe('restored');
      } finally {
        rmSync(reportDir, { recursive: true, force: true });
      }
      const after = await imageState(t, person);
      expect(after.status).toBe(200);
      expect(after.bytes.equals(own), 'the image is the one before verification').toBe(true);
    }, 120_000);
  }
});
