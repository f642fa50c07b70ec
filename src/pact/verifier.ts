/**
 * Verifies pacts (ours or a partner's) against a target with the Pact Verifier: one Verifier run
 * per pact source, so each result belongs to one file, all in one child process
 * (verifier-process.ts: pact's native core would print its coloured report straight to our
 * stdout; the report is printed from the verifier's JSON instead, see verifier-output.ts). The
 * configured person's image is saved before and put back after (also when verification fails or
 * throws); state handlers inject the person's id; the request filter adds the credentials and the
 * target's base path.
 */
import { randomUUID } from 'node:crypto';
import { stripVTControlCharacters } from 'node:util';
import type { Credential } from '../config/credentials.js';
import { ConfigError, ConnectivityError, InterruptedError, PactError } from '../errors.js';
import type { ImageRestore, PactInteractionResult, PactResult } from '../report/types.js';
import type { OpenTarget } from '../run/target.js';
import type { SpecModel } from '../spec/model.js';
import { authHeaders } from '../transport/auth-headers.js';
import { restoreImage, snapshotImage, type ImageSessionContext, type ImageSnapshot } from '../transport/image-snapshot.js';
import { TargetSession } from '../transport/target-session.js';
import { publishOptions, servedBy, type BrokerConfig } from './broker.js';
import { isUrl, readPactFile, type PactDocument } from './pact-file.js';
import { writeVerifierReport, type ReportStream } from './verifier-output.js';
import { runVerifierProcess } from './verifier-process.js';
import type { PactLogLevel, VerifierJob } from './verifier-protocol.js';

export interface VerifyPactsOptions {
  /** Publish results to this broker, for the pacts fetched from it (URLs under its base URL). */
  broker?: BrokerConfig;
  /** Per request; default 30 s. */
  timeoutMs?: number;
  /** Pact's own log level; default 'error'. */
  logLevel?: PactLogLevel;
  /**
   * Where the Pact Verifier's own report ("Verifying a pact between ...") goes, coloured only on a
   * terminal without NO_COLOR (verifier-output.ts); without it the report is not shown.
   */
  report?: ReportStream;
  /** Called with what became of the person's image after verification. */
  onRestore?: (restore: ImageRestore) => void;
  /** Called after each pact source with its result. */
  onResult?: (result: PactResult) => void;
  /** Called with notes worth telling (image saved and restored). */
  onNote?: (note: string) => void;
  /** The run's target session, for the image's save and restore. */
  session?: TargetSession;
  /**
   * Aborted (Ctrl-C): the verifier's child is stopped, the image restored, and the promise rejects
   * with an InterruptedError.
   */
  signal?: AbortSignal;
}

/** What the native verifier reports (pactffi_verifier_json). */
interface VerifierJson {
  result?: boolean;
  interactionResults?: { description?: string; result?: string }[];
  errors?: { interaction?: string; mismatch?: { type?: string; message?: string; mismatches?: { mismatch?: string; path?: string; type?: string }[] } }[];
  output?: string[];
}

function parseVerifierJson(text: string): VerifierJson | undefined {
  try {
    const json: unknown = JSON.parse(text);
    return typeof json === 'object' && json !== null ? (json as VerifierJson) : undefined;
  } catch {
    return undefined;
  }
}

function stateNames(i: Record<string, unknown>): string[] {
  if (Array.isArray(i.providerStates)) return (i.providerStates as { name?: unknown }[]).map((s) => String(s.name ?? '')).filter(Boolean);
  if (typeof i.providerState === 'string') return [i.providerState];
  return [];
}

function mismatchText(e: NonNullable<VerifierJson['errors']>[number]): string {
  const m = e.mismatch;
  if (!m) return 'failed';
  if (Array.isArray(m.mismatches) && m.mismatches.length > 0) return m.mismatches.map((x) => (x.path && x.type === 'BodyMismatch' ? `${x.path}: ${x.mismatch}` : (x.mismatch ?? x.type ?? 'mismatch'))).join('; ');
  return m.message ?? m.type ?? 'failed';
}

/** Turns the verifier's JSON into our result shape. */
function toPactResult(file: string, pact: Pick<PactDocument, 'consumer' | 'provider' | 'interactions'> | undefined, json: VerifierJson): PactResult {
  const names = stripVTControlCharacters((json.output ?? []).join('\n'));
  const between = /Verifying a pact between (.+?) and (.+?)\s*$/m.exec(names);
  const consumer = pact?.consumer.name ?? between?.[1] ?? 'unknown';
  const provider = pact?.provider.name ?? between?.[2] ?? 'unknown';
  const states = new Map<string, string[]>();
  for (const i of pact?.interactions ?? []) if (typeof i.description === 'string') states.set(i.description, stateNames(i));
  const errors = json.errors ?? [];
  const interactions: PactInteractionResult[] = (json.interactionResults ?? []).map((r) => {
    const description = r.description ?? '';
    const result: PactInteractionResult = { description, status: r.result === 'OK' ? 'pass' : 'fail' };
    const state = states.get(description);
    if (state && state.length > 0) result.providerState = state.join('; ');
    if (result.status === 'fail') {
      const mine = errors.filter((e) => e.interaction === description || e.interaction?.endsWith(` - ${description}`));
      result.message = mine.length > 0 ? mine.map(mismatchText).join('; ') : (r.result ?? 'failed');
    }
    return result;
  });
  // Errors the verifier could not tie to an interaction (pact could not be loaded, no interactions run).
  if (interactions.length === 0 && errors.length > 0) {
    interactions.push({ description: errors[0]?.interaction ?? 'verification', status: 'fail', message: errors.map(mismatchText).join('; ') });
  }
  const failed = json.result === false || interactions.length === 0 || interactions.some((i) => i.status === 'fail');
  return { file, consumer, provider, status: failed ? 'fail' : 'pass', interactions };
}

function firstCredential(target: OpenTarget): Credential {
  const c = target.credentials[0];
  if (!c) throw new ConfigError('pact verification needs a credential for the target (--auth or SO_AUTH)');
  return c;
}

/**
 * Verifies `files` against the target. The image's save and restore go through the run's target
 * session (`opts.session`; without one, a session of its own); the Pact verifier sends the
 * interactions itself.
 */
export async function verifyPacts(target: OpenTarget, model: SpecModel, files: string[], opts: VerifyPactsOptions = {}): Promise<PactResult[]> {
  const own = opts.session ? undefined : new TargetSession({ baseUrl: target.baseUrl, timeoutMs: opts.timeoutMs ?? 30_000, concurrency: 1, runId: randomUUID() });
  try {
    return await verifyWith(own ?? opts.session!, target, model, files, opts);
  } finally {
    await own?.close();
  }
}

/** The child's job: the target, the first credential, and each pact with its broker options. */
function verifierJob(target: OpenTarget, model: SpecModel, files: string[], personId: number, opts: VerifyPactsOptions): VerifierJob {
  const base = new URL(target.baseUrl);
  return {
    providerBaseUrl: base.origin,
    basePath: base.pathname.replace(/\/+$/, ''),
    pacts: files.map((file) => ({ file, ...(opts.broker && servedBy(opts.broker, file) ? { publish: publishOptions(opts.broker) } : {}) })),
    logLevel: opts.logLevel ?? 'error',
    timeoutMs: opts.timeoutMs ?? 30_000,
    personId,
    model,
    credential: firstCredential(target),
    ...(target.appToken ? { appToken: target.appToken } : {}),
  };
}

/** Runs the verifier's child process and turns each pact's outcome into a result (its report printed to `opts.report`). */
async function verifyInChild(job: VerifierJob, pacts: Map<string, PactDocument | undefined>, opts: VerifyPactsOptions): Promise<PactResult[]> {
  const results: PactResult[] = [];
  await runVerifierProcess(job, (m) => {
    if (m.kind === 'warning') return opts.onNote?.(`warning: ${m.text}`);
    const json = parseVerifierJson(m.outcome);
    if (!json && m.rejected) throw new PactError(`verifying ${m.file} could not run: ${m.outcome.split('\n')[0]}`);
    if (opts.report) writeVerifierReport(opts.report, json?.output ?? []);
    const result = toPactResult(m.file, pacts.get(m.file), json ?? {});
    results.push(result);
    opts.onResult?.(result);
  }, opts.signal);
  return results;
}

async function verifyWith(session: TargetSession, target: OpenTarget, model: SpecModel, files: string[], opts: VerifyPactsOptions): Promise<PactResult[]> {
  process.env.PACT_DO_NOT_TRACK = 'true';
  if (target.personId === undefined) throw new ConfigError('pact verification needs a person whose image it may replace: --person-id (or SO_PERSON_ID)');
  const personId = target.personId;
  const credential = firstCredential(target);
  // Read local pacts first: a file that is no pact fails here, before the target is touched.
  const pacts = new Map(files.map((file) => [file, isUrl(file) ? undefined : readPactFile(file)]));
  const job = verifierJob(target, model, files, personId, opts);
  const imageCtx: ImageSessionContext = { session, model, headers: authHeaders(model, credential, target.appToken) };
  const snapshot: ImageSnapshot = await snapshotImage(imageCtx, personId);
  // Stopped while the image was read: nothing changed yet, nothing to put back.
  if (opts.signal?.aborted) throw new InterruptedError(String(opts.signal.reason));
  opts.onNote?.(`person ${personId}'s image saved before verification${snapshot.image ? ` (${snapshot.image.bytes.length} bytes)` : ' (none)'}`);
  let failed = true;
  try {
    const results = await verifyInChild(job, pacts, opts);
    failed = false;
    return results;
  } finally {
    try {
      // (Not inside `onNote?.(...)`: optional chaining would skip the restore when there is no onNote.)
      const restored = await restoreImage(imageCtx, snapshot);
      opts.onNote?.(restored.message);
      opts.onRestore?.(restored);
    } catch (e) {
      opts.onRestore?.({ outcome: 'failed', message: (e as Error).message });
      // Never hide the error that ended verification behind one from the restore.
      if (!failed) throw new ConnectivityError((e as Error).message);
      opts.onNote?.(`warning: ${(e as Error).message}`);
    }
  }
}
