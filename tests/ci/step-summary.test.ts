/**
 * The job summary (src/ci/step-summary.ts) of a run with failures: the verdict, the target and
 * whether it is the embedded one, the counts, a row per failing and warned rule (failing first)
 * with its counterexample and replay command, the pacts that do not hold, the stop of a run that
 * could not finish; text from the report cannot break the Markdown; no credential appears.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { renderStepSummary } from '../../src/ci/step-summary.js';
import type { Report } from '../../src/report/types.js';
import { copyOf, failingRun, FAILING_SEED, type FailingRun } from './failing-report.js';

let run: FailingRun;
beforeAll(async () => {
  run = await failingRun();
});

const rule = (report: Report, id: string) => report.rules.find((r) => r.id === id)!;
/** The rows of the failing-and-warned table. */
const tableRows = (md: string) => md.split('\n').filter((l) => /^\| `[a-z0-9-]+` \|/.test(l));
/** The cells of a table row, split on the pipes GitHub reads as cell breaks (not `\|`). */
const cells = (row: string) => row.replace(/\\\|/g, '\u0000').split('|').slice(1, -1);

describe('the job summary', () => {
  it('heads with the verdict, names the target and what it is, the seed and the counts', () => {
    const { report } = run;
    const md = renderStepSummary(report, 'reports');
    expect(md).toMatch(/^## ❌ person-image-conformance: does-not-conform\n/);
    expect(md).toContain(`**Target:** \`${report.target.url}\` (an installation) · **seed** ${FAILING_SEED} · 10 cases per family`);
    const n = (s: string) => report.rules.filter((r) => r.status === s).length;
    expect(n('fail')).toBe(1);
    expect(n('warn')).toBe(1);
    expect(md).toContain(`| ${report.rules.length} | ${n('pass')} | 1 | 1 | ${n('not-run')} | ${report.requests} | ${(report.durationMs / 1000).toFixed(1)} s |`);
    expect(md).toContain('Reports in `reports`');

    const embedded = copyOf(report);
    embedded.target.embedded = true;
    expect(renderStepSummary(embedded, 'reports')).toContain('(the embedded reference target, not an installation)');
  });

  it('a row per failing and warned rule, failing first, with the counterexample, why, and the replay command', () => {
    const { report } = run;
    const rows = tableRows(renderStepSummary(report, 'reports'));
    expect(rows).toHaveLength(2);
    const [fail, warn] = rows.map(cells);
    const mustRule = rule(report, 'empty-body-rejected');
    expect(fail!.map((c) => c.trim()).slice(0, 4)).toEqual(['`empty-body-rejected`', 'MUST', 'fail', `${mustRule.failures} of ${mustRule.cases}`]);
    expect(fail![4]).toContain('PUT person 1; empty: an empty body');
    expect(fail![4]).toContain(' — why: an empty body: expected 400, answered 200');
    expect(fail![5]!.trim()).toBe(`\`${mustRule.counterexample!.replay}\``);
    expect(warn!.map((c) => c.trim()).slice(0, 3)).toEqual(['`error-body-shape`', 'SHOULD', 'warn']);
    expect(warn![3]!.trim()).toBe(`${rule(report, 'error-body-shape').warnings} of ${rule(report, 'error-body-shape').cases}`);
  });

  it('a report that conforms has no table of rules', () => {
    const ok = copyOf(run.report);
    ok.verdict = 'conforms';
    for (const r of ok.rules) if (r.status !== 'not-run') r.status = 'pass';
    const md = renderStepSummary(ok, 'reports');
    expect(md).toMatch(/^## ✅ person-image-conformance: conforms\n/);
    expect(md).not.toContain('Failing and warned rules');
    expect(tableRows(md)).toEqual([]);
  });

  it('the stop of a run that could not finish, with its reason', () => {
    const stopped = copyOf(run.report);
    stopped.verdict = 'incomplete';
    stopped.stop = { kind: 'target-gone', reason: 'the target went away: 5 connections refused in a row', afterRequests: 17 };
    const md = renderStepSummary(stopped, 'reports');
    expect(md).toMatch(/^## ⛔ person-image-conformance: incomplete\n/);
    expect(md).toContain('> **Stopped early** (target-gone, after 17 requests): the target went away: 5 connections refused in a row');
    expect(renderStepSummary(run.report, 'reports')).not.toContain('Stopped early');
  });

  it('the pact interactions that do not hold', () => {
    const withPact = copyOf(run.report);
    withPact.pact = [
      { file: 'contracts/a.json', consumer: 'crm-app', provider: 'superoffice', status: 'fail', interactions: [
        { description: 'an image upload', status: 'pass' },
        { description: 'an upload without an image', status: 'fail', message: 'expected 400, got 200' },
      ] },
    ];
    const md = renderStepSummary(withPact, 'reports');
    expect(md).toContain('**Pacts:** 1 verified, 2 interactions, 1 failing.');
    expect(md).toContain('| `contracts/a.json` | an upload without an image | expected 400, got 200 |');
  });

  it('text from the report cannot break a row or add markup: pipes, newlines, HTML, backticks, links are escaped', () => {
    const hostile = copyOf(run.report);
    const r = rule(hostile, 'empty-body-rejected');
    r.counterexample!.description = 'a | b\nc <script>alert(1)</script> `x` [link](http://evil) **bold**';
    r.counterexample!.message = 'line one\r\nline two | three';
    r.counterexample!.replay = 'person-image-conformance run --only `a|b`';
    const md = renderStepSummary(hostile, 'reports');
    const row = tableRows(md).find((l) => l.startsWith('| `empty-body-rejected`'))!;
    expect(row).toBeDefined();
    expect(cells(row)).toHaveLength(6);
    expect(row).not.toMatch(/<script>|\[link\]\(|\*\*bold/);
    expect(row).toContain('\\<script\\>');
    expect(row).toContain('why: line one line two \\| three');
    expect(row).toContain('`` person-image-conformance run --only `a\\|b` ``');
  });

  it('a long counterexample is cut, with an ellipsis (report.html has it whole)', () => {
    const long = copyOf(run.report);
    rule(long, 'empty-body-rejected').counterexample!.description = 'x'.repeat(5000);
    const row = tableRows(renderStepSummary(long, 'reports'))[0]!;
    expect(row).toContain(`${'x'.repeat(239)}…`);
    expect(row).not.toContain('x'.repeat(240));
  });

  it('holds no credential the run used', () => {
    const md = renderStepSummary(run.report, 'reports');
    expect(run.secrets.length).toBeGreaterThan(4);
    for (const s of run.secrets) expect(md.includes(s), `a credential (${s.length} chars) in the summary`).toBe(false);
  });
});
