/**
 * A run that cannot finish keeps what it found: the circuit breaker, a target that goes away,
 * throttling that never ends and a credential that expires and cannot be renewed each still end in
 * report.json, report.html and junit.xml, the verdict (does-not-conform when a MUST rule already
 * failed, else incomplete), the exit code, the stop and its reason, and the person's own image back.
 * (SIGINT/SIGTERM: tests/safety/signals.test.ts.) Each run goes through the CLI's `runCommand`.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Credential } from '../../src/config/credentials.js';
import type { RunConfig } from '../../src/config/run-config.js';
import { runCommand } from '../../src/cli/run.js';
import type { Report } from '../../src/report/types.js';
import { startReferenceTarget, type RunningTarget } from '../../src/target/server.js';
import { embeddedCredentials } from '../../src/run/target.js';
import { faults, imageState, ownImage, setImage, startFaultProxy, type Fault, type FaultProxy } from '../safety/helpers.js';
import { startExpiringTokenTarget, type ExpiringTokenTarget } from '../targets/expiring-token.js';

let t: RunningTarget;
let proxy: FaultProxy | undefined;
let own: Buffer;
const dirs: string[] = [];

beforeEach(async () => {
  t = await startReferenceTarget();
  own = await ownImage();
  await setImage(t, t.persons[0]!, own);
});

afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
  await t.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** The run configuration of `run --target URL` with the target's credentials (report folder set by `run`). */
function configOf(url: string, credentials: Credential[], personId: number, overrides: Partial<RunConfig> = {}): RunConfig {
  return { target: url, credentials, personId, seed: 1, runs: 20, concurrency: 4, timeoutMs: 10_000, reportDir: '', only: [], progress: false, ...overrides };
}

interface Outcome {
  code: number;
  out: string;
  report: Report;
}

/** Runs the CLI's run command; checks that the three report files are there and returns report.json. */
async function run(config: RunConfig, engine: Parameters<typeof runCommand>[2] = {}): Promise<Outcome> {
  const reportDir = mkdtempSync(join(tmpdir(), 'pic-stop-'));
  dirs.push(reportDir);
  let out = '';
  const sink = new Writable({ write: (chunk, _enc, done) => ((out += String(chunk)), done()) });
  const code = await runCommand({ ...config, reportDir }, sink, engine);
  for (const f of ['report.json', 'report.html', 'junit.xml']) expect(existsSync(join(reportDir, f)), f).toBe(true);
  const report = JSON.parse(readFileSync(join(reportDir, 'report.json'), 'utf8')) as Report;
  // A stopped run is an error in JUnit, so that CI does not show it green.
  expect(readFileSync(join(reportDir, 'junit.xml'), 'utf8').includes('<error')).toBe(report.stop !== undefined);
  return { code, out, report };
}

async function expectOwnImageBack(target: RunningTarget): Promise<void> {
  const after = await imageState(target, target.persons[0]!);
  expect(after.status).toBe(200);
  expect(after.bytes.equals(own)).toBe(true);
}

/** The run's saves (everything but the restore of the person's own image). */
const runSave = (body: Buffer) => !body.equals(own);

describe('a run that cannot finish keeps what it found', () => {
  it('a target that answers 500 to every upload trips the breaker: does-not-conform (exit 1) with the shrunk counterexample of no-server-error', async () => {
    proxy = await startFaultProxy(t.url, (_n, body) => runSave(body), faults.error500!);
    const { code, out, report } = await run(configOf(proxy.url, embeddedCredentials(t), t.persons[0]!, { seed: 11, runs: 30, only: ['valid-raw-upload', 'no-server-error'] }));
    expect(proxy.faults()).toBeGreaterThan(0);
    expect(report.stop?.kind).toBe('circuit-breaker');
    expect(report.verdict).toBe('does-not-conform');
    expect(code).toBe(1);
    expect(out).toMatch(/^verdict: does-not-conform[^\n]*\nstopped early: the target looks sick/);
    for (const id of ['no-server-error', 'valid-raw-upload']) {
      const rule = report.rules.find((r) => r.id === id)!;
      expect(rule.status, id).toBe('fail');
      expect(rule.counterexample?.response?.status, id).toBe(500);
    }
    // Shrinking after the trip reached the smallest valid image there is.
    expect(report.rules.find((r) => r.id === 'valid-raw-upload')!.counterexample?.description).toMatch(/1x1/);
    expect(report.restore?.outcome).toBe('restored');
    await expectOwnImageBack(t);
  });

  it('a target that drops every upload above 200 KiB: the finding of no-server-error, with a counterexample, and the report', async () => {
    proxy = await startFaultProxy(t.url, (_n, body) => runSave(body) && body.length > 200 * 1024, faults.reset!);
    const { code, report } = await run(configOf(proxy.url, embeddedCredentials(t), t.persons[0]!, { seed: 3, runs: 40, only: ['valid-raw-upload', 'valid-multipart-upload', 'no-server-error'] }));
    expect(proxy.faults()).toBeGreaterThan(0);
    const rule = report.rules.find((r) => r.id === 'no-server-error')!;
    expect(rule.status, JSON.stringify(report.stop)).toBe('fail');
    expect(rule.counterexample?.request.body?.size).toBeGreaterThan(200 * 1024);
    expect(rule.counterexample?.error).toMatch(/reset/);
    expect(report.verdict).toBe('does-not-conform');
    expect(code).toBe(1);
    expect(report.restore?.outcome).toBe('restored');
    await expectOwnImageBack(t);
  });

  it('a target that goes away for good: incomplete (exit 2), rules not reached are not-run, and the failed restore is reported', async () => {
    proxy = await startFaultProxy(t.url, (n) => n === 6, (req) => void proxy!.goAway().then(() => req.socket.destroy()));
    const { code, out, report } = await run(configOf(proxy.url, embeddedCredentials(t), t.persons[0]!, { seed: 5, runs: 20 }));
    expect(report.stop?.kind).toBe('target-gone');
    expect(report.rules.filter((r) => r.status === 'fail').map((r) => `${r.id}: ${r.message ?? ''}`)).toEqual([]);
    expect(report.rules.some((r) => r.status === 'not-run')).toBe(true);
    expect(report.verdict).toBe('incomplete');
    expect(code).toBe(2);
    expect(out).toMatch(/stopped early: the target went away/);
    // The target is gone: the image could not be put back, and the report says so.
    expect(report.restore?.outcome).toBe('failed');
    expect(report.restore?.message).toMatch(/could not restore person 1's image/);
  });

  it('throttling that never ends: incomplete (exit 2), stop "throttled", the image restored', async () => {
    const slowDown: Fault = (_req, res) => {
      res.writeHead(429, { 'retry-after': '1', 'content-type': 'application/json' }).end('{"Error":true,"ErrorType":"Throttled","ErrorMessage":"slow down"}');
    };
    proxy = await startFaultProxy(t.url, (n, body) => n >= 3 && runSave(body), slowDown);
    const { code, out, report } = await run(configOf(proxy.url, embeddedCredentials(t), t.persons[0]!, { seed: 2, runs: 50, concurrency: 1 }), { maxThrottleMs: 2500 });
    expect(report.stop?.kind).toBe('throttled');
    expect(out).toMatch(/stopped early: the target kept throttling/);
    expect(report.rules.filter((r) => r.status === 'fail').map((r) => `${r.id}: ${r.message ?? ''}`)).toEqual([]);
    expect(report.verdict).toBe('incomplete');
    expect(code).toBe(2);
    expect(report.restore?.outcome).toBe('restored');
    await expectOwnImageBack(t);
  });
});

describe('credentials that expire mid-run', () => {
  let x: ExpiringTokenTarget;
  beforeEach(async () => {
    x = await startExpiringTokenTarget({ usesPerCredential: 25 });
  });
  afterEach(async () => {
    await x.close();
  });

  const bearerOnly = (): RunConfig => configOf(x.url, x.credentials.filter((c) => c.scheme === 'bearer'), x.persons[0]!, { seed: 9, runs: 25 });

  it('without --auth-command: incomplete (exit 2), the stop names the scheme, no finding, the image restored after all', async () => {
    const { code, out, report } = await run(bearerOnly());
    expect(report.stop?.kind).toBe('credential-expired');
    expect(report.stop?.reason).toMatch(/the bearer credential was accepted earlier in the run and is now refused.*--auth-command/);
    expect(report.rules.filter((r) => r.status === 'fail' || r.status === 'warn').map((r) => `${r.id}: ${r.message ?? ''}`)).toEqual([]);
    expect(report.verdict).toBe('incomplete');
    expect(code).toBe(2);
    expect(out).toMatch(/stopped early: the bearer credential/);
    // The restore needs a credential too: without a way to renew it, it fails, and the report says so.
    expect(report.restore?.outcome).toBe('failed');
  });

  it('with --auth-command: renewed whenever it expires, the run conforms, and the report holds no renewed token', async () => {
    const { code, report } = await run({ ...bearerOnly(), authCommand: x.runOverrides!.authCommand! });
    expect(report.stop).toBeUndefined();
    expect(report.rules.filter((r) => r.status === 'fail' || r.status === 'warn').map((r) => `${r.id}: ${r.message ?? ''}`)).toEqual([]);
    expect(report.notes.join('\n')).toMatch(/credentials renewed with --auth-command \d+ times?/);
    expect(x.ledger.issued()).toBeGreaterThan(3);
    expect(report.restore?.outcome).toMatch(/restored|removed/);
    expect(code).toBe(0);
  });
});
