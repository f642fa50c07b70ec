import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeReports } from '../../reporters/write.js';
import { reportCommand } from '../../src/cli/report.js';
import { ConfigError, UsageError } from '../../src/errors.js';
import { verifyReport } from '../../src/report/canonical.js';
import { parseReport } from '../../src/report/schema.js';
import type { Report } from '../../src/report/types.js';
import { conformingReport, failingReport } from '../fixtures/reports.js';

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
