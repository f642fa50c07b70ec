import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { computeVerdict, mergeReports, percentileFromHistogram } from '../../src/report/merge.js';
import type { Report } from '../../src/report/types.js';
import { UNREACHED, conformingReport, failingReport, incompleteReport, stoppedFailingReport } from '../fixtures/reports.js';

function shard(report: Report, i: number, n: number): Report {
  report.configuration.shard = `${i}/${n}`;
  return report;
}

describe('mergeReports', () => {
  it('sums cases, failures and warnings per rule; status by worst; verdict recomputed', () => {
    const a = shard(conformingReport(), 1, 2);
    const b = shard(failingReport(), 2, 2);
    b.startedAt = '2026-11-26T17:40:00.000Z';
    const merged = mergeReports([a, b], ['a.json', 'b.json']);
    for (const rule of merged.rules) {
      const ra = a.rules.find((r) => r.id === rule.id)!;
      const rb = b.rules.find((r) => r.id === rule.id)!;
      expect(rule.cases).toBe(ra.cases + rb.cases);
      expect(rule.failures).toBe(ra.failures + rb.failures);
      expect(rule.warnings).toBe(ra.warnings + rb.warnings);
    }
    const byId = Object.fromEntries(merged.rules.map((r) => [r.id, r]));
    expect(byId['valid-raw-upload']!.status).toBe('fail');
    expect(byId['valid-raw-upload']!.counterexample).toEqual(b.rules[0]!.counterexample);
    expect(byId['person-id-unknown-rejected']!.status).toBe('warn');
    expect(byId['image-info-follows-upload']!.status).toBe('not-run');
    expect(byId['content-type-mismatch-observed']!.observations).toEqual({ '200': 31, '415': 12 });
    expect(merged.verdict).toBe('does-not-conform');
    expect(merged.requests).toBe(a.requests + b.requests);
    expect(merged.durationMs).toBe(a.durationMs + b.durationMs);
    expect(merged.startedAt).toBe('2026-11-26T17:40:00.000Z');
    expect(merged.configuration.shard).toBeUndefined();
    expect(merged.sha256).toBeUndefined();
    expect(merged.shards?.map((s) => s.shard)).toEqual(['1/2', '2/2']);
    expect(merged.pact).toEqual(b.pact);
    expect(merged.coverage['Content-Type']!['image/png']).toBe(2 * 612);
  });

  it('keeps the first counterexample of a rule and passes when every shard passes', () => {
    const a = shard(failingReport(), 1, 2);
    const b = shard(failingReport(), 2, 2);
    b.rules[0]!.counterexample!.description = 'the second one';
    const merged = mergeReports([a, b]);
    expect(merged.rules[0]!.counterexample!.description).toBe(a.rules[0]!.counterexample!.description);
    expect(mergeReports([shard(conformingReport(), 1, 2), shard(conformingReport(), 2, 2)]).verdict).toBe('conforms');
  });

  it('a SHOULD failure or a warning alone gives conforms-with-warnings', () => {
    expect(computeVerdict([{ level: 'SHOULD', status: 'fail' }, { level: 'MUST', status: 'pass' }])).toBe('conforms-with-warnings');
    expect(computeVerdict([{ level: 'MUST', status: 'warn' }])).toBe('conforms-with-warnings');
    expect(computeVerdict([{ level: 'MUST', status: 'fail' }])).toBe('does-not-conform');
    expect(computeVerdict([{ level: 'MUST', status: 'not-run' }, { level: 'MUST', status: 'pass' }])).toBe('conforms');
    const a = shard(conformingReport(), 1, 2);
    const b = shard(conformingReport(), 2, 2);
    b.rules.find((r) => r.id === 'blob-id-positive')!.status = 'fail';
    expect(mergeReports([a, b]).verdict).toBe('conforms-with-warnings');
  });

  it('adds latency histograms and recomputes percentiles from the merged one', () => {
    const a = shard(conformingReport(), 1, 2);
    const b = shard(conformingReport(), 2, 2);
    a.latency = { count: 10, p50: 1, p95: 1, p99: 1, max: 0.9, bucketsMs: [1, 10, 100], counts: [10, 0, 0, 0] };
    b.latency = { count: 10, p50: 100, p95: 100, p99: 100, max: 350, bucketsMs: [1, 10, 100], counts: [0, 0, 9, 1] };
    const l = mergeReports([a, b]).latency;
    expect(l.counts).toEqual([10, 0, 9, 1]);
    expect(l.count).toBe(20);
    expect(l.max).toBe(350);
    expect(l.p50).toBe(1);
    expect(l.p95).toBe(100);
    expect(l.p99).toBe(350); // in the open-ended bucket: the max
    expect(percentileFromHistogram([1, 10], [0, 5, 0], 4, 0.5)).toBe(4); // capped at max
  });

  it('refuses reports of another spec or tool version, and a shard given twice', () => {
    const a = shard(conformingReport(), 1, 2);
    const otherSpec = shard(conformingReport(), 2, 2);
    otherSpec.spec.sha256 = 'b'.repeat(64);
    expect(() => mergeReports([a, otherSpec], ['a.json', 'b.json'])).toThrow(ConfigError);
    expect(() => mergeReports([a, otherSpec], ['a.json', 'b.json'])).toThrow(/b\.json was run against spec sha256 b{64}/);
    const otherTool = shard(conformingReport(), 2, 2);
    otherTool.tool.version = '9.9.9';
    expect(() => mergeReports([a, otherTool], ['a.json', 'b.json'])).toThrow(/person-image-conformance 9\.9\.9/);
    expect(() => mergeReports([a, shard(conformingReport(), 1, 2)], ['a.json', 'c.json'])).toThrow(/a\.json and c\.json are both shard 1\/2/);
    const buckets = shard(conformingReport(), 2, 2);
    buckets.latency.bucketsMs = [1, 2];
    buckets.latency.counts = [1, 1, 1];
    expect(() => mergeReports([a, buckets])).toThrow(/latency buckets/);
  });

  it('notes a missing shard', () => {
    const merged = mergeReports([shard(conformingReport(), 1, 3), shard(conformingReport(), 3, 3)]);
    expect(merged.notes[0]).toMatch(/without shard 2\/3/);
  });

  it('a stopped shard merged with a finished one gives incomplete, with the stop named by the shard', () => {
    const a = shard(conformingReport(), 1, 2);
    const b = shard(incompleteReport(), 2, 2);
    const merged = mergeReports([a, b], ['shard-1.json', 'shard-2.json']);
    expect(merged.verdict).toBe('incomplete');
    expect(merged.stop).toEqual({ kind: 'circuit-breaker', reason: `shard-2.json (shard 2/2): ${b.stop!.reason}`, afterRequests: 812 });
    // The finished shard judged the rules the stopped one did not reach.
    for (const id of UNREACHED) expect(merged.rules.find((r) => r.id === id)!.status, id).not.toBe('not-run');
    // Order does not matter for the verdict; the first stopped input stands for all.
    expect(mergeReports([b, a], ['shard-2.json', 'shard-1.json']).stop!.reason).toBe(`shard-2.json (shard 2/2): ${b.stop!.reason}`);
    // Unnamed inputs are labelled by position.
    expect(mergeReports([a, b]).stop!.reason).toBe(`report 2 (shard 2/2): ${b.stop!.reason}`);
    // Two finished shards: no stop.
    expect(mergeReports([shard(conformingReport(), 1, 2), shard(conformingReport(), 2, 2)]).stop).toBeUndefined();
  });

  it('a stopped shard with a MUST failure anywhere gives does-not-conform and keeps the stop', () => {
    const merged = mergeReports([shard(incompleteReport(), 1, 2), shard(stoppedFailingReport(), 2, 2)], ['a.json', 'b.json']);
    expect(merged.verdict).toBe('does-not-conform');
    expect(merged.stop!.reason).toMatch(/^a\.json \(shard 1\/2\): 10 of the last 20 requests/);
    expect(merged.rules.find((r) => r.id === 'valid-raw-upload')!.counterexample!.shrunk).toBe(false);
    const failing = mergeReports([shard(failingReport(), 1, 2), shard(incompleteReport(), 2, 2)], ['a.json', 'b.json']);
    expect(failing.verdict).toBe('does-not-conform');
    expect(failing.stop!.reason).toMatch(/^b\.json \(shard 2\/2\): /);
  });

  it('computeVerdict: stopped without a MUST failure is incomplete', () => {
    expect(computeVerdict([{ level: 'MUST', status: 'pass' }], [], true)).toBe('incomplete');
    expect(computeVerdict([{ level: 'SHOULD', status: 'fail' }], [], true)).toBe('incomplete');
    expect(computeVerdict([{ level: 'MUST', status: 'fail' }], [], true)).toBe('does-not-conform');
    expect(computeVerdict([{ level: 'MUST', status: 'pass' }], [{ status: 'fail' }], true)).toBe('does-not-conform');
  });
});
