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
import { secretsOf } from '../config/credentials.js';
import type { RunConfig } from '../config/run-config.js';
import { ConnectivityError, ConfigError, InterruptedError, UsageError } from '../errors.js';
import type { BuildContext } from '../generate/build.js';
import { inThreadBuilder, workerBuilder, type CaseBuilder } from '../generate/case-builder.js';
import { families, type Family, type GenerationContext } from '../generate/families.js';
import type { Case } from '../generate/case.js';
import type { Report } from '../report/types.js';
import { loadSpec } from '../spec/load.js';
import { personPath } from '../spec/model.js';
import { loadRules, type Rule } from '../spec/rules.js';
import { authHeaders } from '../transport/auth-headers.js';
import { bodySize, Transport } from '../transport/client.js';
import type { Observation } from '../transport/observation.js';
import { Redactor } from '../transport/redact.js';
import { toolName, toolVersion } from '../version.js';
import { buildCounterexample } from './counterexample.js';
import { executeCase, type ExecutionContext, type Executed } from './execute.js';
import { restoreImage, snapshotImage, type ImageSessionContext, type ImageSnapshot } from './image-session.js';
import { judgeCase, type Finding } from './judge.js';
import { isLoopbackUrl, REMOTE_DEFAULT_RATE, uploadBudgetBytes } from './loopback.js';
import { runPool } from './pool.js';
import { silentProgress, type Progress } from './progress.js';
import { RunResults } from './results.js';
import { computeVerdict } from '../report/merge.js';
import { pactSources } from '../pact/pact-file.js';
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
}

async function runCase(s: RunState, c: Case): Promise<Executed> {
  const executed = await executeCase(s.exec, c);
  s.results.latency.add(executed.o.durationMs);
  return executed;
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
    while (
      nextToBuild < recipes.length &&
      built.size < lookAhead &&
      bytesAhead < LOOK_AHEAD_BYTES &&
      !s.signal?.aborted &&
      !s.exec.transport.budgetExhausted
    ) {
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
      if (s.exec.transport.budgetExhausted) return; // the upload budget is spent: no new case
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
      const { o, extra } = await sending;
      const j = judgeCase(rulesHere, c, o, extra, s.checkCtx);
      s.results.record(family.name, i, j, c.coverage);
      done++;
      if (j.findings.some((f) => f.severity === 'fail')) failures++;
      else if (j.findings.length > 0) warnings++;
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
  for (let k = 0; k < more.length && !s.signal?.aborted && !s.exec.transport.budgetExhausted; k++) {
    const wanted = missing();
    if (wanted.length === 0) return;
    const c = await s.builder.build(more[k]!);
    if (!wanted.some((r) => checks[r.id]!.applies(c, s.checkCtx))) continue;
    const { o, extra } = await runCase(s, c);
    s.results.record(family.name, runs + k, judgeCase(rulesHere, c, o, extra, s.checkCtx), c.coverage);
  }
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
    const { o, extra } = await runCase(s, c);
    const finding = judgeCase([rule], c, o, extra, s.checkCtx).findings.find((f) => f.severity === severity);
    if (!finding) return true;
    last = { c, o, finding };
    return false;
  });
  // A first failure found by topUp lies beyond `runs` in the same sequence.
  const details = await fc.check(property, { seed, numRuns: Math.max(s.config.runs, firstIndex + 1) });
  if (!details.failed || !last) return;
  const ce = await buildCounterexample({
    rule: rule.id,
    message: last.finding.message,
    c: last.c,
    o: last.o,
    baseUrl: s.target.baseUrl,
    seed: s.config.seed,
    runs: s.config.runs,
    ...(details.counterexamplePath ? { path: details.counterexamplePath } : {}),
    reportDir: s.config.reportDir,
    redactor: s.redactor,
    targetArgs: s.target.embedded ? [] : ['--target', s.target.baseUrl, ...(s.config.personId !== undefined ? ['--person-id', String(s.config.personId)] : [])],
  });
  s.results.setCounterexample(rule.id, ce, severity);
}

/**
 * Reads the person's ImageInfo with each configured credential in turn; the first one accepted
 * is used for the run's own reads (a scheme the installation switched off is then reported by
 * valid-credentials-accepted, not as a configuration error).
 */
async function checkReachable(s: RunState, personId: number): Promise<void> {
  const model = s.exec.model;
  const path = personPath(model.imageInfoPath, model.personIdParameter.name, String(personId));
  let refused = 0;
  for (const credential of s.target.credentials) {
    const headers = authHeaders(model, credential, s.target.appToken);
    const o = await s.exec.transport.send({ method: 'GET', path, headers: { ...headers, accept: 'application/json' } });
    if (o.status === undefined) throw new ConnectivityError(`cannot reach the target ${s.target.baseUrl}: ${s.redactor.text(`${o.error?.code ?? ''} ${o.error?.message ?? ''}`).trim()}`);
    if (o.status >= 500) throw new ConnectivityError(`the target answered ${o.status} to a plain ImageInfo read of person ${personId}; it is not healthy enough to certify`);
    if (o.status === 401 || o.status === 403) {
      refused = o.status;
      continue;
    }
    s.exec.readHeaders = headers;
    return;
  }
  throw new ConfigError(`the target refused every configured credential (${refused}) when reading person ${personId}'s ImageInfo; check --auth and --app-token`);
}

export async function runConformance(config: RunConfig, options: EngineOptions = {}): Promise<Report> {
  const started = new Date();
  const t0 = performance.now();
  const spec = await loadSpec(config.specPath);
  const rules = await loadRules();
  assertChecksMatchRules(rules);
  const selected = selectRules(rules, config.only);
  const progress = options.progress ?? silentProgress;
  const target = await openTarget(config);
  const notes: string[] = [];
  const model = spec.model;
  const secrets = target.credentials.flatMap(secretsOf);
  if (target.appToken) secrets.push(target.appToken);
  const redactor = new Redactor(secrets, Redactor.sensitiveHeaderNames(model));
  const loopback = (options.isLoopback ?? isLoopbackUrl)(target.baseUrl);
  const maxUploadBytes = uploadBudgetBytes(config.maxUploadMb, loopback);
  const rate = config.rate ?? (loopback ? undefined : REMOTE_DEFAULT_RATE);
  const transport = new Transport({
    baseUrl: target.baseUrl,
    timeoutMs: config.timeoutMs,
    concurrency: config.concurrency,
    runId: randomUUID(),
    ...(rate !== undefined ? { rate } : {}),
    ...(maxUploadBytes !== undefined ? { maxUploadBytes } : {}),
    ...(config.ca ? { ca: config.ca } : {}),
    onThrottle: (status, ms) => progress.note(`  target answered ${status}; waiting ${Math.round(ms / 100) / 10} s as Retry-After asks`),
  });
  const firstCredential = target.credentials[0]!;
  const readHeaders = authHeaders(model, firstCredential, target.appToken);
  const results = new RunResults(rules);
  const buildCtx: BuildContext = { model, credentials: target.credentials, ...(target.appToken ? { appToken: target.appToken } : {}) };
  // Started before the reachability check and the image snapshot, so that the worker loads while they run.
  const builder = options.caseBuilder === 'in-thread' ? inThreadBuilder(buildCtx) : workerBuilder(buildCtx, (n) => notes.push(redactor.text(n)));
  const state: RunState = {
    config,
    target,
    rules,
    selected,
    checkCtx: checkContext(model),
    exec: { transport, model, readHeaders },
    results,
    redactor,
    progress,
    ...(options.signal ? { signal: options.signal } : {}),
    maxShrinkRequests: options.maxShrinkRequests ?? 60,
    builder,
  };
  let snapshot: ImageSnapshot | undefined;
  let pact: PactResult[] | undefined;
  const session: ImageSessionContext = { baseUrl: target.baseUrl, model, headers: readHeaders, timeoutMs: config.timeoutMs, runId: transport.options.runId, dispatcher: transport.dispatcher };
  try {
    if (target.personId === undefined) throw new UsageError('a remote target needs --person-id (SO_PERSON_ID): a person whose image the run may replace and restores');
    const personId = target.personId;
    await checkReachable(state, personId);
    session.headers = state.exec.readHeaders;
    snapshot = await snapshotImage(session, personId);
    if (!loopback && target.baseUrl.startsWith('http:')) {
      notes.push('the target is plain http:// and not loopback: credentials travelled unencrypted');
    }
    const all = familiesToRun({ model, credentials: target.credentials, personId, knownPersons: [] }, rules, selected, config.shard);
    for (const family of all) {
      if (options.signal?.aborted) break;
      if (transport.budgetExhausted) break;
      const seed = familySeed(config.seed, family.name);
      await survey(state, family, seed);
      await topUp(state, family, seed);
      for (const rule of rules) {
        if (!selected.has(rule.id) || options.signal?.aborted) continue;
        const t = results.tally(rule.id);
        if (t.counterexampleSeverity === 'fail') continue;
        const fail = t.firstFail.get(family.name);
        const warn = t.firstWarn.get(family.name);
        if (fail !== undefined) await minimize(state, family, seed, rule, 'fail', fail);
        else if (warn !== undefined && !t.counterexample) await minimize(state, family, seed, rule, 'warn', warn);
      }
    }
    if (transport.budgetExhausted) {
      notes.push(`the upload budget (${maxUploadBytes} bytes, --max-upload-mb) was spent after ${transport.uploadedBytes} bytes; later cases were not generated and the verdict stands on the cases that ran`);
    }
    if (config.pact !== undefined && !options.signal?.aborted) {
      progress.note(`  verifying the pacts of ${config.pact}`);
      pact = await verifyPacts(target, model, pactSources(config.pact), { timeoutMs: config.timeoutMs, onNote: (n) => notes.push(redactor.text(n)) });
      for (const p of pact) progress.note(`  pact ${p.file}: ${p.status === 'pass' ? 'holds' : 'does not hold'}`);
    }
  } finally {
    if (snapshot) {
      try {
        notes.push(await restoreImage(session, snapshot));
      } catch (e) {
        notes.push(redactor.text(`could not restore the image: ${(e as Error).message}`));
        progress.note(redactor.text(`warning: could not restore the image: ${(e as Error).message}`));
      }
    }
    builder.close();
    await transport.close();
    await target.close();
  }
  if (options.signal?.aborted) throw new InterruptedError(String(options.signal.reason ?? 'a signal'));
  const ruleResults = results.ruleResults(selected);
  return {
    schemaVersion: 1,
    tool: { name: toolName, version: toolVersion },
    verdict: computeVerdict(ruleResults, pact),
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
      authSchemes: target.credentials.map((c) => c.scheme),
      personId: target.personId ?? null,
      ...(config.shard ? { shard: `${config.shard.index}/${config.shard.total}` } : {}),
    },
    requests: transport.requestCount,
    rules: ruleResults,
    coverage: results.coverageObject(),
    latency: results.latency.summary(),
    ...(pact ? { pact } : {}),
    notes,
  };
}
