/**
 * The one HTTP client of the suite (undici): rate limit, timeout, retry on 429/503 with
 * Retry-After, a run id and User-Agent on every request, no redirects followed, an overall
 * deadline per request (headers and body), an upload byte budget and a circuit breaker.
 */
import { rootCertificates } from 'node:tls';
import { Agent, FormData, request, type Dispatcher } from 'undici';
import type { CaseBody } from '../generate/case.js';
import { TargetUnrecoverableError } from '../errors.js';
import { userAgent } from '../version.js';
import { CircuitBreaker } from './circuit-breaker.js';
import type { Observation } from './observation.js';
import { RateLimiter } from './rate-limit.js';

export const RUN_ID_HEADER = 'x-conformance-run';

export interface TransportOptions {
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
}

const DEFAULT_MAX_RESPONSE = 16 * 1024 * 1024;

function errorCode(e: unknown): { code: string; message: string } {
  const err = e as { code?: string; message?: string; name?: string };
  const code = err.code ?? err.name ?? 'error';
  const map: Record<string, string> = {
    UND_ERR_INVALID_ARG: 'client-error',
    ERR_INVALID_ARG_TYPE: 'client-error',
    ERR_INVALID_ARG_VALUE: 'client-error',
    ERR_INVALID_CHAR: 'client-error',
    ERR_HTTP_INVALID_HEADER_VALUE: 'client-error',
    UND_ERR_HEADERS_TIMEOUT: 'timeout',
    DEADLINE: 'timeout',
    UND_ERR_ABORTED: 'timeout',
    AbortError: 'timeout',
    TimeoutError: 'timeout',
    UND_ERR_BODY_TIMEOUT: 'timeout',
    UND_ERR_CONNECT_TIMEOUT: 'timeout',
    ECONNRESET: 'reset',
    UND_ERR_SOCKET: 'reset',
    ECONNREFUSED: 'refused',
    HPE_INVALID_CONSTANT: 'protocol',
    UND_ERR_RESPONSE_STATUS_CODE: 'protocol',
  };
  return { code: map[code] ?? (code.startsWith('HPE_') ? 'protocol' : code), message: err.message ?? String(e) };
}

/** Retry-After in ms (seconds or an HTTP date), or undefined. */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Bytes a body puts on the wire (image bytes; multipart framing not counted). */
export function bodySize(body: CaseBody | undefined): number {
  if (!body) return 0;
  return body.kind === 'raw' ? body.bytes.length : body.parts.reduce((n, p) => n + p.bytes.length, 0);
}

function encodeBody(body: CaseBody | undefined): { payload?: Uint8Array | FormData; contentType?: string; size: number } {
  const size = bodySize(body);
  if (!body) return { size };
  if (body.kind === 'raw') return { payload: body.bytes, size, ...(body.contentType ? { contentType: body.contentType } : {}) };
  const form = new FormData();
  for (const p of body.parts) form.append(p.field, new Blob([p.bytes], { type: p.contentType }), p.filename);
  return { payload: form, size };
}

export class Transport {
  private readonly agent: Agent;
  private readonly limiter: RateLimiter;
  private sent = 0;
  private uploaded = 0;
  private throttledMs = 0;
  private afterTrip = 0;
  readonly breaker: CircuitBreaker;

  constructor(readonly options: TransportOptions) {
    this.agent = new Agent({
      connections: Math.max(1, options.concurrency),
      keepAliveTimeout: 10_000,
      // `ca` alone would replace Node's roots; the custom CA is trusted beside them (NODE_EXTRA_CA_CERTS is honoured by Node itself).
      ...(options.ca ? { connect: { ca: [...rootCertificates, String(options.ca)] } } : {}),
    });
    this.limiter = new RateLimiter(options.rate);
    this.breaker = options.breaker ?? new CircuitBreaker();
  }

  /** Requests put on the wire so far (retries included). */
  get requestCount(): number {
    return this.sent;
  }

  /** Bytes of request bodies sent so far. */
  get uploadedBytes(): number {
    return this.uploaded;
  }

  /** The upload budget is spent: no new case should start. */
  get budgetExhausted(): boolean {
    return this.options.maxUploadBytes !== undefined && this.uploaded >= this.options.maxUploadBytes;
  }

  /**
   * Lets `requests` more requests through after the breaker tripped: the few that shrink a
   * counterexample the run already has (a server that fails every valid upload still gets a
   * small, replayable one), not a way round the breaker.
   */
  allowAfterTrip(requests: number): void {
    this.afterTrip = requests;
  }

  /** The dispatcher (connection pool, TLS settings) for the run's other requests (image save/restore). */
  get dispatcher(): Dispatcher {
    return this.agent;
  }

  async send(req: WireRequest): Promise<Observation> {
    const maxThrottle = this.options.maxThrottleMs ?? 120_000;
    for (;;) {
      if (this.breaker.tripped && this.afterTrip > 0) this.afterTrip--;
      else this.breaker.check();
      const o = await this.once(req);
      const throttled = o.status === 429 || (o.status === 503 && o.headers['retry-after'] !== undefined);
      if (!throttled) {
        this.breaker.record(o, req.expectHealthy === true);
        return o;
      }
      const wait = Math.min(retryAfterMs(o.headers['retry-after']) ?? 1000, 30_000);
      if (this.throttledMs + wait > maxThrottle) {
        throw new TargetUnrecoverableError(
          `the target kept throttling (${o.status} with Retry-After) for over ${Math.round(maxThrottle / 1000)} s in all; try a lower --rate`,
          'throttled',
        );
      }
      this.throttledMs += wait;
      this.options.onThrottle?.(o.status!, wait);
      await new Promise((r) => setTimeout(r, wait));
    }
  }

  private async once(req: WireRequest): Promise<Observation> {
    await this.limiter.take();
    const { payload, contentType, size } = encodeBody(req.body);
    const headers: Record<string, string> = { 'user-agent': userAgent, [RUN_ID_HEADER]: this.options.runId, ...req.headers };
    if (contentType) headers['content-type'] = contentType;
    const started = performance.now();
    this.sent++;
    this.uploaded += size;
    const cap = this.options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE;
    // One deadline over the whole exchange: a body trickling in byte by byte, or a request undici
    // never puts on the wire, ends as a timeout instead of a hang.
    const timeoutMs = req.timeoutMs ?? this.options.timeoutMs;
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(Object.assign(new Error(`no complete answer within ${timeoutMs} ms`), { code: 'DEADLINE' })), timeoutMs);
    try {
      const res = await request(this.options.baseUrl + req.path, {
        method: req.method as 'GET',
        headers,
        ...(payload !== undefined ? { body: payload } : {}),
        dispatcher: this.agent,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        signal: deadline.signal,
      });
      const chunks: Buffer[] = [];
      let size = 0;
      let truncated = false;
      for await (const chunk of res.body) {
        const c = chunk as Buffer;
        if (size + c.length > cap) {
          chunks.push(c.subarray(0, cap - size));
          size = cap;
          truncated = true;
          res.body.destroy();
          break;
        }
        chunks.push(c);
        size += c.length;
      }
      const outHeaders: Record<string, string> = {};
      for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) outHeaders[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
      return { status: res.statusCode, headers: outHeaders, body: Buffer.concat(chunks), bodyTruncated: truncated, durationMs: performance.now() - started };
    } catch (e) {
      const err = deadline.signal.aborted ? deadline.signal.reason : e;
      return { headers: {}, body: Buffer.alloc(0), bodyTruncated: false, error: errorCode(err), durationMs: performance.now() - started };
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}
