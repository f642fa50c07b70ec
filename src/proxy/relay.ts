/**
 * The proxy's request handler: each request forwarded to the target as it came (its body streamed
 * through a tap that keeps a save's body for judging), the answer streamed back the same way, and
 * the exchange handed to the session once it ended. A request the target never answered gets 502
 * from the proxy and is judged as no answer; one the client gave up is not judged.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { SpecModel } from '../spec/model.js';
import { errorCode } from '../transport/error-codes.js';
import type { ForwardAnswer, Forwarder } from '../transport/forward.js';
import { retryAfterMs } from '../transport/interceptors/retry-after.js';
import type { Observation } from '../transport/observation.js';
import { BodyTap } from './body-tap.js';
import { flatHeaders, type SeenExchange } from './exchange.js';
import type { RouteReader } from './route.js';
import type { ProxySession } from './session.js';

export interface RelayDeps {
  forwarder: Forwarder;
  route: RouteReader;
  model: SpecModel;
  session: ProxySession;
  /** The most bytes of an answer kept for judging (the run's cap: 16 MiB). */
  responseBytes: number;
}

/** What is known of an exchange before its answer. */
interface Pending {
  x: Omit<SeenExchange, 'observation' | 'body'>;
  reqTap: BodyTap;
  req: IncomingMessage;
  t0: number;
  abort: AbortController;
}

function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

export function relayHandler(d: RelayDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    void relay(d, req, res);
  };
}

async function relay(d: RelayDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const t0 = performance.now();
  const method = req.method ?? 'GET';
  const target = req.url ?? '/';
  const route = d.route(method, target);
  const begun = d.session.begin(req.headers, route);
  const p: Pending = { x: { ...begun, startedAt: new Date(), method, target, headers: req.headers, route }, reqTap: new BodyTap(route.save ? d.session.keepLimit() : 0), req, t0, abort: new AbortController() };
  res.on('close', () => {
    if (!res.writableFinished) p.abort.abort();
  });
  const sentAt = performance.now();
  let answer: ForwardAnswer;
  try {
    answer = await d.forwarder.forward({ method, path: target, headers: req.headers, ...(hasBody(req) ? { body: req.pipe(p.reqTap) } : {}), signal: p.abort.signal });
  } catch (e) {
    if (p.abort.signal.aborted) return d.session.abandon();
    const error = errorCode(e);
    answerForTarget(res, error.message);
    d.session.answered(p.x.credential, 502, undefined, 0);
    return finish(d, p, { headers: {}, body: Buffer.alloc(0), bodyTruncated: false, error, durationMs: performance.now() - sentAt });
  }
  await relayAnswer(d, p, res, answer, sentAt);
}

/** Streams the answer back; hands the exchange to the session when it ended. */
async function relayAnswer(d: RelayDeps, p: Pending, res: ServerResponse, answer: ForwardAnswer, sentAt: number): Promise<void> {
  const upstreamMs = performance.now() - sentAt;
  res.writeHead(answer.status, answer.headers);
  const headers = flatHeaders(answer.headers);
  d.session.answered(p.x.credential, answer.status, retryAfterMs(headers['retry-after']), Math.max(0, performance.now() - p.t0 - upstreamMs));
  const resTap = new BodyTap(d.responseBytes);
  let error: Observation['error'];
  try {
    await pipeline(answer.body, resTap, res);
  } catch (e) {
    if (p.abort.signal.aborted) return d.session.abandon();
    error = errorCode(e);
  }
  const o: Observation = { status: answer.status, headers, body: resTap.bytes(), bodyTruncated: resTap.overLimit, durationMs: performance.now() - sentAt };
  if (error) {
    // The target dropped the connection inside its answer: judged as no answer.
    delete o.status;
    o.error = error;
  }
  finish(d, p, o);
}

function finish(d: RelayDeps, p: Pending, observation: Observation): void {
  // A save's body is judged only when it came whole and the tap kept it.
  const whole = p.req.complete && !p.reqTap.overLimit && p.x.route.save;
  const contentType = p.req.headers['content-type'];
  d.session.finish({ ...p.x, observation, body: { contentType, bytes: whole ? p.reqTap.bytes() : undefined, size: p.reqTap.size } });
}

/** The proxy's own answer when the target gave none. */
function answerForTarget(res: ServerResponse, message: string): void {
  if (res.headersSent || res.destroyed) return;
  const body = JSON.stringify({ Error: true, ErrorType: 'ProxyError', ErrorMessage: `the target did not answer: ${message}`, ErrorSource: 'person-image-conformance proxy' });
  res.writeHead(502, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(body)) }).end(body);
}
