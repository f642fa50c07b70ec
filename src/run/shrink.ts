/**
 * Shrinking: each broken rule's first failing case is replayed and shrunk by fast-check into the
 * report's counterexample; after the circuit breaker tripped, a bounded shrink; a failure that
 * cannot be shrunk keeps its first case as sent.
 */
import fc from 'fast-check';
import type { Case } from '../generate/case.js';
import type { Family } from '../generate/families/index.js';
import type { Rule } from '../spec/rules.js';
import type { Observation } from '../transport/observation.js';
import { buildCounterexample } from './counterexample.js';
import { judgeCase, type Finding } from './judge.js';
import type { RunState } from './run-state.js';
import { familySeed } from './selection.js';
import { runCase } from './survey.js';

/** The CLI options that name the target (without secrets), for replay commands. */
function targetArgs(s: RunState): string[] {
  return s.target.embedded ? [] : ['--target', s.target.baseUrl, ...(s.config.personId !== undefined ? ['--person-id', String(s.config.personId)] : [])];
}

async function counterexampleOf(s: RunState, rule: Rule, c: Case, o: Observation, message: string, path: string | undefined) {
  return buildCounterexample({
    rule: rule.id,
    message,
    c,
    o,
    baseUrl: s.target.baseUrl,
    seed: s.config.seed,
    runs: s.config.runs,
    ...(path ? { path } : {}),
    reportDir: s.config.reportDir,
    redactor: s.redactor,
    targetArgs: targetArgs(s),
  });
}

/**
 * Phase 2: replays the family's sequence with fast-check up to the rule's first failing case
 * (cases before it are known to keep the rule and are not sent again), then lets fast-check
 * shrink it. The same seed and `--only RULE` replay the same counterexample.
 */
async function minimize(s: RunState, family: Family, seed: number, rule: Rule, severity: 'fail' | 'warn', firstIndex: number): Promise<void> {
  let calls = 0;
  let budget = s.maxShrinkRequests;
  let last: { c: Case; o: Observation; finding: Finding } | undefined;
  const property = fc.asyncProperty(family.arbitrary, async (recipe) => {
    const i = calls++;
    if (i < firstIndex) return true;
    if (i > firstIndex && budget-- <= 0) return true;
    if (s.signal?.aborted || s.exec.session.budgetExhausted) return true;
    const c = await s.builder.build(recipe);
    const executed = await runCase(s, c);
    if (!executed) return true;
    const finding = judgeCase([rule], c, executed.o, executed.extra, s.checkCtx).findings.find((f) => f.severity === severity);
    if (!finding) return true;
    last = { c, o: executed.o, finding };
    return false;
  });
  // A first failure found by topUp lies beyond `runs` in the same sequence.
  const details = await fc.check(property, { seed, numRuns: Math.max(s.config.runs, firstIndex + 1) });
  if (!details.failed || !last) return;
  const ce = await counterexampleOf(s, rule, last.c, last.o, last.finding.message, details.counterexamplePath ?? undefined);
  s.results.setCounterexample(rule.id, ce, severity);
}

/** Shrinks the first failure (else the first warning) of each selected rule this family broke. */
export async function minimizeFamily(s: RunState, family: Family, seed: number): Promise<void> {
  for (const rule of s.rules) {
    if (!s.selected.has(rule.id) || s.signal?.aborted) continue;
    const t = s.results.tally(rule.id);
    if (t.counterexampleSeverity === 'fail') continue;
    const fail = t.firstFail.get(family.name);
    const warn = t.firstWarn.get(family.name);
    if (fail !== undefined) await minimize(s, family, seed, rule, 'fail', fail);
    else if (warn !== undefined && !t.counterexample) await minimize(s, family, seed, rule, 'warn', warn);
  }
}

/** Requests the run may still send after the circuit breaker tripped, to shrink the failures it already has. */
const SHRINK_REQUESTS_AFTER_TRIP = 60;

export async function shrinkAfterTrip(s: RunState, all: readonly Family[]): Promise<void> {
  s.exec.session.allowAfterTrip(SHRINK_REQUESTS_AFTER_TRIP);
  const saved = s.maxShrinkRequests;
  s.maxShrinkRequests = Math.min(saved, SHRINK_REQUESTS_AFTER_TRIP);
  const stop = s.stop;
  try {
    s.stop = undefined;
    for (const family of all) await minimizeFamily(s, family, familySeed(s.config.seed, family.name));
  } catch {
    // The allowance is spent or the target went away: the first failing cases stand in.
  } finally {
    s.stop = stop;
    s.maxShrinkRequests = saved;
    s.exec.session.allowAfterTrip(0);
  }
}

/** A rule that broke but has no counterexample (the run stopped first, or shrinking did not reproduce it) keeps its first case as sent. */
export async function keepFirstCases(s: RunState): Promise<void> {
  for (const rule of s.rules) {
    const t = s.results.tally(rule.id);
    if (!t.evidence || t.counterexampleSeverity === 'fail' || (t.counterexample && t.evidence.severity === 'warn')) continue;
    const c = await s.builder.build(t.evidence.recipe);
    const ce = await counterexampleOf(s, rule, c, t.evidence.o, t.evidence.message, undefined);
    ce.shrunk = false;
    s.results.setCounterexample(rule.id, ce, t.evidence.severity);
  }
}
