/**
 * What changed between two runs (`report diff OLD NEW`), computed from their report.json alone.
 *
 * - Rules, by id over both reports, each in one group by its status in OLD and NEW (`absent`
 *   when a report has no such rule): `newlyFailing` (fails in NEW, did not in OLD), `newlyWarning`
 *   (warns in NEW; passed, was not run or absent in OLD), `fixed` (failed or warned in OLD, passes
 *   in NEW; or failed and now only warns), `unchanged` (the same status), `notComparable` (one of
 *   the two runs did not judge the rule and NEW neither fails nor warns it).
 * - `regressions`: the MUST rules that fail in NEW and count there (NEW's baseline did not hide
 *   them), and did not fail and count in OLD. The regression gate: any makes `report diff` exit 1.
 * - Coverage (dimension -> value -> cases): values with cases in NEW and none in OLD (`appeared`),
 *   and the reverse (`vanished`).
 * - The spec's sha256 and the rules' (sha256 over the canonical JSON of each rule's id, level,
 *   source and title as the report records them, sorted by id): a change is called out, with the
 *   rules added, removed or redefined.
 */
import { createHash } from 'node:crypto';
import { canonicalJson, checkReport } from './canonical.js';
import type { Report, RuleResult, RuleStatus, Verdict } from './types.js';

/** A rule's status in one report, `absent` when the report has no such rule. */
export type RuleState = RuleStatus | 'absent';

export interface RuleChange {
  id: string;
  /** NEW's level, OLD's when NEW has no such rule. */
  level: RuleResult['level'];
  title: string;
  old: RuleState;
  new: RuleState;
  /** NEW's message (the first failure or warning), else OLD's. */
  message?: string;
  /** True when NEW's baseline accepted the rule's finding (it does not count in NEW's verdict). */
  accepted?: true;
}

export interface CoverageChange {
  dimension: string;
  value: string;
  old: number;
  new: number;
}

export interface RunSummary {
  file: string;
  verdict: Verdict;
  startedAt: string;
  seed: number;
  target: string;
  embedded: boolean;
  toolVersion: string;
  specFile: string;
  specSha256: string;
  rulesSha256: string;
  /** False when the report does not match its own sha256 (edited after its run, or none recorded). */
  untouched: boolean;
}

export type RuleGroup = 'newlyFailing' | 'newlyWarning' | 'fixed' | 'unchanged' | 'notComparable';

export interface ReportDiff {
  old: RunSummary;
  new: RunSummary;
  specChanged: boolean;
  rulesChanged: boolean;
  /** The rule catalogue's differences: ids only in NEW, only in OLD, and with another level, source or title. */
  catalogue: { added: string[]; removed: string[]; redefined: string[] };
  rules: Record<RuleGroup, RuleChange[]>;
  /** Ids of the MUST rules that fail (and count) in NEW and did not in OLD. */
  regressions: string[];
  coverage: { appeared: CoverageChange[]; vanished: CoverageChange[] };
}

type RuleHead = Pick<RuleResult, 'id' | 'level' | 'source' | 'title'>;

const head = (r: RuleHead): RuleHead => ({ id: r.id, level: r.level, source: r.source, title: r.title });

/** The rules' sha256: over the canonical JSON of each rule's id, level, source and title, sorted by id. */
export function rulesSha256(report: Pick<Report, 'rules'>): string {
  const heads = report.rules.map(head).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return createHash('sha256').update(canonicalJson(heads), 'utf8').digest('hex');
}

function summary(report: Report, file: string): RunSummary {
  return {
    file,
    verdict: report.verdict,
    startedAt: report.startedAt,
    seed: report.seed,
    target: report.target.url,
    embedded: report.target.embedded,
    toolVersion: report.tool.version,
    specFile: report.spec.file,
    specSha256: report.spec.sha256.toLowerCase(),
    rulesSha256: rulesSha256(report),
    untouched: checkReport(report).status === 'untouched',
  };
}

/** The group of a rule by its status in OLD and NEW. */
export function ruleGroup(old: RuleState, now: RuleState): RuleGroup {
  if (now === 'fail') return old === 'fail' ? 'unchanged' : 'newlyFailing';
  if (now === 'warn') return old === 'warn' ? 'unchanged' : old === 'fail' ? 'fixed' : 'newlyWarning';
  if (old === now) return 'unchanged';
  if (now === 'pass' && (old === 'fail' || old === 'warn')) return 'fixed';
  return 'notComparable';
}

/** The rules of a report whose finding its baseline accepted. */
function acceptedRules(report: Report): Set<string> {
  return new Set((report.baseline ?? []).filter((e) => e.hidden).map((e) => e.rule));
}

/** Whether the rule is a MUST failure that counts in the report's verdict. */
function countedMustFailure(r: RuleResult | undefined, accepted: ReadonlySet<string>): boolean {
  return r !== undefined && r.level === 'MUST' && r.status === 'fail' && !accepted.has(r.id);
}

/** Every rule id of both reports, NEW's order first, then those only OLD has. */
function ruleIds(oldReport: Report, newReport: Report): string[] {
  return [...new Set([...newReport.rules.map((r) => r.id), ...oldReport.rules.map((r) => r.id)])];
}

function compareRules(oldReport: Report, newReport: Report): Pick<ReportDiff, 'rules' | 'regressions'> {
  const before = new Map(oldReport.rules.map((r) => [r.id, r]));
  const after = new Map(newReport.rules.map((r) => [r.id, r]));
  const acceptedBefore = acceptedRules(oldReport);
  const acceptedAfter = acceptedRules(newReport);
  const rules: Record<RuleGroup, RuleChange[]> = { newlyFailing: [], newlyWarning: [], fixed: [], unchanged: [], notComparable: [] };
  const regressions: string[] = [];
  for (const id of ruleIds(oldReport, newReport)) {
    const o = before.get(id);
    const n = after.get(id);
    const some = (n ?? o)!;
    const change: RuleChange = { id, level: some.level, title: some.title, old: o?.status ?? 'absent', new: n?.status ?? 'absent' };
    const message = n?.message ?? o?.message;
    if (message !== undefined) change.message = message;
    if (acceptedAfter.has(id)) change.accepted = true;
    rules[ruleGroup(change.old, change.new)].push(change);
    if (countedMustFailure(n, acceptedAfter) && !countedMustFailure(o, acceptedBefore)) regressions.push(id);
  }
  return { rules, regressions };
}

function compareCoverage(oldReport: Report, newReport: Report): ReportDiff['coverage'] {
  const appeared: CoverageChange[] = [];
  const vanished: CoverageChange[] = [];
  const dimensions = [...new Set([...Object.keys(oldReport.coverage), ...Object.keys(newReport.coverage)])].sort();
  for (const dimension of dimensions) {
    const o = oldReport.coverage[dimension] ?? {};
    const n = newReport.coverage[dimension] ?? {};
    for (const value of [...new Set([...Object.keys(o), ...Object.keys(n)])].sort()) {
      const change = { dimension, value, old: o[value] ?? 0, new: n[value] ?? 0 };
      if (change.old === 0 && change.new > 0) appeared.push(change);
      if (change.old > 0 && change.new === 0) vanished.push(change);
    }
  }
  return { appeared, vanished };
}

function compareCatalogue(oldReport: Report, newReport: Report): ReportDiff['catalogue'] {
  const before = new Map(oldReport.rules.map((r) => [r.id, canonicalJson(head(r))]));
  const after = new Map(newReport.rules.map((r) => [r.id, canonicalJson(head(r))]));
  return {
    added: [...after.keys()].filter((id) => !before.has(id)),
    removed: [...before.keys()].filter((id) => !after.has(id)),
    redefined: [...after].filter(([id, h]) => before.has(id) && before.get(id) !== h).map(([id]) => id),
  };
}

/** What changed from OLD to NEW; `files` name them in the output. */
export function diffReports(oldReport: Report, newReport: Report, files: { old: string; new: string }): ReportDiff {
  const old = summary(oldReport, files.old);
  const now = summary(newReport, files.new);
  return {
    old,
    new: now,
    specChanged: old.specSha256 !== now.specSha256,
    rulesChanged: old.rulesSha256 !== now.rulesSha256,
    catalogue: compareCatalogue(oldReport, newReport),
    ...compareRules(oldReport, newReport),
    coverage: compareCoverage(oldReport, newReport),
  };
}
