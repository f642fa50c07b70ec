/**
 * The proxy's bookkeeping for one session: each request's facts when it arrives (credential,
 * pacing), what its answer teaches the traffic tracker, and, once the exchange ended, its
 * judging by the client rules and (for saves) the server rules the proxy can judge. Judging runs
 * one exchange at a time behind the traffic (decoding an image takes a while; the forwarding does
 * not wait for it); a save's body is inspected by the low-priority child process of
 * inspector-process.ts, so the queue grows while the cores are busy and catches up when they are
 * idle. Counters, findings, latency and the bytes waiting are bounded, whatever the traffic.
 */
import type { ClientCheckContext, ClientExchange, RouteFacts } from '../checks/client/types.js';
import type { CheckContext } from '../checks/types.js';
import { RunResults } from '../run/results.js';
import { LatencyHistogram } from '../run/latency.js';
import type { Judgement } from '../run/judge.js';
import type { ClientRule, Rule } from '../spec/rules.js';
import type { Redactor } from '../transport/redact.js';
import { judgeClientRequest } from './client-judge.js';
import { seenCredential, type RequestHeaders, type SeenCredential } from './credential-facts.js';
import type { SeenExchange } from './exchange.js';
import type { BodyInspector } from './inspector-process.js';
import { counterexampleOf, FindingLog, findingRecord } from './findings.js';
import { isThrottling, judgeServerAnswer } from './server-judge.js';
import { TrafficTracker } from './traffic.js';

/** Distinct credentials whose secrets the redactor learns (the rest are redacted per exchange only). */
const MAX_LEARNED_CREDENTIALS = 256;
/** Bodies waiting to be judged hold at most this many bytes; saves beyond it are not inspected. */
const MAX_PENDING_BYTES = 256 * 1024 * 1024;

export interface SessionOptions {
  clientRules: readonly ClientRule[];
  /** The server rules judged through the proxy (src/proxy/server-judge.ts). */
  serverRules: readonly Rule[];
  clientCtx: ClientCheckContext;
  checkCtx: CheckContext;
  rate: number;
  redactor: Redactor;
  /** The target's origin, for the records' URLs. */
  origin: string;
  reportDir: string;
  /** The most bytes of a save's body kept for judging. */
  inspectBytes: number;
  /** Inspects a save's body (inspectBody, in a child process). */
  inspector: Pick<BodyInspector, 'inspect'>;
  /** Told each time an exchange ended, with how many have (judged or not). */
  onExchangeEnd?: (ended: number) => void;
}

/** The rules as RunResults counts them: a client rule is a rule exercised by no case family. */
function asRule(r: ClientRule): Rule {
  return { ...r, warnOn: [], exercisedBy: [] };
}

export class ProxySession {
  readonly results: RunResults;
  readonly findings = new FindingLog();
  readonly addedLatency = new LatencyHistogram();
  private readonly tracker: TrafficTracker;
  private readonly learned = new Set<string>();
  private queue: Promise<void> = Promise.resolve();
  private readonly counterexamples = new Set<string>();
  private pendingBytes = 0;
  /** Why an exchange could not be judged (the first few), for report.notes. */
  readonly judgingErrors: string[] = [];
  requests = 0;
  /** Exchanges that ended (their answer went back, or the client gave up). */
  ended = 0;
  /** Exchanges the client gave up before their answer ended (not judged). */
  abandoned = 0;
  /** Requests outside the Person image resource (judged for their pace only). */
  outsideResource = 0;
  /** Saves whose body was over the inspection limit (their body and image not judged). */
  notInspected = 0;
  /** Throttling answers relayed (not judged against the target). */
  throttling = 0;

  constructor(private readonly o: SessionOptions) {
    this.results = new RunResults([...o.clientRules.map(asRule), ...o.serverRules]);
    this.tracker = new TrafficTracker(o.rate);
  }

  /** A request arrived: its number, credential and pacing facts. */
  begin(headers: RequestHeaders, route: RouteFacts): Pick<SeenExchange, 'index' | 'credential' | 'pacing'> {
    const credential = seenCredential(headers, this.o.clientCtx.model);
    if (credential.fingerprint !== 'none' && !this.learned.has(credential.fingerprint) && this.learned.size < MAX_LEARNED_CREDENTIALS) {
      this.learned.add(credential.fingerprint);
      this.o.redactor.addSecrets(credential.secrets);
    }
    if (route.resource === undefined) this.outsideResource++;
    return { index: ++this.requests, credential, pacing: this.tracker.started(credential.fingerprint) };
  }

  /** The answer's head went back to the client. */
  answered(credential: SeenCredential, status: number, retryAfterMs: number | undefined, addedMs: number): void {
    this.tracker.answered(credential.fingerprint, status, retryAfterMs);
    this.addedLatency.add(addedMs);
  }

  /** How many bytes of a save's body to keep for judging: none while the exchanges waiting to be judged hold too many. */
  keepLimit(): number {
    return this.pendingBytes < MAX_PENDING_BYTES ? this.o.inspectBytes : 0;
  }

  /** The exchange ended: judge it behind the traffic. */
  finish(x: SeenExchange): void {
    const held = x.body.bytes?.length ?? 0;
    this.pendingBytes += held;
    this.queue = this.queue
      .then(() => this.judge(x))
      .catch((e: unknown) => {
        if (this.judgingErrors.length < 5) this.judgingErrors.push(this.o.redactor.text(`request ${x.index} was not judged: ${(e as Error).message}`));
      })
      .finally(() => (this.pendingBytes -= held));
    this.end();
  }

  /** The client gave up before the answer ended: nothing to judge. */
  abandon(): void {
    this.abandoned++;
    this.end();
  }

  private end(): void {
    this.ended++;
    this.o.onExchangeEnd?.(this.ended);
  }

  /** Resolves when every finished exchange is judged. */
  async settled(): Promise<void> {
    await this.queue;
  }

  private async judge(x: SeenExchange): Promise<void> {
    const client: ClientExchange = { method: x.method, route: x.route, credential: x.credential.facts, pacing: x.pacing };
    if (x.route.save) {
      client.body = await this.o.inspector.inspect(x.body.contentType, x.body.bytes, x.body.size);
      if (client.body.overLimit) this.notInspected++;
    }
    const j = judgeClientRequest(this.o.clientRules, client, this.o.clientCtx);
    const o = x.observation;
    if (isThrottling(o)) this.throttling++;
    else if (x.route.save) this.merge(j, judgeServerAnswer(this.o.serverRules, { method: x.method, path: x.route.path, accept: acceptOf(x.headers) }, o, this.o.checkCtx));
    if (o.status !== undefined) this.results.latency.add(o.durationMs);
    this.results.record('proxy', x.index, j, coverageOf(x, client));
    for (const f of j.findings) {
      this.findings.add(() => findingRecord(f, x, this.o.origin, this.o.redactor));
      if (this.counterexamples.has(f.rule)) continue;
      this.counterexamples.add(f.rule);
      this.results.setCounterexample(f.rule, await counterexampleOf(f, x, this.o.origin, this.o.reportDir, this.o.redactor), f.severity);
    }
  }

  private merge(into: Judgement, from: Judgement): void {
    into.exercised.push(...from.exercised);
    into.findings.push(...from.findings);
    into.observations.push(...from.observations);
  }
}

function acceptOf(headers: RequestHeaders): string | undefined {
  const v = headers.accept;
  return Array.isArray(v) ? v.join(', ') : v;
}

/** What the exchange was, for report.json's coverage: the request kind, the answer's status, the credential kind. */
function coverageOf(x: SeenExchange, c: ClientExchange): Record<string, string> {
  const kind = c.body ? `${x.method} ${c.body.declared.kind === 'raw' ? c.body.declared.mediaType : c.body.declared.kind}` : `${x.method} ${x.route.resource ?? 'other path'}`;
  return { 'proxied request': kind, 'target status': x.observation.status !== undefined ? String(x.observation.status) : 'no answer', credential: x.credential.facts.kind };
}
