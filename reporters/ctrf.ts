/**
 * report.json -> reports/ctrf.json in the Common Test Report Format (CTRF, spec version 0.0.0),
 * for the CI reporters that read it. One test per rule: pass -> passed, fail -> failed,
 * not-run -> skipped, warn -> other (rawStatus `warn`: CTRF has no warning status, and a warning
 * is no failure). A run that stopped early, or whose verdict is incomplete, adds a test `run`
 * that failed, as junit.xml does, so CI never shows it green with skips. Written by hand (the
 * `ctrf` package, which the tests validate it with, needs a newer Node than the suite does).
 */
import type { Counterexample, Report, RuleResult } from '../src/report/types.js';
import { withoutCredentials } from './html.js';

const CTRF_SPEC_VERSION = '0.0.0';

type CtrfStatus = 'passed' | 'failed' | 'skipped' | 'pending' | 'other';

interface CtrfTest {
  name: string;
  testId: string;
  status: CtrfStatus;
  rawStatus: string;
  duration: number;
  suite: string[];
  message?: string;
  trace?: string;
  tags: string[];
  labels: Record<string, string | number>;
  extra?: Record<string, unknown>;
}

const statusOf: Record<RuleResult['status'], CtrfStatus> = { pass: 'passed', fail: 'failed', 'not-run': 'skipped', warn: 'other' };

/** The counterexample in words: the case, why it failed, the exchange, and how to replay it. */
function describe(cx: Counterexample): string {
  const answer = cx.response ? `${cx.response.status} after ${Math.round(cx.response.durationMs)} ms` : `none${cx.error ? ` (${cx.error})` : ''}`;
  return [`Case: ${cx.description}`, `Why: ${cx.message}`, `Request: ${cx.request.method} ${cx.request.url}`, `Response: ${answer}`, `Replay: ${cx.replay}`, `curl: ${cx.curl}`].join('\n');
}

function ruleTest(rule: RuleResult, tool: string): CtrfTest {
  const t: CtrfTest = {
    name: rule.id,
    testId: rule.id,
    status: statusOf[rule.status],
    rawStatus: rule.status,
    duration: 0,
    suite: [tool, rule.level],
    tags: [rule.level, rule.source],
    labels: { level: rule.level, source: rule.source, cases: rule.cases, failures: rule.failures, warnings: rule.warnings },
    extra: { title: rule.title, ...(rule.observations ? { observations: rule.observations } : {}) },
  };
  const message = rule.message ?? rule.counterexample?.message;
  if (message !== undefined && (rule.status === 'fail' || rule.status === 'warn')) t.message = message;
  if (rule.counterexample) t.trace = describe(rule.counterexample);
  return t;
}

/** The test `run`, failed, when the run stopped early or its verdict is incomplete; undefined otherwise. */
function runTest(report: Report, tool: string): CtrfTest | undefined {
  const stop = report.stop;
  if (!stop && report.verdict !== 'incomplete') return undefined;
  const message = stop ? `The run stopped early (${stop.kind}) after ${stop.afterRequests} requests: ${stop.reason}` : 'The run is incomplete: it stopped before it could judge every rule';
  return { name: 'run', testId: 'run', status: 'failed', rawStatus: stop ? stop.kind : 'incomplete', duration: Math.round(report.durationMs), suite: [tool], message, tags: [], labels: { verdict: report.verdict } };
}

/** Renders report.json as a CTRF document (JSON text). */
export function renderCtrf(report: Report): string {
  const tool = report.tool.name;
  const run = runTest(report, tool);
  const tests = [...(run ? [run] : []), ...report.rules.map((r) => ruleTest(r, tool))];
  const count = (s: CtrfStatus) => tests.filter((t) => t.status === s).length;
  // report.json's schema checks only the start of startedAt: an unreadable one is the epoch, not NaN (null in JSON).
  const start = Number.isFinite(Date.parse(report.startedAt)) ? Date.parse(report.startedAt) : 0;
  const duration = Math.round(report.durationMs);
  const doc = {
    reportFormat: 'CTRF',
    specVersion: CTRF_SPEC_VERSION,
    timestamp: new Date(start + duration).toISOString(),
    generatedBy: `${report.tool.name} ${report.tool.version}`,
    results: {
      tool: { name: report.tool.name, version: report.tool.version },
      summary: {
        tests: tests.length,
        passed: count('passed'),
        failed: count('failed'),
        skipped: count('skipped'),
        pending: count('pending'),
        other: count('other'),
        start,
        stop: start + duration,
        duration,
        extra: { verdict: report.verdict, requests: report.requests, ...(report.stop ? { stop: report.stop } : {}) },
      },
      tests,
      environment: {
        reportName: `${report.tool.name}: ${report.verdict}`,
        healthy: report.stop === undefined && report.verdict !== 'incomplete',
        ...(report.configuration.shard !== undefined ? { shardId: report.configuration.shard } : {}),
        extra: { target: withoutCredentials(report.target.url), embedded: report.target.embedded, seed: report.seed, spec: report.spec, ...(report.sha256 ? { reportSha256: report.sha256 } : {}) },
      },
      extra: {
        notes: report.notes,
        ...(report.restore ? { restore: report.restore } : {}),
        ...(report.pact ? { pact: report.pact.map((p) => ({ file: p.file, consumer: p.consumer, provider: p.provider, status: p.status })) } : {}),
      },
    },
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
