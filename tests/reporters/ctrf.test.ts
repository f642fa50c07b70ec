/**
 * ctrf.json, the Common Test Report Format, written beside junit.xml by every run (and by
 * `report`): valid for the `ctrf` package's validate(), one test per rule with the report's
 * statuses (warn as `other`), counts that match report.json, the run's start and stop, the tool,
 * and the environment (target URL without credentials, seed).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { validate } from 'ctrf';
import { afterAll, describe, expect, it } from 'vitest';
import { renderCtrf } from '../../reporters/ctrf.js';
import { writeRenderings } from '../../reporters/write.js';
import { runCommand } from '../../src/cli/run.js';
import type { Report } from '../../src/report/types.js';
import { startReferenceTarget } from '../../src/target/server.js';
import { brokenTargets } from '../broken-targets/catalogue.js';
import { conformingReport, embeddedReport, failingReport, HOSTILE, incompleteReport, stoppedFailingReport } from '../fixtures/reports.js';
import { configFor } from '../support/run-against.js';

const RUN_SEED = 5;

const scratch: string[] = [];
afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

interface CtrfTest {
  name: string;
  status: string;
  rawStatus: string;
  message?: string;
  trace?: string;
  labels: Record<string, unknown>;
}
interface Ctrf {
  reportFormat: string;
  specVersion: string;
  results: {
    tool: { name: string; version?: string };
    summary: Record<'tests' | 'passed' | 'failed' | 'skipped' | 'pending' | 'other' | 'start' | 'stop' | 'duration', number> & { extra: Record<string, unknown> };
    tests: CtrfTest[];
    environment: { healthy: boolean; extra: Record<string, unknown> };
    extra: { notes: string[]; pact?: unknown };
  };
}

/** Parses and validates a CTRF document with the ctrf package; fails with its errors. */
function validCtrf(text: string): Ctrf {
  const doc = JSON.parse(text) as unknown;
  const result = validate(doc);
  expect(result.errors, JSON.stringify(result.errors)).toEqual([]);
  expect(result.valid).toBe(true);
  return doc as Ctrf;
}

/** The report's rules and the CTRF tests agree: one test per rule (and `run` when the run stopped or is incomplete), counts that match. */
function expectMatches(ctrf: Ctrf, report: Report): void {
  const rules = report.rules;
  const stopped = report.stop !== undefined || report.verdict === 'incomplete';
  const n = (status: string) => rules.filter((r) => r.status === status).length;
  const tests = ctrf.results.tests.filter((t) => t.name !== 'run');
  expect(tests.map((t) => t.name)).toEqual(rules.map((r) => r.id));
  expect(tests.map((t) => t.rawStatus)).toEqual(rules.map((r) => r.status));
  expect(ctrf.results.summary).toMatchObject({
    tests: rules.length + (stopped ? 1 : 0),
    passed: n('pass'),
    failed: n('fail') + (stopped ? 1 : 0),
    skipped: n('not-run'),
    other: n('warn'),
    pending: 0,
  });
  expect(ctrf.results.tests.some((t) => t.name === 'run' && t.status === 'failed')).toBe(stopped);
  expect(ctrf.results.tool).toEqual(report.tool);
  const start = Date.parse(report.startedAt);
  expect(ctrf.results.summary).toMatchObject({ start, stop: start + Math.round(report.durationMs), duration: Math.round(report.durationMs) });
  expect(ctrf.results.environment.extra).toMatchObject({ seed: report.seed, embedded: report.target.embedded });
  expect(ctrf.results.environment.healthy).toBe(!stopped);
}

const sink = () =>
  new Writable({
    write(_chunk, _enc, done) {
      done();
    },
  });

describe(`ctrf.json (the run of seed ${RUN_SEED})`, () => {
  it('renders every fixture report as valid CTRF whose tests and counts match its rules', () => {
    for (const report of [conformingReport(), failingReport(), incompleteReport(), stoppedFailingReport(), embeddedReport()]) {
      expectMatches(validCtrf(renderCtrf(report)), report);
    }
  });

  it('maps each status: fail -> failed with the message and the counterexample, warn -> other, not-run -> skipped', () => {
    const report = failingReport();
    const ctrf = validCtrf(renderCtrf(report));
    const byName = new Map(ctrf.results.tests.map((t) => [t.name, t]));
    const raw = byName.get('valid-raw-upload')!;
    expect(raw).toMatchObject({ status: 'failed', message: 'expected 200 with an int32, got 500', labels: { level: 'MUST', cases: 40, failures: 3 } });
    expect(raw.trace).toContain(report.rules[0]!.counterexample!.curl);
    expect(byName.get('person-id-unknown-rejected')).toMatchObject({ status: 'other', rawStatus: 'warn', message: 'got 404 where 400 is documented' });
    expect(byName.get('image-info-follows-upload')).toMatchObject({ status: 'skipped', rawStatus: 'not-run' });
    expect(byName.get('empty-body-rejected')!.message).toBeUndefined();
    // The notes (here with target-controlled bytes, kept as data) and the pacts' outcomes come along.
    expect(ctrf.results.extra.notes).toEqual(report.notes);
    expect(report.notes.some((n) => n.includes(HOSTILE))).toBe(true);
    expect(ctrf.results.extra.pact).toEqual(report.pact!.map((p) => ({ file: p.file, consumer: p.consumer, provider: p.provider, status: p.status })));
  });

  it('a stopped run adds a failed test `run` with the reason; the target URL loses its credentials', () => {
    const ctrf = validCtrf(renderCtrf(incompleteReport()));
    expect(ctrf.results.tests[0]).toMatchObject({ name: 'run', status: 'failed', rawStatus: 'circuit-breaker', message: expect.stringContaining('stopped early (circuit-breaker) after 812 requests') });
    const withCredentials = { ...conformingReport(), target: { url: 'https://certify:s3cret@crm.example.com/SuperOffice/api/v1', embedded: false } };
    const text = renderCtrf(withCredentials);
    expect(validCtrf(text).results.environment.extra.target).toBe('https://crm.example.com/SuperOffice/api/v1');
    expect(text).not.toContain('s3cret');
  });

  it('the validator refuses what CTRF does not allow (a `warn` status, a missing summary count)', () => {
    const doc = JSON.parse(renderCtrf(failingReport())) as Ctrf;
    const warn = structuredClone(doc);
    warn.results.tests[0]!.status = 'warn';
    expect(validate(warn).valid).toBe(false);
    const noCount = structuredClone(doc) as unknown as { results: { summary: Record<string, unknown> } };
    delete noCount.results.summary.skipped;
    expect(validate(noCount).valid).toBe(false);
  });

  it('a run writes ctrf.json beside junit.xml, and `report` re-renders it', async () => {
    const t = await startReferenceTarget({ behaviour: brokenTargets['empty-body-rejected']!.behaviour });
    try {
      const config = configFor(t, { seed: RUN_SEED, runs: 6, only: ['empty-body-rejected', 'no-signature-rejected', 'person-id-unknown-rejected'] });
      expect(await runCommand(config, sink())).toBe(1);
      const report = JSON.parse(readFileSync(join(config.reportDir, 'report.json'), 'utf8')) as Report;
      expect(report.rules.find((r) => r.id === 'empty-body-rejected')?.status).toBe('fail');
      const ctrf = validCtrf(readFileSync(join(config.reportDir, 'ctrf.json'), 'utf8'));
      expectMatches(ctrf, report);
      expect(ctrf.results.environment.extra).toMatchObject({ target: t.url, seed: RUN_SEED, reportSha256: report.sha256 });
      expect(ctrf.results.tests.filter((x) => x.status === 'passed').map((x) => x.name).sort()).toEqual(['no-signature-rejected', 'person-id-unknown-rejected']);

      const again = mkdtempSync(join(tmpdir(), 'pic-ctrf-'));
      scratch.push(again);
      const { ctrf: file } = await writeRenderings(report, again);
      expect(readFileSync(file, 'utf8')).toBe(readFileSync(join(config.reportDir, 'ctrf.json'), 'utf8'));
    } finally {
      await t.close();
    }
  });
});
