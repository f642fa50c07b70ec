/** Per-rule counters, coverage and latency of a run: bounded, whatever the number of cases. */
import type { CaseRecipe } from '../generate/case.js';
import type { Counterexample, RuleResult, RuleStatus } from '../report/types.js';
import type { Rule } from '../spec/rules.js';
import type { Observation } from '../transport/observation.js';
import type { Judgement } from './judge.js';
import { LatencyHistogram } from './latency.js';

/** The first case that broke a rule, as sent and answered: a counterexample when it cannot be shrunk. */
interface Evidence {
  recipe: CaseRecipe;
  o: Observation;
  message: string;
  severity: 'fail' | 'warn';
}

interface RuleTally {
  cases: number;
  failures: number;
  warnings: number;
  message?: string;
  /** Index of the first failing and first warning case per family, for the minimizer. */
  firstFail: Map<string, number>;
  firstWarn: Map<string, number>;
  observations: Map<string, number>;
  counterexample?: Counterexample;
  counterexampleSeverity?: 'fail' | 'warn';
  /** The first failing case (else the first warning one), kept until a counterexample replaces it. */
  evidence?: Evidence;
}

export class RunResults {
  private readonly tallies = new Map<string, RuleTally>();
  readonly coverage = new Map<string, Map<string, number>>();
  /** Cases per value class, `family: class` (see ValueClass); every class of a run's families is listed, 0 when none was sent. */
  private readonly classes = new Map<string, number>();
  readonly latency = new LatencyHistogram();

  constructor(readonly rules: readonly Rule[]) {
    for (const r of rules) this.tallies.set(r.id, { cases: 0, failures: 0, warnings: 0, firstFail: new Map(), firstWarn: new Map(), observations: new Map() });
  }

  tally(rule: string): RuleTally {
    return this.tallies.get(rule)!;
  }

  record(family: string, index: number, j: Judgement, coverage: Record<string, string>, sent?: { recipe: CaseRecipe; o: Observation }): void {
    for (const id of j.exercised) this.tally(id).cases++;
    for (const f of j.findings) {
      const t = this.tally(f.rule);
      if (sent && t.counterexampleSeverity !== 'fail' && (!t.evidence || (t.evidence.severity === 'warn' && f.severity === 'fail'))) {
        t.evidence = { recipe: sent.recipe, o: sent.o, message: f.message, severity: f.severity };
      }
      if (f.severity === 'fail') {
        t.failures++;
        if (!t.firstFail.has(family) || t.firstFail.get(family)! > index) t.firstFail.set(family, index);
      } else {
        t.warnings++;
        if (!t.firstWarn.has(family) || t.firstWarn.get(family)! > index) t.firstWarn.set(family, index);
      }
      if (t.failures + t.warnings === 1 || (f.severity === 'fail' && t.failures === 1)) t.message = f.message;
    }
    for (const [rule, value] of j.observations) {
      const obs = this.tally(rule).observations;
      obs.set(value, (obs.get(value) ?? 0) + 1);
    }
    for (const [dim, value] of Object.entries(coverage)) {
      let m = this.coverage.get(dim);
      if (!m) this.coverage.set(dim, (m = new Map()));
      m.set(value, (m.get(value) ?? 0) + 1);
    }
  }

  /** Lists a family's value classes (so a class no case reached shows 0). */
  expectClasses(family: string, names: readonly string[]): void {
    for (const n of names) if (!this.classes.has(`${family}: ${n}`)) this.classes.set(`${family}: ${n}`, 0);
  }

  /** Counts the value classes a sent case belongs to. */
  recordClasses(family: string, names: readonly string[]): void {
    for (const n of names) this.classes.set(`${family}: ${n}`, (this.classes.get(`${family}: ${n}`) ?? 0) + 1);
  }

  /** Cases sent so far of a family's value class. */
  classCount(family: string, name: string): number {
    return this.classes.get(`${family}: ${name}`) ?? 0;
  }

  setCounterexample(rule: string, ce: Counterexample, severity: 'fail' | 'warn'): void {
    const t = this.tally(rule);
    t.counterexample = ce;
    t.counterexampleSeverity = severity;
    t.message = ce.message;
    delete t.evidence;
  }

  /**
   * The report's rule results. `finished(rule)` says whether every family that exercises the rule
   * ran to its end: a rule that did not finish (the run stopped early) is `not-run` unless it
   * already failed or warned.
   */
  ruleResults(selected: ReadonlySet<string>, finished: (rule: Rule) => boolean = () => true): RuleResult[] {
    return this.rules.map((r) => {
      const t = this.tally(r.id);
      const judged = t.failures > 0 || t.warnings > 0 || finished(r);
      const status: RuleStatus = !selected.has(r.id) || t.cases === 0 || !judged ? 'not-run' : t.failures > 0 ? 'fail' : t.warnings > 0 ? 'warn' : 'pass';
      const out: RuleResult = { id: r.id, level: r.level, source: r.source, title: r.title, status, cases: t.cases, failures: t.failures, warnings: t.warnings };
      if (t.message && status !== 'pass') out.message = t.message;
      if (t.counterexample) out.counterexample = t.counterexample;
      if (t.observations.size > 0) out.observations = Object.fromEntries([...t.observations].sort());
      return out;
    });
  }

  coverageObject(): Record<string, Record<string, number>> {
    const dims = [...this.coverage].map(([d, m]): [string, Record<string, number>] => [d, Object.fromEntries([...m].sort((a, b) => b[1] - a[1]))]);
    if (this.classes.size > 0) dims.push(['value class', Object.fromEntries([...this.classes].sort((a, b) => a[0].localeCompare(b[0])))]);
    return Object.fromEntries(dims);
  }
}
