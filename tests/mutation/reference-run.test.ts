/**
 * The verdict of `npm run mutation` on one mutant (mutation/target/reference-run.ts): a mutant is
 * killed by any departure from a plain `conforms`, so each kind of departure must be named, and a
 * conforming report must have none (else every mutant would be "killed" and the score would mean
 * nothing). One real run against the unmutated reference target has none; one against a broken
 * target has its rule.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { departures, judgeWithAppToken } from '../../mutation/target/reference-run.js';
import { defaultBehaviour } from '../../src/target/behaviour.js';
import { conformingReport, failingReport, incompleteReport } from '../fixtures/reports.js';
import { runAgainst } from '../support/run-against.js';
import type { Report } from '../../src/report/types.js';
import { startReferenceTarget } from '../../src/target/server.js';

/** The conforming fixture with every rule passing (the fixture leaves one not run). */
function plainConforms(): Report {
  const r = conformingReport();
  r.rules = r.rules.map((x) => ({ ...x, status: 'pass' }));
  return r;
}

describe('departures from a plain conforms', () => {
  it('none for a conforming report', () => {
    expect(departures(plainConforms())).toEqual([]);
  });

  it('each failing or warning rule, by id and status', () => {
    const report = failingReport();
    const found = departures(report);
    for (const r of report.rules.filter((x) => x.status !== 'pass')) expect(found.some((d) => d.startsWith(`${r.id}: ${r.status}`))).toBe(true);
    expect(found).toContain(`verdict ${report.verdict}`);
  });

  it('a stop, a rule not run, a failing pact, a warning verdict', () => {
    expect(departures(incompleteReport()).some((d) => d.startsWith('stopped ('))).toBe(true);
    const notRun = plainConforms();
    notRun.rules[0]!.status = 'not-run';
    expect(departures(notRun)).toEqual([`${notRun.rules[0]!.id}: not-run`]);
    const pact = plainConforms();
    pact.pact = [{ file: 'p.json', consumer: 'crm', provider: 'so', status: 'fail', interactions: [] }];
    expect(departures(pact)).toEqual(['pact crm: fail']);
    const warned = plainConforms();
    warned.verdict = 'conforms-with-warnings';
    expect(departures(warned)).toEqual(['verdict conforms-with-warnings']);
    const unrestored = plainConforms();
    unrestored.restore = { outcome: 'failed', message: 'DELETE Image answered\n500' };
    expect(departures(unrestored)).toEqual(['restore failed: DELETE Image answered 500']);
    const restored = plainConforms();
    restored.restore = { outcome: 'removed', message: 'the run image was deleted' };
    expect(departures(restored)).toEqual([]);
  });
});

describe('against real targets (seed 20261130, 5 runs)', () => {
  it('the reference target: no departure', async () => {
    const t = await startReferenceTarget();
    try {
      expect(departures(await runAgainst(t, { seed: 20261130, runs: 5 }))).toEqual([]);
    } finally {
      await t.close();
    }
  });

  it('a target whose blob id is a string: blob-id/response rules depart', async () => {
    const t = await startReferenceTarget({ behaviour: { serializeBlobId: (mt, id) => `"${id}"` } });
    try {
      const found = departures(await runAgainst(t, { seed: 20261130, runs: 5 }));
      expect(found.length).toBeGreaterThan(0);
      expect(found.some((d) => /^(response-schema|valid-raw-upload|blob-id-positive): fail/.test(d))).toBe(true);
    } finally {
      await t.close();
    }
  });
});

describe('the second run, against a target that requires an SO-AppToken (seed 20261130, 5 runs)', () => {
  const withDir = async (body: (dir: string) => Promise<void>) => {
    const dir = mkdtempSync(join(tmpdir(), 'pic-mutation-test-'));
    try {
      await body(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  it('the reference target: no departure', async () => {
    await withDir(async (dir) => expect(await judgeWithAppToken({ seed: 20261130, runs: 5 }, dir)).toEqual([]));
  });

  // judgeReferenceTarget turns a run that throws into a departure, so a mutant caught here by the
  // run's preflight (credentials refused before any case) is killed.
  it('a target that refuses every ticket, the app token given or not: the run stops on the refused credential', async () => {
    await withDir(async (dir) => {
      const run = judgeWithAppToken({ seed: 20261130, runs: 5 }, dir, {
        authenticate: (h, c) => (/^\s*soticket\s/i.test(String(h.authorization ?? '')) ? { ok: false, status: 401, message: 'no' } : defaultBehaviour.authenticate(h, c)),
      });
      await expect(run).rejects.toThrow(/refused the configured soticket/);
    });
  });

  it('a target that takes tickets without the app token: no departure (app-token-no-5xx lets a server ignore it)', async () => {
    await withDir(async (dir) => {
      const found = await judgeWithAppToken({ seed: 20261130, runs: 5 }, dir, {
        authenticate: (h, c) => defaultBehaviour.authenticate({ ...h, 'so-apptoken': 'mutation-app-token-0123456789' }, c),
      });
      expect(found).toEqual([]);
    });
  });
});
