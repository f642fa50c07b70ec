/**
 * Faults of a target, each driven by a small misbehaving proxy on 127.0.0.1 in front of the
 * reference target (every 6th save request gets the fault; the restore of the person's own image
 * never does, so that the test shows the run restoring it, not the proxy eating it). Each gives a
 * finding (no-server-error or another rule fails, with a counterexample naming what happened),
 * never a crash or a hang, and the person's own image is back at the end.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runConformance } from '../../src/run/engine.js';
import { startReferenceTarget, type RunningTarget } from '../../src/target/server.js';
import { brokenTargets } from '../broken-targets/catalogue.js';
import { configFor } from '../support/run-against.js';
import { faults, imageState, ownImage, setImage, startFaultProxy, type FaultProxy } from './helpers.js';

let t: RunningTarget;
let proxy: FaultProxy | undefined;
let own: Buffer;

beforeEach(async () => {
  t = await startReferenceTarget();
  own = await ownImage();
  await setImage(t, t.persons[0]!, own);
});

afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
  await t.close();
});

async function expectRestored(): Promise<void> {
  const after = await imageState(t, t.persons[0]!);
  expect(after.status).toBe(200);
  expect(after.bytes.equals(own)).toBe(true);
  // The restore is a new upload of the same bytes: the target gives it a new BlobId, so the bytes are what is compared.
  expect(typeof after.blobId).toBe("number");
}

const only = ['valid-raw-upload', 'no-server-error', 'response-schema'];

describe('a fault on every 6th save gives a finding, and the image is restored', () => {
  const cases: [string, string, RegExp][] = [
    ['slow', 'no-server-error', /timeout/i],
    ['reset', 'no-server-error', /reset|socket|closed/i],
    ['truncated', 'no-server-error', /reset|socket|closed|terminated/i],
    ['wrong-content-length', 'no-server-error', /timeout/i],
    ['garbage', 'no-server-error', /protocol|HPE|parse|invalid/i],
  ];
  for (const [fault, rule, message] of cases) {
    it(fault, async () => {
      proxy = await startFaultProxy(t.url, (n, body) => n % 6 === 0 && !body.equals(own), faults[fault]!);
      const config = { ...configFor(t, { runs: 8, only, timeoutMs: 800 }), target: proxy.url };
      // No hang: the test's own timeout (vitest's testTimeout) is the limit, not a clock read here.
      const report = await runConformance(config, { maxShrinkRequests: 8 });
      expect(proxy.faults()).toBeGreaterThan(0);
      const r = report.rules.find((x) => x.id === rule)!;
      expect(r.status).toBe('fail');
      expect(`${r.message ?? ''} ${r.counterexample?.message ?? ''}`).toMatch(message);
      expect(report.verdict).toBe('does-not-conform');
      expect(report.notes.join('\n')).toMatch(/restored/);
      await expectRestored();
    });
  }

  it('oversized: a 40 MiB answer is cut at the cap and judged, not kept whole', async () => {
    proxy = await startFaultProxy(t.url, (n, body) => n % 6 === 0 && !body.equals(own), faults.oversized!);
    const config = { ...configFor(t, { runs: 8, only, timeoutMs: 5000 }), target: proxy.url };
    const report = await runConformance(config, { maxShrinkRequests: 8 });
    expect(proxy.faults()).toBeGreaterThan(0);
    const r = report.rules.find((x) => x.id === 'response-schema')!;
    expect(r.status).toBe('fail');
    expect(JSON.stringify(report).length).toBeLessThan(2_000_000);
    await expectRestored();
  });
});

describe('circuit breaker', () => {
  it('stops the run when valid uploads mostly get 5xx, keeps the finding with its counterexample, and restores the image', async () => {
    // Two saves in three answer 500; the restore gets through on a retry.
    proxy = await startFaultProxy(t.url, (n) => n % 3 !== 0, faults.error500!);
    const config = { ...configFor(t, { runs: 20, only: ['valid-raw-upload'] }), target: proxy.url };
    const report = await runConformance(config);
    expect(report.stop?.kind).toBe('circuit-breaker');
    expect(report.stop?.reason).toMatch(/circuit breaker/);
    // valid-raw-upload (MUST) broke before the breaker tripped: that is proven, so the verdict is does-not-conform.
    const rule = report.rules.find((r) => r.id === 'valid-raw-upload')!;
    expect(rule.status).toBe('fail');
    expect(rule.counterexample?.response?.status).toBe(500);
    expect(report.verdict).toBe('does-not-conform');
    expect(report.restore?.outcome).toBe('restored');
    // It stopped early: the window's worth, a few in flight and a bounded shrink, not 20 cases and a full shrink.
    expect(proxy.saves()).toBeLessThan(20 + 60);
    await expectRestored();
  });

  it('is not tripped by one rule broken on invalid input (500 for damaged images): that is a finding', async () => {
    await t.close();
    t = await startReferenceTarget({ behaviour: brokenTargets['damaged-image-no-5xx']!.behaviour });
    await setImage(t, t.persons[0]!, own);
      const report = await runConformance(configFor(t, { runs: 30, only: ['damaged-image-no-5xx', 'no-server-error', 'valid-raw-upload'] }));
    expect(report.rules.find((r) => r.id === 'damaged-image-no-5xx')!.status).toBe('fail');
    expect(report.rules.find((r) => r.id === 'valid-raw-upload')!.status).toBe('pass');
    await expectRestored();
  });

  it('a target that goes away mid-run: an incomplete report that says so, no finding for the refused connections; the image is restored when it is back', async () => {
    let gone = false;
    proxy = await startFaultProxy(
      t.url,
      (n) => {
        if (n === 10 && !gone) {
          gone = true;
          // Away for 800 ms: the run sees refused connections and stops; the restore's retries find it back.
          setImmediate(() => void proxy!.goAway().then(() => setTimeout(() => void proxy!.resume(), 800)));
        }
        return false;
      },
      faults.reset!,
    );
    const config = { ...configFor(t, { runs: 20, only }), target: proxy.url };
    const report = await runConformance(config);
    expect(report.stop?.kind).toMatch(/target-gone|circuit-breaker/);
    expect(report.stop?.reason).toMatch(/went away|looks sick/);
    // Refused connections say nothing about a rule: no MUST finding, so the verdict is incomplete, not does-not-conform.
    expect(report.rules.filter((r) => r.status === 'fail').map((r) => `${r.id}: ${r.message ?? ''}`)).toEqual([]);
    expect(report.verdict).toBe('incomplete');
    expect(report.restore?.outcome).toBe('restored');
    await expectRestored();
  });
});
