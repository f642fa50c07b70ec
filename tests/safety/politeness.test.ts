/** Dry run, the default rate of remote targets, loopback detection, the upload budget, the http:// warning. */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCommand } from '../../src/cli/run.js';
import { loadRules } from '../../src/spec/rules.js';
import { runConformance } from '../../src/run/engine.js';
import { isLoopbackUrl, uploadBudgetBytes } from '../../src/run/loopback.js';
import { planRun } from '../../src/run/plan.js';
import { startReferenceTarget, type RunningTarget } from '../../src/target/server.js';
import { configFor } from '../support/run-against.js';
import { imageState, ownImage, setImage } from './helpers.js';

let t: RunningTarget;
beforeAll(async () => {
  t = await startReferenceTarget();
});
afterAll(async () => {
  await t.close();
});

function sink(): { stream: Writable; text: () => string } {
  let s = '';
  return {
    stream: new Writable({
      write(chunk, _e, cb) {
        s += String(chunk);
        cb();
      },
    }),
    text: () => s,
  };
}

describe('--dry-run', () => {
  it('prints the plan and sends no request to the target', async () => {
    const before = t.requestCount();
    const out = sink();
    const code = await runCommand({ ...configFor(t, { runs: 5 }), dryRun: true }, out.stream);
    expect(code).toBe(0);
    expect(t.requestCount() - before).toBe(0);
    const text = out.text();
    expect(text).toMatch(/dry run: nothing is sent/);
    for (const family of ['valid-upload', 'round-trip', 'language-headers', 'auth', 'invalid-body', 'person-id']) expect(text).toContain(family);
    expect(text).toMatch(/requests: about \d+/);
    expect(text).toMatch(/bytes uploaded: about [\d.]+ MiB; every case the seed generates was rendered/);
    expect(text).toMatch(/duration: unthrottled/);
  });

  it('counts the extra reads of the serial families and the duration at the rate', async () => {
    const plan = await planRun({ ...configFor(t, { runs: 10, rate: 10 }) });
    const byName = Object.fromEntries(plan.families.map((f) => [f.name, f]));
    expect(byName['language-headers']!.requests).toBe(20); // a baseline per case
    expect(byName['round-trip']!.requests).toBe(40); // Image before, ImageInfo and Image after each upload
    expect(byName['auth']!.requests).toBeGreaterThan(10); // ImageInfo before and after each bad-auth case
    expect(byName['valid-upload']!.requests).toBe(10);
    expect(plan.requests).toBe(plan.fixedRequests + plan.families.reduce((n, f) => n + f.requests, 0));
    expect(plan.durationS).toBeCloseTo(plan.requests / 10, 5);
    expect(plan.bytes).toBeGreaterThan(0);
    expect(plan.rules.length).toBe((await loadRules()).length);
  });

  it('a plain http:// remote target gets a warning on stderr (a dry run: nothing is sent)', async () => {
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const out = sink();
    try {
      await runCommand({ ...configFor(t, { runs: 2 }), target: 'http://crm.example.com/SuperOffice/api/v1', dryRun: true }, out.stream);
      expect(spy.mock.calls.map((c) => String(c[0])).join('')).toMatch(/warning: http:\/\/crm\.example\.com\S* is plain http:\/\/ and not loopback/);
    } finally {
      spy.mockRestore();
    }
    expect(out.text()).toMatch(/rate 10\/s/);
  });

  it('a remote target gets the default rate and upload budget in the plan (nothing is sent)', async () => {
    const plan = await planRun({ ...configFor(t, { runs: 3 }), target: 'https://crm.example.com/SuperOffice/api/v1' });
    expect(plan.loopback).toBe(false);
    expect(plan.rate).toBe(10);
    expect(plan.uploadBudget).toBe(512 * 1024 * 1024);
  });
});

describe('rate', () => {
  it('isLoopbackUrl decides by the host as written', () => {
    for (const u of ['http://localhost:1/x', 'http://127.0.0.1/x', 'http://127.9.8.7:80', 'http://[::1]:8080/api', 'http://app.localhost/']) expect(isLoopbackUrl(u)).toBe(true);
    for (const u of ['http://10.0.0.1/', 'https://crm.example.com/', 'http://127.0.0.1.nip.io/', 'http://localhost.example.com/', 'http://[::2]/']) expect(isLoopbackUrl(u)).toBe(false);
    expect(uploadBudgetBytes(undefined, true)).toBeUndefined();
    expect(uploadBudgetBytes(undefined, false)).toBe(512 * 1024 * 1024);
    expect(uploadBudgetBytes(1, true)).toBe(1024 * 1024);
  });

  it('a loopback target runs unthrottled', async () => {
    const report = await runConformance(configFor(t, { runs: 5, only: ['valid-raw-upload'] }));
    expect(report.configuration.rate).toBeNull();
  });

  it('a target taken as remote is throttled to 10 requests a second, and warned about plain http', async () => {
    const person = t.persons[1]!;
    const own = await ownImage();
    await setImage(t, person, own);
    const before = t.requestCount();
    const started = performance.now();
    const report = await runConformance(configFor(t, { runs: 30, only: ['valid-raw-upload'], personId: person }), { isLoopback: () => false, maxShrinkRequests: 0 });
    const seconds = (performance.now() - started) / 1000;
    const sent = t.requestCount() - before;
    expect(report.configuration.rate).toBe(10);
    // The token bucket lets one second's worth (10) go at once, then 10 a second. The image's
    // save (2 reads) and restore (1 PUT) go around the limiter.
    const limited = sent - 3;
    expect(limited).toBeGreaterThanOrEqual(30);
    expect(seconds).toBeGreaterThanOrEqual((limited - 1 - 10) / 10 - 0.2);
    expect((limited - 10) / seconds).toBeLessThanOrEqual(10.5);
    expect(report.notes.join('\n')).toMatch(/plain http:\/\/ and not loopback/);
    expect((await imageState(t, person)).bytes.equals(own)).toBe(true);
  }, 30_000);
});

describe('upload budget', () => {
  it('stops generating cases when spent, says so in the notes, and the verdict stands on what ran', async () => {
    const person = t.persons[2]!;
    const own = await ownImage();
    await setImage(t, person, own);
    const report = await runConformance(configFor(t, { runs: 20, personId: person, maxUploadMb: 0.05 }));
    expect(report.notes.join('\n')).toMatch(/upload budget \(52428 bytes, --max-upload-mb\) was spent after \d+ bytes/);
    expect(report.rules.some((r) => r.status === 'not-run')).toBe(true);
    expect(report.verdict).toBe('conforms');
    const full = await runConformance(configFor(t, { runs: 20, personId: person, only: ['no-server-error'] }));
    expect(report.requests).toBeLessThan(full.requests);
    expect((await imageState(t, person)).bytes.equals(own)).toBe(true);
  });
});
