/**
 * The conformance run: opens the target, saves the configured person's image, runs each case
 * family (a survey of `runs` generated cases, then fast-check's shrinking of the first failure of
 * each broken rule), restores the image, and returns the report.
 */
import { createHash, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { assertChecksMatchRules, checks } from '../checks/index.js';
import { checkContext } from '../checks/validators.js';
import type { CheckContext } from '../checks/types.js';
import { secretsOf, type Credential } from '../config/credentials.js';
import type { RunConfig } from '../config/run-config.js';
import { ConformanceError, CredentialExpiredError, TargetUnrecoverableError, UsageError } from '../errors.js';
import type { BuildContext } from '../generate/build.js';
import { inThreadBuilder, workerBuilder, type CaseBuilder } from '../generate/case-builder.js';
import { families, type Family, type GenerationContext } from '../generate/families/index.js';
import type { Case } from '../generate/case.js';
import type { ImageRestore, Report, RunStop } from '../report/types.js';
import { loadSpec } from '../spec/load.js';
import { personPath } from '../spec/model.js';
import { loadRules, type Rule } from '../spec/rules.js';
import { restoreImage, RestoreRefused, snapshotImage, type ImageSessionContext, type ImageSnapshot } from '../transport/image-snapshot.js';
import { bodySize, TargetSession } from '../transport/target-session.js';
import type { Observation } from '../transport/observation.js';
import { Redactor } from '../transport/redact.js';
import { toolName, toolVersion } from '../version.js';
import { runAuthCommand } from './auth-command.js';
import { buildCounterexample } from './counterexample.js';
import { CredentialKeeper } from './credential-keeper.js';
import { executeCase, type ExecutionContext, type Executed } from './execute.js';
import { preflight } from './preflight.js';
import { judgeCase, type Finding } from './judge.js';
import { isLoopbackUrl, REMOTE_DEFAULT_RATE, uploadBudgetBytes } from './loopback.js';
import { runPool } from './pool.js';
import { silentProgress, type Progress } from './progress.js';
import { RunResults } from './results.js';
import { computeVerdict } from '../report/merge.js';
import { isUrl, pactSources, readPactFile } from '../pact/pact-file.js';
import { verifyPacts } from '../pact/verifier.js';
import type { PactResult } from '../report/types.js';
import { openTarget, type OpenTarget } from './target.js';

export interface EngineOptions {
  progress?: Progress;
  signal?: AbortSignal;
  /** Most requests one rule's shrinking may send. */
  maxShrinkRequests?: number;
  /** Whether the target counts as loopback (unthrottled, no upload budget); default isLoopbackUrl. Tests inject it. */
  isLoopback?: (url: string) => boolean;
  /** Where cases are built: in the build worker process (default) or on the engine's thread. */
  caseBuilder?: 'worker' | 'in-thread';
  /** How long throttling may last in all before the run stops; default the transport's (two minutes). Tests shorten it. */
  maxThrottleMs?: number;
}

/** A family's seed: the run seed and the family name, so that `--only` keeps every family's sequence. */
export function familySeed(seed: number, family: string): number {
  return createHash('sha256').update(`${seed}:${family}`).digest().readInt32LE(0);
}

/** The rule ids a run judges: all, or those `--only` names (unknown ids are a usage error). */
export function selectRules(rules: readonly Rule[], only: readonly string[]): Set<string> {
  if (only.length === 0) return new Set(rules.map((r) => r.id));
  const known = new Set(rules.map((r) => r.id));
  const unknown = only.filter((id) => !known.has(id));
  if (unknown.length > 0) throw new UsageError(`--only names unknown rules: ${unknown.join(', ')} (see spec/rules.yaml)`);
  return new Set(only);
}

/**
 * The families a run sends: those that exercise a selected rule, and of those, with `--shard i/n`,
 * every n-th starting with the i-th (`report` merges the shards).
 */
export function familiesToRun(ctx: GenerationContext, rules: readonly Rule[], selected: ReadonlySet<string>, shard: RunConfig['shard']): Family[] {
  const wanted = new Set(rules.filter((r) => selected.has(r.id)).flatMap((r) => r.exercisedBy));
  return families(ctx)
    .filter((f) => wanted.has(f.name))
    .filter((_, k) => !shard || k % shard.total === shard.index - 1);
}

interface RunState {
  config: RunConfig;
  target: OpenTarget;
  rules: readonly Rule[];
  selected: Set<string>;
  checkCtx: CheckContext;
  exec: ExecutionContext;
  results: RunResults;
  redactor: Redactor;
  progress: Progress;
  signal?: AbortSignal;
  maxShrinkRequests: number;
  builder: CaseBuilder;
  /** Families whose survey and top-up ran to their end. */
  finished: Set<string>;
  /** Cases sent but not judged: the connection was refused (the target was away), which says nothing about a rule. */
  unjudged: number;
  stop?: RunStop;
}

/**
 * Whether the target is gone: a connection dropped mid-request is a finding, unless the target
 * refuses the next connection too (it was stopped or redeployed, which says nothing about a rule).
 */
async function targetWentAway(s: RunState): Promise<boolean> {
  const { model, credentials, personId } = s.exec;
  const path = personPath(model.imageInfoPath, model.personIdParameter.name, String(personId));
  const probe = await s.exec.transport.send({ method: 'GET', path, headers: { ...credentials.readHeaders(), accept: 'application/json' } });
  return probe.error?.code === 'refused';
}

/** Sends a case; undefined when the target was not there to answer it (not judged: see RunState.unjudged). */
async function runCase(s: RunState, c: Case): Promise<Executed | undefined> {
  const executed = await executeCase(s.exec, c);
  const error = executed.o.error?.code;
  if (error === 'refused' || (error === 'reset' && (await targetWentAway(s)))) {
    s.unjudged++;
    return undefined;
  }
  s.results.latency.add(executed.o.durationMs);
  return executed;
}

/** Whether no new case may start: a signal, a stop, or the upload budget spent. */
function halted(s: RunState): boolean {
  return Boolean(s.signal?.aborted) || s.stop !== undefined || s.exec.transport.budgetExhausted;
}

/** Phase 1: `runs` cases of the family, judged by every selected rule. */
async function survey(s: RunState, family: Family, seed: number): Promise<void> {
  const recipes = fc.sample(family.arbitrary, { seed, numRuns: s.config.runs });
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
      if (executed) {
        const j = judgeCase(rulesHere, c, executed.o, executed.extra, s.checkCtx);
        s.results.record(family.name, i, j, c.coverage, { recipe: c.recipe, o: executed.o });
        if (j.findings.some((f) => f.severity === 'fail')) failures++;
        else if (j.findings.length > 0) warnings++;
      }
      s.progress.tick(done, failures, warnings);
    },
    s.signal,
  );
  s.progress.familyDone();
}

/** Most cases, and most body bytes, built ahead of the requests on the build worker. */
const LOOK_AHEAD_CASES = 32;
const LOOK_AHEAD_BYTES = 64 * 2 ** 20;

/** How many further cases of a family's sequence `topUp` may look at: per case of `--runs`, and at least. */
const TOP_UP_FACTOR = 10;
const TOP_UP_MIN = 200;

/**
 * After the survey: a rule this family exercises that no case has exercised yet (its cases are
 * rare in the family's mix) gets the next cases of the same sequence that it applies to, so a
 * small `--runs` still judges every rule. Only those cases are sent; their indices continue the
 * sequence, so shrinking and `--only` replay them as any other.
 */
async function topUp(s: RunState, family: Family, seed: number): Promise<void> {
  const missing = () => s.rules.filter((r) => s.selected.has(r.id) && r.exercisedBy.includes(family.name) && s.results.tally(r.id).cases === 0);
  if (missing().length === 0) return;
  const runs = s.config.runs;
  const more = fc.sample(family.arbitrary, { seed, numRuns: runs + Math.max(runs * TOP_UP_FACTOR, TOP_UP_MIN) }).slice(runs);
  const rulesHere = s.rules.filter((r) => s.selected.has(r.id));
  for (let k = 0; k < more.length && !halted(s); k++) {
    const wanted = missing();
    if (wanted.length === 0) return;
    const c = await s.builder.build(more[k]!);
    if (!wanted.some((r) => checks[r.id]!.applies(c, s.checkCtx))) continue;
    const executed = await runCase(s, c);
    if (executed) s.results.record(family.name, runs + k, judgeCase(rulesHere, c, executed.o, executed.extra, s.checkCtx), c.coverage, { recipe: c.recipe, o: executed.o });
  }
}

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
    if (s.signal?.aborted || s.exec.transport.budgetExhausted) return true;
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
async function minimizeFamily(s: RunState, family: Family, seed: number): Promise<void> {
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

/** The run's stop for an error that ends it early, or undefined for an error that is no stop. */
function stopOf(e: unknown, s: RunState): RunStop | undefined {
  const afterRequests = s.exec.transport.requestCount;
  if (e instanceof TargetUnrecoverableError) return { kind: e.kind, reason: s.redactor.text(e.message), afterRequests };
  if (e instanceof CredentialExpiredError) return { kind: 'credential-expired', reason: s.redactor.text(e.message), afterRequests };
  return undefined;
}

/**
 * Runs the families: survey, top-up and shrinking each. An error that ends the run early (the
 * breaker, throttling without end, an expired credential, a signal) becomes `s.stop`; what was
 * found so far stays, and failures that could not be shrunk keep their first case as sent.
 */
async function runFamilies(s: RunState, all: readonly Family[]): Promise<void> {
  for (const family of all) {
    if (halted(s)) break;
    const seed = familySeed(s.config.seed, family.name);
    try {
      await survey(s, family, seed);
      await topUp(s, family, seed);
      if (s.signal?.aborted) break;
      s.finished.add(family.name);
      await minimizeFamily(s, family, seed);
    } catch (e) {
      s.stop = stopOf(e, s);
      if (!s.stop) throw e;
      // A server that fails every valid upload trips the breaker: shrink what it already broke, with a small allowance.
      if (s.stop.kind === 'circuit-breaker') await shrinkAfterTrip(s, all);
    }
  }
  if (!s.stop && s.signal?.aborted) {
    s.stop = { kind: 'interrupted', reason: `interrupted by ${String(s.signal.reason ?? 'a signal')}`, afterRequests: s.exec.transport.requestCount };
  }
  await keepFirstCases(s);
}

async function shrinkAfterTrip(s: RunState, all: readonly Family[]): Promise<void> {
  s.exec.transport.allowAfterTrip(SHRINK_REQUESTS_AFTER_TRIP);
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
    s.exec.transport.allowAfterTrip(0);
  }
}

/** A rule that broke but has no counterexample (the run stopped first, or shrinking did not reproduce it) keeps its first case as sent. */
async function keepFirstCases(s: RunState): Promise<void> {
  for (const rule of s.rules) {
    const t = s.results.tally(rule.id);
    if (!t.evidence || t.counterexampleSeverity === 'fail' || (t.counterexample && t.evidence.severity === 'warn')) continue;
    const c = await s.builder.build(t.evidence.recipe);
    const ce = await counterexampleOf(s, rule, c, t.evidence.o, t.evidence.message, undefined);
    ce.shrunk = false;
    s.results.setCounterexample(rule.id, ce, t.evidence.severity);
  }
}

/** The credentials to run with: the configured ones, with the one `--auth-command` prints in place of its scheme's. */
async function startingCredentials(config: RunConfig): Promise<Credential[]> {
  if (!config.authCommand) return config.credentials;
  const fresh = await runAuthCommand(config.authCommand, undefined, { secrets: config.credentials.flatMap(secretsOf) });
  return [...config.credentials.filter((c) => c.scheme !== fresh.scheme), fresh];
}

/** Checks what can be checked before any request: the pact files (a malformed pact must not end a long run). */
function checkPactFiles(config: RunConfig): void {
  if (config.pact === undefined) return;
  for (const file of pactSources(config.pact)) if (!isUrl(file)) readPactFile(file);
}

async function restoreWithRenewal(s: RunState, imageCtx: ImageSessionContext, snapshot: ImageSnapshot): Promise<ImageRestore> {
  const keeper = s.exec.credentials;
  try {
    imageCtx.headers = keeper.readHeaders();
    return await restoreImage(imageCtx, snapshot);
  } catch (e) {
    // A credential that expired during the run is renewed (when it can be) and the restore tried once more.
    if (!(e instanceof RestoreRefused) || (e.status !== 401 && e.status !== 403)) throw e;
    await keeper.renew(keeper.readScheme, keeper.generation(keeper.readScheme));
    imageCtx.headers = keeper.readHeaders();
    return restoreImage(imageCtx, snapshot);
  }
}

export async function runConformance(config: RunConfig, options: EngineOptions = {}): Promise<Report> {
  const started = new Date();
  const t0 = performance.now();
  const spec = await loadSpec(config.specPath);
  const rules = await loadRules();
  assertChecksMatchRules(rules);
  const selected = selectRules(rules, config.only);
  checkPactFiles(config);
  const progress = options.progress ?? silentProgress;
  const target = await openTarget({ ...config, credentials: await startingCredentials(config) });
  const notes: string[] = [];
  const model = spec.model;
  const secrets = target.credentials.flatMap(secretsOf);
  if (target.appToken) secrets.push(target.appToken);
  const redactor = new Redactor(secrets, Redactor.sensitiveHeaderNames(model));
  const loopback = (options.isLoopback ?? isLoopbackUrl)(target.baseUrl);
  const maxUploadBytes = uploadBudgetBytes(config.maxUploadMb, loopback);
  const rate = config.rate ?? (loopback ? undefined : REMOTE_DEFAULT_RATE);
  const transport = new TargetSession({
    baseUrl: target.baseUrl,
    timeoutMs: config.timeoutMs,
    concurrency: config.concurrency,
    runId: randomUUID(),
    ...(rate !== undefined ? { rate } : {}),
    ...(maxUploadBytes !== undefined ? { maxUploadBytes } : {}),
    ...(config.ca ? { ca: config.ca } : {}),
    ...(options.maxThrottleMs !== undefined ? { maxThrottleMs: options.maxThrottleMs } : {}),
    onThrottle: (status, ms) => progress.note(`  target answered ${status}; waiting ${Math.round(ms / 100) / 10} s as Retry-After asks`),
  });
  const keeper = new CredentialKeeper(target.credentials, {
    model,
    redactor,
    ...(target.appToken ? { appToken: target.appToken } : {}),
    ...(config.authCommand ? { authCommand: config.authCommand } : {}),
  });
  const results = new RunResults(rules);
  const buildCtx: BuildContext = { model, credentials: target.credentials, ...(target.appToken ? { appToken: target.appToken } : {}) };
  // Started before the pre-flight and the image snapshot, so that the worker loads while they run.
  const builder = options.caseBuilder === 'in-thread' ? inThreadBuilder(buildCtx) : workerBuilder(buildCtx, (n) => notes.push(redactor.text(n)));
  const checkCtx = checkContext(model);
  const state: RunState = {
    config,
    target,
    rules,
    selected,
    checkCtx,
    exec: { transport, model, credentials: keeper, personId: target.personId ?? 0 },
    results,
    redactor,
    progress,
    ...(options.signal ? { signal: options.signal } : {}),
    maxShrinkRequests: options.maxShrinkRequests ?? 60,
    builder,
    finished: new Set(),
    unjudged: 0,
  };
  let snapshot: ImageSnapshot | undefined;
  let restore: ImageRestore | undefined;
  let pact: PactResult[] | undefined;
  const imageCtx: ImageSessionContext = { session: transport, model, headers: {} };
  const all: Family[] = [];
  try {
    if (target.personId === undefined) throw new UsageError('a remote target needs --person-id (SO_PERSON_ID): a person whose image the run may replace and restores');
    const personId = target.personId;
    await preflight({ transport, model, credentials: keeper, imageInfoValidator: checkCtx.imageInfoValidator, redactor, baseUrl: target.baseUrl, personId, timeoutMs: config.timeoutMs });
    imageCtx.headers = keeper.readHeaders();
    snapshot = await snapshotImage(imageCtx, personId);
    if (!loopback && target.baseUrl.startsWith('http:')) {
      notes.push('the target is plain http:// and not loopback: credentials travelled unencrypted');
    }
    all.push(...familiesToRun({ model, credentials: target.credentials, personId, knownPersons: [] }, rules, selected, config.shard));
    await runFamilies(state, all);
    if (transport.budgetExhausted) {
      notes.push(`the upload budget (${maxUploadBytes} bytes, --max-upload-mb) was spent after ${transport.uploadedBytes} bytes; later cases were not generated and the verdict stands on the cases that ran`);
    }
    if (state.unjudged > 0) notes.push(`${state.unjudged} case${state.unjudged > 1 ? 's were' : ' was'} not judged: the target refused the connection`);
    if (keeper.renewedCount > 0) notes.push(`credentials renewed with --auth-command ${keeper.renewedCount} time${keeper.renewedCount > 1 ? 's' : ''} (they expired during the run)`);
    if (config.pact !== undefined && !state.stop) {
      progress.note(`  verifying the pacts of ${config.pact}`);
      const onNote = (n: string) => notes.push(redactor.text(n));
      pact = await verifyPacts({ ...target, credentials: keeper.all() }, model, pactSources(config.pact), { session: transport, timeoutMs: config.timeoutMs, onNote });
      for (const p of pact) progress.note(`  pact ${p.file}: ${p.status === 'pass' ? 'holds' : 'does not hold'}`);
    }
  } finally {
    if (snapshot) {
      try {
        restore = await restoreWithRenewal(state, imageCtx, snapshot);
        notes.push(restore.message);
      } catch (e) {
        restore = { outcome: 'failed', message: redactor.text(`could not restore person ${snapshot.personId}'s image: ${(e as Error).message}`) };
        notes.push(restore.message);
        progress.note(`warning: ${restore.message}`);
      }
    }
    builder.close();
    await transport.close();
    await target.close();
  }
  const ran = new Set<string>(all.map((f) => f.name));
  const finished = (r: Rule) => r.exercisedBy.every((f) => !ran.has(f) || state.finished.has(f));
  const ruleResults = results.ruleResults(selected, finished);
  return {
    schemaVersion: 1,
    tool: { name: toolName, version: toolVersion },
    verdict: computeVerdict(ruleResults, pact, state.stop !== undefined),
    spec: { file: spec.path.split('/').slice(-2).join('/'), sha256: spec.sha256 },
    seed: config.seed,
    target: { url: target.baseUrl, embedded: target.embedded },
    startedAt: started.toISOString(),
    durationMs: Math.round(performance.now() - t0),
    configuration: {
      runs: config.runs,
      concurrency: config.concurrency,
      rate: rate ?? null,
      timeoutMs: config.timeoutMs,
      only: [...config.only],
      authSchemes: keeper.all().map((c) => c.scheme),
      personId: target.personId ?? null,
      ...(config.shard ? { shard: `${config.shard.index}/${config.shard.total}` } : {}),
    },
    requests: transport.requestCount,
    rules: ruleResults,
    coverage: results.coverageObject(),
    latency: results.latency.summary(),
    ...(pact ? { pact } : {}),
    ...(state.stop ? { stop: state.stop } : {}),
    ...(restore ? { restore } : {}),
    notes,
  };
}
