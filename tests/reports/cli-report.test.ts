import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeReports } from '../../reporters/write.js';
import { reportCommand } from '../../src/cli/report.js';
import { ConfigError, UsageError } from '../../src/errors.js';
import { verifyReport } from '../../src/report/canonical.js';
import { parseReport } from '../../src/report/parse.js';
import type { Report } from '../../src/report/types.js';
import { HOSTILE, conformingReport, embeddedReport, failingReport, incompleteReport, stoppedFailingReport } from '../fixtures/reports.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pic-report-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function sink(): { out: PassThrough; text: () => string } {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  return { out, text: () => Buffer.concat(chunks).toString('utf8') };
}

describe('writeReports', () => {
  it('stamps the sha256 and writes report.json, report.html and junit.xml', async () => {
    const report = failingReport();
    const paths = await writeReports(report, join(dir, 'out'));
    expect(report.sha256).toMatch(/^[0-9a-f]{64}$/);
    const json = JSON.parse(await readFile(paths.json, 'utf8')) as Report;
    expect(json.sha256).toBe(report.sha256);
    expect(verifyReport(json)).toBe(true);
    expect(await readFile(paths.html, 'utf8')).toContain('Does not conform');
    expect(await readFile(paths.junit, 'utf8')).toContain('<testsuites');
  });
});

describe('reportCommand', () => {
  it('re-renders report.html and junit.xml from one report.json; exit 1 when it does not conform', async () => {
    const { json } = await writeReports(failingReport(), join(dir, 'run'));
    const s = sink();
    const code = await reportCommand({ files: [json], outDir: join(dir, 'again'), verify: false, out: s.out });
    expect(code).toBe(1);
    expect(await readFile(join(dir, 'again', 'report.html'), 'utf8')).toContain('(matches the content)');
    expect(await readFile(join(dir, 'again', 'junit.xml'), 'utf8')).toContain('valid-raw-upload');
    expect(s.text()).toContain('verdict: does-not-conform');
  });

  it('exit 2 on an incomplete report, and the verdict line names why the run stopped', async () => {
    const report = incompleteReport();
    const { json } = await writeReports(report, join(dir, 'run'));
    const s = sink();
    const code = await reportCommand({ files: [json], outDir: join(dir, 'again'), verify: false, out: s.out });
    expect(code).toBe(2);
    expect(s.text()).toContain(`verdict: incomplete (the run stopped early, circuit-breaker after 812 requests: ${report.stop!.reason})\n`);
    expect(await readFile(join(dir, 'again', 'report.html'), 'utf8')).toContain('class="verdict incomplete"');
    expect(await readFile(join(dir, 'again', 'junit.xml'), 'utf8')).toContain('errors="1"');
    // --verify only tells untouched from edited, whatever the verdict.
    const v = sink();
    expect(await reportCommand({ files: [json], outDir: dir, verify: true, out: v.out })).toBe(0);
    expect(v.text()).toMatch(/untouched/);
  });

  it('exit 1 for a does-not-conform report that stopped early; 0 for conforming; the stop reason on one line', async () => {
    const stopped = stoppedFailingReport();
    stopped.stop!.reason = `interrupted\r\n\u001b[2Jby ${HOSTILE}`;
    const a = await writeReports(stopped, join(dir, 'a'));
    const s = sink();
    expect(await reportCommand({ files: [a.json], outDir: join(dir, 'a2'), verify: false, out: s.out })).toBe(1);
    const verdictLine = s.text().split('\n').find((l) => l.startsWith('verdict: '))!;
    expect(verdictLine).toMatch(/^verdict: does-not-conform \(the run stopped early, interrupted after 301 requests: interrupted \[2Jby <script>/);
    expect(verdictLine).not.toMatch(/[\u0000-\u001f\u202e]/);

    const ok = await writeReports(conformingReport(), join(dir, 'ok'));
    const o = sink();
    expect(await reportCommand({ files: [ok.json], outDir: join(dir, 'ok2'), verify: false, out: o.out })).toBe(0);
    expect(o.text()).toContain('verdict: conforms\n');
    expect(o.text()).not.toContain('warning:');
  });

  it('warns that an embedded-target report certifies nothing, and about an image not restored', async () => {
    const { json } = await writeReports(embeddedReport(), join(dir, 'emb'));
    const s = sink();
    expect(await reportCommand({ files: [json], outDir: join(dir, 'emb2'), verify: false, out: s.out })).toBe(0);
    expect(s.text()).toContain('warning: run against the embedded reference target, not an installation: this report certifies nothing about a SuperOffice installation');
    const failed = incompleteReport();
    failed.restore = { outcome: 'failed', message: 'PUT answered 503 three times' };
    const f = await writeReports(failed, join(dir, 'f'));
    const t = sink();
    expect(await reportCommand({ files: [f.json], outDir: join(dir, 'f2'), verify: false, out: t.out })).toBe(2);
    expect(t.text()).toContain("warning: the person's image was not restored: PUT answered 503 three times\n");
    expect(t.text()).not.toContain('embedded');
  });

  it('merging a stopped shard with a finished one gives incomplete (exit 2) and names the stopped shard', async () => {
    const a = conformingReport();
    a.configuration.shard = '1/2';
    const b = incompleteReport();
    b.configuration.shard = '2/2';
    const pa = await writeReports(a, join(dir, 's1'));
    const pb = await writeReports(b, join(dir, 's2'));
    const s = sink();
    const code = await reportCommand({ files: [pa.json, pb.json], outDir: join(dir, 'merged'), verify: false, out: s.out });
    expect(code).toBe(2);
    const merged = JSON.parse(await readFile(join(dir, 'merged', 'report.json'), 'utf8')) as Report;
    expect(merged.verdict).toBe('incomplete');
    expect(merged.stop).toEqual({ ...b.stop, reason: `${pb.json} (shard 2/2): ${b.stop!.reason}` });
    expect(s.text()).toContain(`verdict: incomplete (the run stopped early, circuit-breaker after 812 requests: ${pb.json} (shard 2/2): `);
    expect(parseReport(merged, 'merged')).toBeTruthy();
  });

  it('--verify says untouched (0) or edited (1)', async () => {
    const { json } = await writeReports(conformingReport(), join(dir, 'run'));
    const ok = sink();
    expect(await reportCommand({ files: [json], outDir: dir, verify: true, out: ok.out })).toBe(0);
    expect(ok.text()).toMatch(/untouched/);
    const edited = JSON.parse(await readFile(json, 'utf8')) as Report;
    edited.rules[1]!.cases = 99999;
    await writeFile(json, JSON.stringify(edited));
    const bad = sink();
    expect(await reportCommand({ files: [json], outDir: dir, verify: true, out: bad.out })).toBe(1);
    expect(bad.text()).toMatch(/edited/);
    expect(bad.text()).not.toMatch(/untouched/);
  });

  it('merges several report.json files into one report (json, html, junit)', async () => {
    const a = conformingReport();
    a.configuration.shard = '1/2';
    const b = failingReport();
    b.configuration.shard = '2/2';
    const pa = await writeReports(a, join(dir, 's1'));
    const pb = await writeReports(b, join(dir, 's2'));
    const s = sink();
    const code = await reportCommand({ files: [pa.json, pb.json], outDir: join(dir, 'merged'), verify: false, out: s.out });
    expect(code).toBe(1);
    const merged = JSON.parse(await readFile(join(dir, 'merged', 'report.json'), 'utf8')) as Report;
    expect(verifyReport(merged)).toBe(true);
    expect(merged.verdict).toBe('does-not-conform');
    expect(merged.requests).toBe(a.requests + b.requests);
    expect(merged.shards).toHaveLength(2);
    expect(await readFile(join(dir, 'merged', 'report.html'), 'utf8')).toContain('Merged from 2 runs');
  });

  it('refuses to merge a report edited after its run', async () => {
    const pa = await writeReports(conformingReport(), join(dir, 's1'));
    const pb = await writeReports(conformingReport(), join(dir, 's2'));
    const edited = JSON.parse(await readFile(pb.json, 'utf8')) as Report;
    edited.verdict = 'does-not-conform';
    await writeFile(pb.json, JSON.stringify(edited));
    await expect(reportCommand({ files: [pa.json, pb.json], outDir: dir, verify: false, out: sink().out })).rejects.toThrow(/edited after the run/);
  });

  it('unreadable, non-JSON and malformed files are one-line ConfigErrors', async () => {
    const run = (files: string[], verify = false): Promise<number> => reportCommand({ files, outDir: dir, verify, out: sink().out });
    await expect(run([join(dir, 'missing.json')])).rejects.toThrow(new ConfigError(`cannot read ${join(dir, 'missing.json')}: no such file`));
    const notJson = join(dir, 'bad.json');
    await writeFile(notJson, '{"schemaVersion": 1,');
    await expect(run([notJson])).rejects.toThrow(ConfigError);
    await expect(run([notJson], true)).rejects.toThrow(/is not valid JSON/);
    const wrong = join(dir, 'wrong.json');
    const report = conformingReport() as unknown as { rules: { status: string }[] };
    report.rules[2]!.status = 'passed';
    await writeFile(wrong, JSON.stringify(report));
    const err = await run([wrong]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toBe(`${wrong} is not a valid report.json: /rules/2/status must be one of "pass", "fail", "warn", "not-run"`);
    expect((err as Error).message).not.toContain('\n');
    await expect(run([])).rejects.toThrow(UsageError);
  });
});

describe('parseReport', () => {
  it('accepts the stopped, incomplete and embedded fixtures and rejects a bad stop or restore', () => {
    for (const make of [incompleteReport, stoppedFailingReport, embeddedReport]) {
      const report = JSON.parse(JSON.stringify(make())) as Report;
      expect(parseReport(report, make.name)).toEqual(report);
    }
    const kind = incompleteReport() as unknown as { stop: { kind: string } };
    kind.stop.kind = 'breaker';
    expect(() => parseReport(kind, 'k.json')).toThrow(
      'k.json is not a valid report.json: /stop/kind must be one of "circuit-breaker", "target-gone", "throttled", "credential-expired", "interrupted"',
    );
    const noReason = incompleteReport() as unknown as { stop: Partial<Report['stop']> };
    delete noReason.stop!.reason;
    expect(() => parseReport(noReason, 'r.json')).toThrow('r.json is not a valid report.json: /stop lacks the member "reason"');
    const after = incompleteReport();
    after.stop!.afterRequests = -1;
    expect(() => parseReport(after, 'a.json')).toThrow(/a\.json is not a valid report\.json: \/stop\/afterRequests/);
    const outcome = incompleteReport() as unknown as { restore: { outcome: string } };
    outcome.restore.outcome = 'lost';
    expect(() => parseReport(outcome, 'o.json')).toThrow('o.json is not a valid report.json: /restore/outcome must be one of "restored", "removed", "failed"');
    const shrunk = stoppedFailingReport() as unknown as { rules: { counterexample?: { shrunk: unknown } }[] };
    shrunk.rules.find((r) => r.counterexample)!.counterexample!.shrunk = 'no';
    expect(() => parseReport(shrunk, 's.json')).toThrow(/s\.json is not a valid report\.json: \/rules\/0\/counterexample\/shrunk must be boolean/);
    const verdict = conformingReport() as unknown as { verdict: string };
    verdict.verdict = 'unfinished';
    expect(() => parseReport(verdict, 'v.json')).toThrow(/\/verdict must be one of "conforms", "conforms-with-warnings", "does-not-conform", "incomplete"/);
  });

  it('accepts the fixtures and names the first problem of a malformed report', () => {
    expect(parseReport(JSON.parse(JSON.stringify(failingReport())), 'f')).toBeTruthy();
    const noLatency = conformingReport() as Partial<Report>;
    delete noLatency.latency;
    expect(() => parseReport(noLatency, 'x.json')).toThrow('x.json is not a valid report.json: / lacks the member "latency"');
    const counts = conformingReport();
    counts.latency.counts = [1];
    expect(() => parseReport(counts, 'y.json')).toThrow(/\/latency has 1 counts for 12 bucket bounds/);
    expect(() => parseReport([], 'z.json')).toThrow(/z\.json is not a valid report\.json: \/ must be object/);
  });
});
