/**
 * The target session: the one road to the target. Every request of a run (cases, the run's own
 * reads, the image's save and restore, the pre-flight) goes through `send`, on an undici Agent
 * whose policies are stacked as dispatcher interceptors, outermost first: run id and User-Agent,
 * circuit breaker, Retry-After, metering, rate limit, deadline. Redirects are never followed
 * (undici's request does not). This folder is the only place that imports undici.
 */
import { rootCertificates } from 'node:tls';
import { Agent, FormData, request, type Dispatcher } from 'undici';
import { ConformanceError } from '../errors.js';
import type { CaseBody } from '../generate/case.js';
import { userAgent } from '../version.js';
import { CircuitBreaker } from './circuit-breaker.js';
import { frameAsDotnet } from './multipart-framing.js';
import { errorCode } from './error-codes.js';
import { circuitBreaker, type BreakerGate, type ClientCut } from './interceptors/circuit-breaker.js';
import { deadline } from './interceptors/deadline.js';
import { meter, type Meter } from './interceptors/meter.js';
import { rateLimit } from './interceptors/rate-limit.js';
import { retryAfter } from './interceptors/retry-after.js';
import { RUN_ID_HEADER, runIdentity } from './interceptors/run-identity.js';
import type { PolicyOptions } from './interceptors/types.js';
import type { Observation } from './observation.js';
import { RateLimiter } from './rate-limit.js';

export { RUN_ID_HEADER } from './interceptors/run-identity.js';

export interface SessionOptions {
  baseUrl: string;
  timeoutMs: number;
  /** Requests per second; undefined for none. */
  rate?: number;
  concurrency: number;
  runId: string;
  /** Largest response body kept, in bytes. */
  maxResponseBytes?: number;
  /** How long throttling (429, or 503 with Retry-After) may last in all before the run gives up. */
  maxThrottleMs?: number;
  /** Told of each wait for Retry-After. */
  onThrottle?: (status: number, waitMs: number) => void;
  /** Extra CA certificates for TLS (trusted beside the public roots). */
  ca?: string | Buffer;
  /** Bytes of request bodies the run may upload; `budgetExhausted` tells when they are spent. */
  maxUploadBytes?: number;
  /** Stops the run when the target looks sick; default: a CircuitBreaker with its defaults. */
  breaker?: CircuitBreaker;
  /** Told of every exchange once it ended, and awaited: a slow recorder (`--har all`) slows the run instead of filling memory. */
  onExchange?: (exchange: SessionExchange) => Promise<void>;
}

/** One request as it was sent and what came back, for a recorder of the run's exchanges. */
export interface SessionExchange {
  method: string;
  /** The full URL. */
  url: string;
  /** The headers as sent, the run id and User-Agent included: credentials too, so redact before keeping any. */
  headers: Record<string, string>;
  body?: CaseBody;
  /** When the request started (wall clock). */
  startedAt: Date;
  observation: Observation;
}

export interface WireRequest {
  method: string;
  /** Path relative to the base URL, starting with '/'. */
  path: string;
  headers: Record<string, string>;
  body?: CaseBody;
  /** A request a healthy server answers below 500 (a valid upload, a read): counted by the circuit breaker. */
  expectHealthy?: boolean;
  /** This request's deadline instead of the run's (the pre-flight's short one). */
  timeoutMs?: number;
  /** Goes through even after the circuit breaker tripped (the restore of the person's image). */
  bypassBreaker?: boolean;
  /** Largest body kept for this answer (the image snapshot keeps the whole image). */
  maxResponseBytes?: number;
}

const DEFAULT_MAX_RESPONSE = 16 * 1024 * 1024;
const DEFAULT_MAX_THROTTLE_MS = 120_000;

/** Bytes a body puts on the wire (image bytes; multipart framing not counted). */
export function bodySize(body: CaseBody | undefined): number {
  if (!body) return 0;
  return body.kind === 'raw' ? body.bytes.length : body.parts.reduce((n, p) => n + p.bytes.length, 0);
}

function encodeBody(body: CaseBody | undefined): { payload?: Uint8Array | FormData; contentType?: string } {
  if (!body) return {};
  if (body.kind === 'raw') return { payload: body.bytes, ...(body.contentType ? { contentType: body.contentType } : {}) };
  if (body.framing) return frameAsDotnet(body.parts, body.framing.mediaType);
  const form = new FormData();
  for (const p of body.parts) form.append(p.field, new Blob([p.bytes], { type: p.contentType }), p.filename);
  return { payload: form };
}

/** Reads a response body up to `cap` bytes; past it the rest is dropped (the exchange cut by the client). */
async function readCapped(body: AsyncIterable<unknown> & { destroy(): void }, cap: number, cut: ClientCut): Promise<{ bytes: Buffer; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const c = chunk as Buffer;
    if (size + c.length > cap) {
      chunks.push(c.subarray(0, cap - size));
      cut.byClient = true;
      body.destroy();
      return { bytes: Buffer.concat(chunks), truncated: true };
    }
    chunks.push(c);
    size += c.length;
  }
  return { bytes: Buffer.concat(chunks), truncated: false };
}

export class TargetSession {
  private readonly agent: Agent;
  private readonly policies: Dispatcher;
  private readonly counts: Meter = { requests: 0, uploadedBytes: 0 };
  private readonly gate: BreakerGate = { afterTrip: 0 };
  readonly breaker: CircuitBreaker;

  constructor(readonly options: SessionOptions) {
    this.agent = new Agent({
      connections: Math.max(1, options.concurrency),
      keepAliveTimeout: 10_000,
      // `ca` alone would replace Node's roots; the custom CA is trusted beside them (NODE_EXTRA_CA_CERTS is honoured by Node itself).
      ...(options.ca ? { connect: { ca: [...rootCertificates, String(options.ca)] } } : {}),
    });
    this.breaker = options.breaker ?? new CircuitBreaker();
    // compose() wraps in order: the last interceptor is the outermost, the first runs next to the Agent.
    this.policies = this.agent.compose(
      deadline(options.timeoutMs),
      rateLimit(new RateLimiter(options.rate)),
      meter(this.counts),
      retryAfter({ maxThrottleMs: options.maxThrottleMs ?? DEFAULT_MAX_THROTTLE_MS, ...(options.onThrottle ? { onThrottle: options.onThrottle } : {}) }),
      circuitBreaker(this.breaker, this.gate),
      runIdentity(options.runId, userAgent),
    );
  }

  get baseUrl(): string {
    return this.options.baseUrl;
  }

  /** Requests put on the wire so far (retries included). */
  get requestCount(): number {
    return this.counts.requests;
  }

  /** Bytes of request bodies sent so far. */
  get uploadedBytes(): number {
    return this.counts.uploadedBytes;
  }

  /** The upload budget is spent: no new case should start. */
  get budgetExhausted(): boolean {
    return this.options.maxUploadBytes !== undefined && this.counts.uploadedBytes >= this.options.maxUploadBytes;
  }

  /**
   * Lets `requests` more requests through after the breaker tripped: the few that shrink a
   * counterexample the run already has (a server that fails every valid upload still gets a
   * small, replayable one), not a way round the breaker.
   */
  allowAfterTrip(requests: number): void {
    this.gate.afterTrip = requests;
  }

  /**
   * Sends one request through the policies and tells what came back. No answer (timeout, reset,
   * refused, garbage) is an Observation with `error`; only a policy's own stop (the breaker has
   * tripped, throttling without end) throws, as a ConformanceError.
   */
  async send(req: WireRequest): Promise<Observation> {
    const { payload, contentType } = encodeBody(req.body);
    const headers: Record<string, string> = { ...req.headers };
    if (contentType) headers['content-type'] = contentType;
    const timeoutMs = req.timeoutMs ?? this.options.timeoutMs;
    // Stryker disable next-line ObjectLiteral: an absent byClient reads as false, as the false written here does (its one reader, interceptors/circuit-breaker.ts, tests it for truth)
    const cut: ClientCut = { byClient: false };
    const policy: PolicyOptions & { cut: ClientCut } = {
      deadlineMs: timeoutMs,
      expectHealthy: req.expectHealthy === true,
      bypassBreaker: req.bypassBreaker === true,
      uploadBytes: bodySize(req.body),
      cut,
    };
    const startedAt = new Date();
    const started = performance.now();
    let o: Observation;
    try {
      const res = await request(this.options.baseUrl + req.path, {
        method: req.method as 'GET',
        headers,
        ...(payload !== undefined ? { body: payload } : {}),
        dispatcher: this.policies,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        ...policy,
      } as Parameters<typeof request>[1]);
      const { bytes, truncated } = await readCapped(res.body, req.maxResponseBytes ?? this.options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE, cut);
      const outHeaders: Record<string, string> = {};
      for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) outHeaders[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
      o = { status: res.statusCode, headers: outHeaders, body: bytes, bodyTruncated: truncated, durationMs: performance.now() - started };
    } catch (e) {
      if (e instanceof ConformanceError) throw e;
      o = { headers: {}, body: Buffer.alloc(0), bodyTruncated: false, error: errorCode(e), durationMs: performance.now() - started };
    }
    if (this.options.onExchange) {
      const sent = { 'user-agent': userAgent, [RUN_ID_HEADER]: this.options.runId, ...headers };
      await this.options.onExchange({ method: req.method, url: this.options.baseUrl + req.path, headers: sent, ...(req.body ? { body: req.body } : {}), startedAt, observation: o });
    }
    return o;
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}
