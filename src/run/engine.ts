/**
 * The conformance run: opens the target, checks it is the API (the pre-flight), saves the
 * configured person's image, runs each case family (survey, top-up, shrinking: src/run/survey.ts,
 * src/run/shrink.ts), stops early when it must, restores the image, and returns the report.
 */
import { randomUUID } from 'node:crypto';
import { assertChecksMatchRules } from '../checks/index.js';
import { checkContext } from '../checks/validators.js';
import { secretsOf, type Credential } from '../config/credentials.js';
import type { RunConfig } from '../config/run-config.js';
import { CredentialExpiredError, InterruptedError, TargetUnrecoverableError, UsageError } from '../errors.js';
import type { BuildContext } from '../generate/build.js';
import { inThreadBuilder, workerBuilder } from '../generate/case-builder.js';
import type { Family } from '../generate/families/index.js';
import { isUrl, pactSources, readPactFile } from '../pact/pact-file.js';
import { verifyPacts } from '../pact/verifier.js';
import { computeVerdict } from '../report/merge.js';
import type { ImageRestore, PactResult, Report, RunStop } from '../report/types.js';
import { loadSpec } from '../spec/load.js';
import { loadRules, type Rule } from '../spec/rules.js';
import { restoreImage, RestoreRefused, snapshotImage, type ImageSessionContext, type ImageSnapshot } from '../transport/image-snapshot.js';
import { Redactor } from '../transport/redact.js';
import { TargetSession, type SessionExchange } from '../transport/target-session.js';
import { toolName, toolVersion } from '../version.js';
import { runAuthCommand } from './auth-command.js';
import { applyBaseline, checkBaselineRules } from './baseline.js';
import { CredentialKeeper } from './credential-keeper.js';
import { HarRecorder } from './har-recorder.js';
import { isLoopbackUrl, REMOTE_DEFAULT_RATE, uploadBudgetBytes } from './loopback.js';
import { preflight } from './preflight.js';
import { silentProgress, type Progress } from './progress.js';
import { RunResults } from './results.js';
import { halted, type RunState } from './run-state.js';
import { familiesToRun, familySeed, selectRules } from './selection.js';
import { keepFirstCases, minimizeFamily, shrinkAfterTrip } from './shrink.js';
import { survey, topUp } from './survey.js';
import { openTarget } from './target.js';

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

/** The run's stop for an error that ends it early, or undefined for an error that is no stop. */
function stopOf(e: unknown, s: RunState): RunStop | undefined {
  const afterRequests = s.exec.session.requestCount;
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
  if (!s.stop && s.signal?.aborted) s.stop = interruptedStop(s);
  await keepFirstCases(s);
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

/** A run once it is set up: its state and what the report needs beside it. */
interface OpenRun {
  state: RunState;
  spec: Awaited<ReturnType<typeof loadSpec>>;
  started: Date;
  t0: number;
  /** Requests per second, or undefined when unthrottled. */
  rate: number | undefined;
  maxUploadBytes: number | undefined;
  loopback: boolean;
  imageCtx: ImageSessionContext;
}

/** Loads the spec and rules, checks what needs no request, opens the target and the session, starts the build worker. */
async function openRun(config: RunConfig, options: EngineOptions, har: HarRecorder | undefined): Promise<OpenRun> {
  const started = new Date();
  const t0 = performance.now();
  const spec = await loadSpec(config.specPath);
  const rules = await loadRules();
  assertChecksMatchRules(rules);
  const selected = selectRules(rules, config.only);
  checkBaselineRules(config.baseline, rules);
  checkPactFiles(config);
  const progress = options.progress ?? silentProgress;
  const target = await openTarget({ ...config, credentials: await startingCredentials(config) });
  const model = spec.model;
  const redactor = new Redactor([...target.credentials.flatMap(secretsOf), ...(target.appToken ? [target.appToken] : [])], Redactor.sensitiveHeaderNames(model));
  const loopback = (options.isLoopback ?? isLoopbackUrl)(target.baseUrl);
  const maxUploadBytes = uploadBudgetBytes(config.maxUploadMb, loopback);
  const rate = config.rate ?? (loopback ? undefined : REMOTE_DEFAULT_RATE);
  const session = new TargetSession({
    baseUrl: target.baseUrl,
    timeoutMs: config.timeoutMs,
    concurrency: config.concurrency,
    runId: randomUUID(),
    ...(rate !== undefined ? { rate } : {}),
    ...(maxUploadBytes !== undefined ? { maxUploadBytes } : {}),
    ...(config.ca ? { ca: config.ca } : {}),
    ...(options.maxThrottleMs !== undefined ? { maxThrottleMs: options.maxThrottleMs } : {}),
    onThrottle: (status, ms) => progress.note(`  target answered ${status}; waiting ${Math.round(ms / 100) / 10} s as Retry-After asks`),
    ...(har ? { onExchange: (e: SessionExchange) => har.record(e, redactor) } : {}),
  });
  const appToken = target.appToken ? { appToken: target.appToken } : {};
  const keeper = new CredentialKeeper(target.credentials, { model, redactor, ...appToken, ...(config.authCommand ? { authCommand: config.authCommand } : {}) });
  const notes: string[] = [];
  const buildCtx: BuildContext = { model, credentials: target.credentials, ...appToken };
  // Started before the pre-flight and the image snapshot, so that the worker loads while they run.
  const builder = options.caseBuilder === 'in-thread' ? inThreadBuilder(buildCtx) : workerBuilder(buildCtx, (n) => notes.push(redactor.text(n)));
  const state: RunState = {
    config,
    target,
    rules,
    selected,
    checkCtx: checkContext(model),
    exec: { session, model, credentials: keeper, personId: target.personId ?? 0 },
    results: new RunResults(rules),
    redactor,
    progress,
    ...(options.signal ? { signal: options.signal } : {}),
    maxShrinkRequests: options.maxShrinkRequests ?? 60,
    builder,
    finished: new Set(),
    unjudged: 0,
    notes,
  };
  return { state, spec, started, t0, rate, maxUploadBytes, loopback, imageCtx: { session, model, headers: {} } };
}

/** What the run did beside testing, for report.notes. */
function noteWhatHappened(run: OpenRun): void {
  const { state: s, maxUploadBytes } = run;
  const { session, credentials: keeper } = s.exec;
  if (session.budgetExhausted) {
    s.notes.push(`the upload budget (${maxUploadBytes} bytes, --max-upload-mb) was spent after ${session.uploadedBytes} bytes; later cases were not generated and the verdict stands on the cases that ran`);
  }
  if (s.unjudged > 0) s.notes.push(`${s.unjudged} case${s.unjudged > 1 ? 's were' : ' was'} not judged: the target refused the connection`);
  if (keeper.renewedCount > 0) s.notes.push(`credentials renewed with --auth-command ${keeper.renewedCount} time${keeper.renewedCount > 1 ? 's' : ''} (they expired during the run)`);
}

/** The pre-flight, the image snapshot, the families and the pacts. Returns the snapshot to restore. */
async function judgeTarget(run: OpenRun, all: Family[], keep: (snapshot: ImageSnapshot) => void): Promise<PactResult[] | undefined> {
  const s = run.state;
  const { session, model, credentials: keeper } = s.exec;
  const { target, config } = s;
  if (target.personId === undefined) throw new UsageError('--target needs --person-id (SO_PERSON_ID) too: a person whose image the run may replace and restores (only the embedded reference target picks its own)');
  const personId = target.personId;
  await preflight({ session, model, credentials: keeper, imageInfoValidator: s.checkCtx.imageInfoValidator, redactor: s.redactor, baseUrl: target.baseUrl, personId, timeoutMs: config.timeoutMs });
  run.imageCtx.headers = keeper.readHeaders();
  keep(await snapshotImage(run.imageCtx, personId));
  if (!run.loopback && target.baseUrl.startsWith('http:')) s.notes.push('the target is plain http:// and not loopback: credentials travelled unencrypted');
  all.push(...familiesToRun({ model, credentials: target.credentials, personId }, s.rules, s.selected, config.shard));
  await runFamilies(s, all);
  noteWhatHappened(run);
  if (config.pact === undefined || s.stop) return undefined;
  return verifyRunPacts(s, config.pact);
}

/** `run --pact`: the pacts verified after the rules; a signal meanwhile is the run's stop (the pacts verified before it kept). */
async function verifyRunPacts(s: RunState, pacts: string): Promise<PactResult[]> {
  s.progress.note(`  verifying the pacts of ${pacts}`);
  const onNote = (n: string) => s.notes.push(s.redactor.text(n));
  // The verifier's own report goes with the progress lines (stderr), plain unless on a terminal without NO_COLOR.
  const report = s.config.progress ? { report: process.stderr } : {};
  const pact: PactResult[] = [];
  const onResult = (p: PactResult) => {
    pact.push(p);
    s.progress.note(`  pact ${p.file}: ${p.status === 'pass' ? 'holds' : 'does not hold'}`);
  };
  try {
    await verifyPacts({ ...s.target, credentials: s.exec.credentials.all() }, s.exec.model, pactSources(pacts), { session: s.exec.session, timeoutMs: s.config.timeoutMs, onNote, onResult, ...(s.signal ? { signal: s.signal } : {}), ...report });
  } catch (e) {
    // After a signal, whatever ended verification (a SIGTERM to the process group also ends the verifier's child) is the stop.
    if (!(e instanceof InterruptedError) && !s.signal?.aborted) throw e;
    s.stop = interruptedStop(s);
  }
  return pact;
}

/** The stop of a run a signal ended. */
function interruptedStop(s: RunState): RunStop {
  return { kind: 'interrupted', reason: `interrupted by ${String(s.signal?.reason ?? 'a signal')}`, afterRequests: s.exec.session.requestCount };
}

/** Puts the person's image back (also after an error or a stop) and says what became of it. */
async function restoreAfterRun(run: OpenRun, snapshot: ImageSnapshot): Promise<ImageRestore> {
  const s = run.state;
  try {
    const restore = await restoreWithRenewal(s, run.imageCtx, snapshot);
    s.notes.push(restore.message);
    return restore;
  } catch (e) {
    const restore: ImageRestore = { outcome: 'failed', message: s.redactor.text(`could not restore person ${snapshot.personId}'s image: ${(e as Error).message}`) };
    s.notes.push(restore.message);
    s.progress.note(`warning: ${restore.message}`);
    return restore;
  }
}

/** The report of a run (rules that did not finish are not-run). */
function reportOf(run: OpenRun, all: readonly Family[], pact: PactResult[] | undefined, restore: ImageRestore | undefined): Report {
  const s = run.state;
  const { spec } = run;
  const config = s.config;
  const ran = new Set<string>(all.map((f) => f.name));
  const finished = (r: Rule) => r.exercisedBy.every((f) => !ran.has(f) || s.finished.has(f));
  const ruleResults = s.results.ruleResults(s.selected, finished);
  const accepted = applyBaseline(config.baseline, ruleResults, run.started);
  return {
    schemaVersion: 1,
    tool: { name: toolName, version: toolVersion },
    verdict: computeVerdict(accepted.forVerdict, pact, s.stop !== undefined),
    spec: { file: spec.path.split('/').slice(-2).join('/'), sha256: spec.sha256 },
    seed: config.seed,
    target: { url: s.target.baseUrl, embedded: s.target.embedded },
    startedAt: run.started.toISOString(),
    durationMs: Math.round(performance.now() - run.t0),
    configuration: {
      runs: config.runs,
      concurrency: config.concurrency,
      rate: run.rate ?? null,
      timeoutMs: config.timeoutMs,
      only: [...config.only],
      authSchemes: s.exec.credentials.all().map((c) => c.scheme),
      personId: s.target.personId ?? null,
      ...(config.shard ? { shard: `${config.shard.index}/${config.shard.total}` } : {}),
    },
    requests: s.exec.session.requestCount,
    rules: ruleResults,
    coverage: s.results.coverageObject(),
    latency: s.results.latency.summary(),
    ...(pact ? { pact } : {}),
    ...(s.stop ? { stop: s.stop } : {}),
    ...(restore ? { restore } : {}),
    ...(accepted.entries ? { baseline: accepted.entries } : {}),
    notes: s.notes,
  };
}

export async function runConformance(config: RunConfig, options: EngineOptions = {}): Promise<Report> {
  // `--har all`: every exchange streamed to <report-dir>/exchanges.har (src/run/har-recorder.ts); kept only when the run has a report.
  const har = config.har === 'all' ? await HarRecorder.open(config.reportDir, `every exchange of the run of seed ${config.seed}, redacted like report.json`) : undefined;
  const run = await openRun(config, options, har).catch(async (e: unknown) => {
    await har?.close(false);
    throw e;
  });
  const all: Family[] = [];
  let snapshot: ImageSnapshot | undefined;
  let restore: ImageRestore | undefined;
  let pact: PactResult[] | undefined;
  let judged = false;
  try {
    pact = await judgeTarget(run, all, (saved) => (snapshot = saved));
    judged = true;
  } finally {
    if (snapshot) restore = await restoreAfterRun(run, snapshot);
    run.state.builder.close();
    await run.state.exec.session.close();
    await run.state.target.close();
    const harNote = await har?.close(judged);
    if (harNote) run.state.notes.push(harNote);
  }
  return reportOf(run, all, pact, restore);
}
