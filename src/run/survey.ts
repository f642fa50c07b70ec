/**
 * The first phases of a family: the survey (`runs` generated cases, judged by every selected rule,
 * built ahead of the requests) and the top-up (rare cases of rules no case reached).
 */
import fc from 'fast-check';
import { checks } from '../checks/index.js';
import type { Case, CaseRecipe } from '../generate/case.js';
import type { Family } from '../generate/families/index.js';
import { personPath } from '../spec/model.js';
import { bodySize } from '../transport/target-session.js';
import { executeCase, type Executed } from './execute.js';
import { judgeCase } from './judge.js';
import { runPool } from './pool.js';
import type { Rule } from '../spec/rules.js';
import { halted, type RunState } from './run-state.js';
import { casesOf } from './selection.js';

/**
 * Whether the target is gone: a connection dropped mid-request is a finding, unless the target
 * refuses the next connection too (it was stopped or redeployed, which says nothing about a rule).
 */
async function targetWentAway(s: RunState): Promise<boolean> {
  const { model, credentials, personId } = s.exec;
  const path = personPath(model.imageInfoPath, model.personIdParameter.name, String(personId));
  const probe = await s.exec.session.send({ method: 'GET', path, headers: { ...credentials.readHeaders(), accept: 'application/json' } });
  return probe.error?.code === 'refused';
}

/** Sends a case; undefined when the target was not there to answer it (not judged: see RunState.unjudged). */
export async function runCase(s: RunState, c: Case): Promise<Executed | undefined> {
  const executed = await executeCase(s.exec, c);
  const error = executed.o.error?.code;
  if (error === 'refused' || (error === 'reset' && (await targetWentAway(s)))) {
    s.unjudged++;
    return undefined;
  }
  s.results.latency.add(executed.o.durationMs);
  return executed;
}

/** Judges a sent case by the selected rules and records it (counts, coverage, value classes); says whether it failed or warned. */
function judgeAndRecord(s: RunState, family: Family, rules: readonly Rule[], index: number, c: Case, executed: Executed): 'fail' | 'warn' | 'pass' {
  const judged = judgeCase(rules, c, executed.o, executed.extra, s.checkCtx);
  // A finding's message may quote the answer, and the answer may echo what was sent: redact it
  // with this exchange's credentials before the results keep it.
  const redactor = judged.findings.length > 0 ? s.redactor.forExchange({ ...c.headers, ...c.authHeaders }) : undefined;
  const j = redactor ? { ...judged, findings: judged.findings.map((f) => ({ ...f, message: redactor.text(f.message) })) } : judged;
  s.results.record(family.name, index, j, c.coverage, { recipe: c.recipe, o: executed.o });
  s.results.recordClasses(family.name, classesOf(family, c.recipe));
  return j.findings.some((f) => f.severity === 'fail') ? 'fail' : j.findings.length > 0 ? 'warn' : 'pass';
}

/** Phase 1: `runs` cases of the family, judged by every selected rule. */
export async function survey(s: RunState, family: Family, seed: number): Promise<void> {
  const recipes = fc.sample(family.arbitrary, { seed, numRuns: casesOf(family, s.config.runs) });
  const rulesHere = s.rules.filter((r) => s.selected.has(r.id));
  let done = 0;
  let failures = 0;
  let warnings = 0;
  const workers = family.serial ? 1 : s.config.concurrency;
  // Look-ahead: the next cases are built while requests are on the wire, so generation overlaps
  // the target's answers instead of adding to them. In-thread, one case per pool worker (a build
  // blocks the event loop). On the build worker, up to LOOK_AHEAD_CASES cases or LOOK_AHEAD_BYTES
  // of bodies built and not yet sent: enough to keep ahead through a rare large image.
  const lookAhead = s.builder.where === 'worker' ? Math.max(LOOK_AHEAD_CASES, 2 * workers) : workers;
  const built = new Map<number, Promise<Case>>();
  let nextToBuild = 0;
  let bytesAhead = 0;
  const build = (k: number, ahead: boolean): Promise<Case> => {
    const recipe = recipes[k]!;
    recipes[k] = undefined as never; // keep no recipe once built
    const p = s.builder.build(recipe);
    if (ahead) p.then((c) => (bytesAhead += bodySize(c.body))).catch(() => undefined); // a prefetched case the run never reaches must not reject unhandled
    return p;
  };
  const prefetch = () => {
    while (nextToBuild < recipes.length && built.size < lookAhead && bytesAhead < LOOK_AHEAD_BYTES && !halted(s)) {
      built.set(nextToBuild, build(nextToBuild, true));
      nextToBuild++;
    }
  };
  if (fullRun(s)) s.results.expectClasses(family.name, family.classes.map((k) => k.name));
  s.progress.family(family.name, recipes.length);
  if (s.builder.where === 'worker') prefetch(); // asking the worker is cheap: it starts at once
  await runPool(
    recipes.length,
    workers,
    async (i) => {
      if (halted(s)) return;
      let pending = built.get(i);
      const prefetched = pending !== undefined;
      built.delete(i);
      if (!pending) {
        nextToBuild = Math.max(nextToBuild, i + 1);
        pending = build(i, false);
      }
      const c = await pending;
      if (prefetched) bytesAhead -= bodySize(c.body);
      const sending = runCase(s, c);
      setImmediate(prefetch); // once the request has left
      const executed = await sending;
      done++;
      const outcome = executed ? judgeAndRecord(s, family, rulesHere, i, c, executed) : 'unjudged';
      if (outcome === 'fail') failures++;
      else if (outcome === 'warn') warnings++;
      s.progress.tick(done, failures, warnings);
    },
    s.signal,
  );
  s.progress.familyDone();
}

/** Most cases, and most body bytes, built ahead of the requests on the build worker. */
const LOOK_AHEAD_CASES = 32;
const LOOK_AHEAD_BYTES = 64 * 2 ** 20;

/** How many further cases of a family's sequence `topUp` may build for a rule no case reached: per case of `--runs`, and at least. */
const TOP_UP_FACTOR = 10;
const TOP_UP_MIN = 200;
/** How many further recipes `topUp` may look at for a value class no case reached (recipes are cheap: only those sent are built). */
const CLASS_LOOK_AHEAD = 5000;
/**
 * Cases each value class gets at least in a full run: a class the uniform mix draws rarely (or
 * never, for this seed) is sent more often than the mix would send it, so a server that
 * mishandles only some of its values is met more than once.
 */
const CLASS_MINIMUM = 2;

/** A full run (no `--only`): every value class of its families is sent at least once. */
function fullRun(s: RunState): boolean {
  return s.config.only.length === 0;
}

/** The names of the family's value classes a recipe belongs to. */
function classesOf(family: Family, recipe: CaseRecipe): string[] {
  return family.classes.filter((k) => k.matches(recipe)).map((k) => k.name);
}

/**
 * After the survey: a rule this family exercises that no case has exercised yet, or (in a full
 * run) a value class of the family fewer than CLASS_MINIMUM cases belonged to, gets the next cases of the same sequence
 * that reach it, so power does not depend on the seed and a small `--runs` still judges every
 * rule. Only those cases are sent; their indices continue the sequence, so shrinking and `--only`
 * replay them as any other.
 */
export async function topUp(s: RunState, family: Family, seed: number): Promise<void> {
  const missingRules = () => s.rules.filter((r) => s.selected.has(r.id) && r.exercisedBy.includes(family.name) && s.results.tally(r.id).cases === 0);
  const missingClasses = () => (fullRun(s) ? family.classes.filter((k) => s.results.classCount(family.name, k.name) < CLASS_MINIMUM) : []);
  if (missingRules().length === 0 && missingClasses().length === 0) return;
  const runs = casesOf(family, s.config.runs);
  const ruleLimit = Math.max(runs * TOP_UP_FACTOR, TOP_UP_MIN);
  const lookAhead = missingClasses().length > 0 ? Math.max(ruleLimit, CLASS_LOOK_AHEAD) : ruleLimit;
  const more = fc.sample(family.arbitrary, { seed, numRuns: runs + lookAhead }).slice(runs);
  const rulesHere = s.rules.filter((r) => s.selected.has(r.id));
  for (let k = 0; k < more.length && !halted(s); k++) {
    const rules = k < ruleLimit ? missingRules() : [];
    const classes = missingClasses();
    if (rules.length === 0 && classes.length === 0) return;
    const recipe = more[k]!;
    const addsClass = classes.some((x) => x.matches(recipe));
    if (!addsClass && rules.length === 0) continue;
    const c = await s.builder.build(recipe);
    if (!addsClass && !rules.some((r) => checks[r.id]!.applies(c, s.checkCtx))) continue;
    const executed = await runCase(s, c);
    if (executed) judgeAndRecord(s, family, rulesHere, runs + k, c, executed);
  }
}
