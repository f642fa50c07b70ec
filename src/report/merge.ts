/**
 * Merges the report.json files of sharded runs (`--shard i/n`) into one report.
 *
 * - rules: cases, failures and warnings add up; the status is the worst one
 *   (fail > warn > pass > not-run); the first counterexample of the merged status is kept;
 *   observations add up.
 * - verdict: recomputed from rule levels and statuses (computeVerdict); a shard that stopped early
 *   makes the merged report stopped too (its `stop`, named by the shard).
 * - coverage adds up; latency histograms add up and the percentiles are recomputed from the
 *   merged histogram; durations and requests add up; startedAt is the earliest start.
 * - configuration: the first report's, without `shard`.
 * Reports of a different spec sha256 or tool version are refused (ConfigError).
 */
import { ConfigError } from '../errors.js';
import type {
  Counterexample,
  LatencySummary,
  PactResult,
  Report,
  RuleResult,
  RuleStatus,
  ShardSummary,
  Verdict,
} from './types.js';

const statusRank: Record<RuleStatus, number> = { 'not-run': 0, pass: 1, warn: 2, fail: 3 };

/** The worse of two rule statuses. */
function worseStatus(a: RuleStatus, b: RuleStatus): RuleStatus {
  return statusRank[b] > statusRank[a] ? b : a;
}

/**
 * The verdict: a failing MUST rule, or a pact that does not hold, makes a target not conform; else
 * a run that stopped early is incomplete; else any fail or warn gives conforms-with-warnings.
 */
export function computeVerdict(rules: readonly Pick<RuleResult, 'level' | 'status'>[], pact: readonly Pick<PactResult, 'status'>[] = [], stopped = false): Verdict {
  if (rules.some((r) => r.status === 'fail' && r.level === 'MUST')) return 'does-not-conform';
  if (pact.some((p) => p.status === 'fail')) return 'does-not-conform';
  if (stopped) return 'incomplete';
  if (rules.some((r) => r.status === 'fail' || r.status === 'warn')) return 'conforms-with-warnings';
  return 'conforms';
}

/**
 * The p-quantile (0..1) of a histogram: the upper bound of the bucket holding the
 * ceil(p*count)-th sample, capped at `max`; `max` when that bucket is the open-ended last one.
 */
export function percentileFromHistogram(bucketsMs: readonly number[], counts: readonly number[], max: number, p: number): number {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return 0;
  const rank = Math.max(1, Math.ceil(p * total));
  const openIndex = counts.length > bucketsMs.length ? bucketsMs.length : bucketsMs.length - 1;
  let cumulative = 0;
  for (let i = 0; i < counts.length; i++) {
    cumulative += counts[i] ?? 0;
    if (cumulative >= rank) {
      const bound = bucketsMs[i];
      return i >= openIndex || bound === undefined ? max : Math.min(bound, max);
    }
  }
  return max;
}

function sameNumbers(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function mergeLatency(reports: readonly Report[], names: readonly string[]): LatencySummary {
  const withData = reports.map((r, i) => ({ l: r.latency, name: names[i] ?? `report ${i + 1}` })).filter((x) => x.l.count > 0);
  const first = withData[0]?.l ?? reports[0]?.latency;
  if (!first) return { count: 0, p50: 0, p95: 0, p99: 0, max: 0, bucketsMs: [], counts: [] };
  const bucketsMs = [...first.bucketsMs];
  const counts = first.counts.map(() => 0);
  let count = 0;
  let max = 0;
  for (const { l, name } of withData) {
    if (!sameNumbers(l.bucketsMs, bucketsMs) || l.counts.length !== counts.length) {
      throw new ConfigError(
        `cannot merge: ${name} has latency buckets [${l.bucketsMs.join(', ')}], ${withData[0]?.name} has [${bucketsMs.join(', ')}]`,
      );
    }
    l.counts.forEach((c, i) => (counts[i] = (counts[i] ?? 0) + c));
    count += l.count;
    max = Math.max(max, l.max);
  }
  return {
    count,
    p50: percentileFromHistogram(bucketsMs, counts, max, 0.5),
    p95: percentileFromHistogram(bucketsMs, counts, max, 0.95),
    p99: percentileFromHistogram(bucketsMs, counts, max, 0.99),
    max,
    bucketsMs,
    counts,
  };
}

function addCounts(into: Record<string, number>, from: Record<string, number>): void {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
}

function mergeRules(reports: readonly Report[]): RuleResult[] {
  const byId = new Map<string, RuleResult[]>();
  for (const r of reports) {
    for (const rule of r.rules) {
      const list = byId.get(rule.id);
      if (list) list.push(rule);
      else byId.set(rule.id, [rule]);
    }
  }
  const merged: RuleResult[] = [];
  for (const [id, parts] of byId) {
    const first = parts[0]!;
    const status = parts.reduce<RuleStatus>((s, p) => worseStatus(s, p.status), 'not-run');
    // The findings of the first part whose status is the merged one, like a single run keeps
    // "the first failure, or the first warning when there is no failure".
    const telling = parts.find((p) => p.status === status && (p.counterexample || p.message));
    const withExample: RuleResult | undefined =
      parts.find((p) => p.status === status && p.counterexample) ?? parts.find((p) => p.counterexample);
    const counterexample: Counterexample | undefined = withExample?.counterexample;
    const message = telling?.message ?? withExample?.message ?? parts.find((p) => p.message)?.message;
    let observations: Record<string, number> | undefined;
    for (const p of parts) {
      if (p.observations) addCounts((observations ??= {}), p.observations);
    }
    const rule: RuleResult = {
      id,
      level: first.level,
      source: first.source,
      title: first.title,
      status,
      cases: parts.reduce((a, p) => a + p.cases, 0),
      failures: parts.reduce((a, p) => a + p.failures, 0),
      warnings: parts.reduce((a, p) => a + p.warnings, 0),
    };
    if (message !== undefined) rule.message = message;
    if (counterexample) rule.counterexample = counterexample;
    if (observations) rule.observations = observations;
    merged.push(rule);
  }
  return merged;
}

function mergePact(reports: readonly Report[]): PactResult[] | undefined {
  if (!reports.some((r) => r.pact)) return undefined;
  const byKey = new Map<string, PactResult>();
  for (const r of reports) {
    for (const p of r.pact ?? []) {
      const key = JSON.stringify([p.file, p.consumer, p.provider]);
      const seen = byKey.get(key);
      // The same pact verified by several shards: keep the first failing verification.
      if (!seen || (seen.status === 'pass' && p.status === 'fail')) byKey.set(key, p);
    }
  }
  return [...byKey.values()];
}

const shardPattern = /^(\d+)\/(\d+)$/;

function checkShards(reports: readonly Report[], names: readonly string[], notes: string[]): void {
  const seen = new Map<string, string>();
  let total: number | undefined;
  for (const [i, r] of reports.entries()) {
    const shard = r.configuration.shard;
    if (shard === undefined) continue;
    const name = names[i] ?? `report ${i + 1}`;
    const m = shardPattern.exec(shard);
    if (!m) continue;
    const n = Number(m[2]);
    if (total !== undefined && n !== total) {
      throw new ConfigError(`cannot merge: ${name} is shard ${shard} but another report is a shard of ${total}`);
    }
    total = n;
    const before = seen.get(shard);
    if (before !== undefined) throw new ConfigError(`cannot merge: ${before} and ${name} are both shard ${shard}`);
    seen.set(shard, name);
  }
  if (total !== undefined) {
    const missing: string[] = [];
    for (let k = 1; k <= total; k++) if (!seen.has(`${k}/${total}`)) missing.push(`${k}/${total}`);
    if (missing.length > 0) notes.push(`Merged without shard${missing.length > 1 ? 's' : ''} ${missing.join(', ')}: not every case was run.`);
  }
}

function labelOf(names: readonly string[], i: number): string {
  return names[i] ?? `report ${i + 1}`;
}

/** " (shard i/n)" for a shard's report, else nothing. */
function shardSuffix(r: Report): string {
  return r.configuration.shard ? ` (shard ${r.configuration.shard})` : '';
}

/** Refuses reports of another spec sha256 or tool than the first one's. */
function checkSameRun(first: Report, reports: readonly Report[], names: readonly string[]): void {
  for (const [i, r] of reports.entries()) {
    if (r.spec.sha256.toLowerCase() !== first.spec.sha256.toLowerCase()) {
      throw new ConfigError(
        `cannot merge: ${labelOf(names, i)} was run against spec sha256 ${r.spec.sha256}, ${labelOf(names, 0)} against ${first.spec.sha256}; merge only shards of one run`,
      );
    }
    if (r.tool.version !== first.tool.version || r.tool.name !== first.tool.name) {
      throw new ConfigError(
        `cannot merge: ${labelOf(names, i)} was made by ${r.tool.name} ${r.tool.version}, ${labelOf(names, 0)} by ${first.tool.name} ${first.tool.version}; merge only shards of one run`,
      );
    }
  }
}

/**
 * The merged notes: missing shards, different targets or seeds, every report's own notes (once
 * each), then each image a shard did not restore.
 */
function mergeNotes(first: Report, reports: readonly Report[], names: readonly string[]): string[] {
  const notes: string[] = [];
  checkShards(reports, names, notes);
  if (reports.some((r) => r.target.url !== first.target.url)) {
    notes.push(`The merged reports name different targets: ${[...new Set(reports.map((r) => r.target.url))].join(', ')}.`);
  }
  if (reports.some((r) => r.seed !== first.seed)) {
    notes.push(`The merged reports used different seeds (${[...new Set(reports.map((r) => r.seed))].join(', ')}); each counterexample's replay carries its own.`);
  }
  for (const r of reports) for (const n of r.notes) if (!notes.includes(n)) notes.push(n);
  for (const [i, r] of reports.entries()) {
    if (r.restore?.outcome === 'failed') notes.push(`${labelOf(names, i)}${shardSuffix(r)}: the person's image was not restored: ${r.restore.message}`);
  }
  return notes;
}

/** A shard that stopped early leaves the merged run incomplete: the first stop stands for all, named by its shard. */
function mergeStop(reports: readonly Report[], names: readonly string[]): Report['stop'] {
  const stopped = reports.findIndex((r) => r.stop);
  if (stopped < 0) return undefined;
  const r = reports[stopped]!;
  return { ...r.stop!, reason: `${labelOf(names, stopped)}${shardSuffix(r)}: ${r.stop!.reason}` };
}

function mergeCoverage(reports: readonly Report[]): Record<string, Record<string, number>> {
  const coverage: Record<string, Record<string, number>> = {};
  for (const r of reports) {
    for (const [dimension, values] of Object.entries(r.coverage)) addCounts((coverage[dimension] ??= {}), values);
  }
  return coverage;
}

function shardSummaries(reports: readonly Report[]): ShardSummary[] {
  return reports.map((r) => {
    const s: ShardSummary = { startedAt: r.startedAt, durationMs: r.durationMs, requests: r.requests };
    if (r.configuration.shard !== undefined) s.shard = r.configuration.shard;
    if (r.sha256 !== undefined) s.sha256 = r.sha256;
    return s;
  });
}

/**
 * Merges reports of the same spec and tool version into one (see the module comment).
 * `names` label the inputs in error messages (file paths). The result has no sha256.
 */
export function mergeReports(reports: readonly Report[], names: readonly string[] = []): Report {
  const first = reports[0];
  if (!first) throw new ConfigError('cannot merge: no reports given');
  checkSameRun(first, reports, names);
  const notes = mergeNotes(first, reports, names);
  const rules = mergeRules(reports);
  const stop = mergeStop(reports, names);
  const { shard: _dropped, ...configuration } = first.configuration;
  const starts = reports.map((r) => r.startedAt).sort();

  const merged: Report = {
    schemaVersion: 1,
    tool: { ...first.tool },
    verdict: computeVerdict(rules, mergePact(reports), stop !== undefined),
    spec: { ...first.spec },
    seed: first.seed,
    // One embedded input makes the merged report no statement about an installation.
    target: { ...first.target, embedded: reports.some((r) => r.target.embedded) },
    startedAt: starts[0] ?? first.startedAt,
    durationMs: reports.reduce((a, r) => a + r.durationMs, 0),
    configuration,
    requests: reports.reduce((a, r) => a + r.requests, 0),
    rules,
    coverage: mergeCoverage(reports),
    latency: mergeLatency(reports, names),
    notes,
    shards: shardSummaries(reports),
  };
  const pact = mergePact(reports);
  if (pact) merged.pact = pact;
  if (stop) merged.stop = stop;
  return merged;
}
