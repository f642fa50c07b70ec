/**
 * A baseline of accepted findings (`run --baseline FILE`) applied to a run's verdict. An entry is
 * in force up to and including its `expires` day (UTC, taken from the run's start); while it is,
 * its rule failing counts in the verdict as a warning, so an accepted MUST failure gives at worst
 * conforms-with-warnings. The rule's status, message and counterexample stay in the report as
 * they are; report.baseline lists every entry, whether it expired and whether it hid a finding.
 * An expired entry hides nothing: its failure makes the target does-not-conform again.
 */
import type { Baseline } from '../config/baseline-file.js';
import { ConfigError } from '../errors.js';
import type { Report, RuleResult } from '../report/types.js';
import type { Rule } from '../spec/rules.js';

type BaselineResult = NonNullable<Report['baseline']>[number];

/** Refuses a baseline that names a rule the catalogue does not have (before any request is sent). */
export function checkBaselineRules(baseline: Baseline | undefined, rules: readonly Pick<Rule, 'id'>[]): void {
  if (!baseline) return;
  const known = new Set(rules.map((r) => r.id));
  const unknown = baseline.entries.map((e) => e.rule).filter((id) => !known.has(id));
  if (unknown.length > 0) throw new ConfigError(`--baseline ${baseline.file} names unknown rules: ${unknown.join(', ')} (see spec/rules.yaml)`);
}

/** Whether the run started (UTC) after the entry's last day. */
function isExpired(expires: string, started: Date): boolean {
  return started.toISOString().slice(0, 10) > expires;
}

export interface BaselineOutcome {
  /** The rule results as the verdict counts them: a failure an entry in force accepts counts as a warning. */
  forVerdict: Pick<RuleResult, 'level' | 'status'>[];
  /** report.baseline: every entry, absent without a baseline. */
  entries?: BaselineResult[];
}

/** Applies the baseline to the rule results of a run that started at `started`. */
export function applyBaseline(baseline: Baseline | undefined, rules: readonly RuleResult[], started: Date): BaselineOutcome {
  if (!baseline) return { forVerdict: [...rules] };
  const status = new Map(rules.map((r) => [r.id, r.status]));
  const entries = baseline.entries.map((e): BaselineResult => {
    const expired = isExpired(e.expires, started);
    const s = status.get(e.rule);
    return { rule: e.rule, reason: e.reason, expires: e.expires, expired, hidden: !expired && (s === 'fail' || s === 'warn') };
  });
  const hidden = new Set(entries.filter((e) => e.hidden).map((e) => e.rule));
  const forVerdict = rules.map((r) => ({ level: r.level, status: hidden.has(r.id) && r.status === 'fail' ? ('warn' as const) : r.status }));
  return { forVerdict, entries };
}

/** For the verdict line: `, accepted by the baseline: a, b, baseline expired: c`, or '' when the baseline hid and revealed nothing. */
export function baselineSummary(entries: Report['baseline']): string {
  const accepted = (entries ?? []).filter((e) => e.hidden).map((e) => e.rule);
  const expired = (entries ?? []).filter((e) => e.expired).map((e) => e.rule);
  return (accepted.length ? `, accepted by the baseline: ${accepted.join(', ')}` : '') + (expired.length ? `, baseline expired: ${expired.join(', ')}` : '');
}
