/**
 * A run killed with SIGINT or SIGTERM at random moments (the CLI in a child process, against a
 * reference target in this process) exits 130, and the person's image is back: the same bytes.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

async function killedRun(signal: NodeJS.Signals, person: number, afterRequests: number, extraMs: number): Promise<{ code: number | null; stderr: string }> {
  const c = t.credentials.basic;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'run', '--target', t.url, '--person-id', String(person), '--runs', '300', '--seed', '7', '--no-progress', '--report-dir', mkdtempSync(join(tmpdir(), 'pic-sig-'))], {
    cwd: process.cwd(),
    env: { ...process.env, SO_AUTH: `basic:${c.user}:${c.password}` },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += String(d)));
  child.stdout.resume();
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const start = t.requestCount();
  const deadline = Date.now() + 30_000;
  while (t.requestCount() - start < afterRequests && Date.now() < deadline) await sleep(5);
  await sleep(extraMs);
  child.kill(signal);
  const code = await Promise.race([exited, sleep(30_000).then(() => 'hung' as const)]);
  if (code === 'hung') {
    child.kill('SIGKILL');
    throw new Error(`the run did not end within 30 s of ${signal}`);
  }
  return { code, stderr };
}

describe('killed runs restore the image and exit 130', () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(signal, async () => {
      const person = signal === 'SIGINT' ? t.persons[0]! : t.persons[1]!;
      const own = await ownImage();
      await setImage(t, person, own);
      for (let k = 0; k < 2; k++) {
        const afterRequests = 3 + Math.floor(Math.random() * 120);
        const extraMs = Math.floor(Math.random() * 200);
        const { code, stderr } = await killedRun(signal, person, afterRequests, extraMs);
        const moment = `${signal} after ${afterRequests} requests + ${extraMs} ms`;
        expect(code, `${moment}\n${stderr}`).toBe(130);
        expect(stderr).toMatch(new RegExp(`${signal}: stopping`));
        expect(stderr).toMatch(/interrupted by SIG/);
        expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
        const after = await imageState(t, person);
        expect(after.status, moment).toBe(200);
        expect(after.bytes.equals(own), moment).toBe(true);
      }
    }, 120_000);
  }
});
