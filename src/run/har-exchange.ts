/**
 * One exchange of the target session as the report records a request and its answer, redacted
 * with the run's Redactor exactly as a counterexample is (src/run/counterexample.ts): sensitive
 * headers `[REDACTED]`, secrets taken out of every other value, the URL and the error, bodies as
 * the report's previews (their first bytes, a thumbnail of an image that held no secret). What
 * `run --har all` writes (src/run/har-recorder.ts); nothing of the raw exchange is kept.
 */
import type { HarExchange } from '../../reporters/har.js';
import type { CaseBody } from '../generate/case.js';
import type { RecordedRequest, RecordedResponse } from '../report/types.js';
import type { Redactor } from '../transport/redact.js';
import { shownMultipartType } from '../transport/multipart-framing.js';
import type { SessionExchange } from '../transport/target-session.js';
import { preview } from './counterexample.js';

/** The body's bytes and type as a counterexample records them: a multipart body by its first part. */
function bodyOf(body: CaseBody): { bytes: Uint8Array; mediaType: string | undefined; contentType: string | undefined } {
  if (body.kind === 'raw') return { bytes: body.bytes, mediaType: body.contentType, contentType: body.contentType };
  const first = body.parts[0];
  return { bytes: first?.bytes ?? new Uint8Array(), mediaType: first?.contentType, contentType: shownMultipartType(body.framing) };
}

function recordedRequest(e: SessionExchange, redactor: Redactor): RecordedRequest {
  const headers = { ...e.headers };
  const r: RecordedRequest = { method: e.method, url: redactor.text(e.url), headers };
  if (e.body) {
    const { bytes, mediaType, contentType } = bodyOf(e.body);
    // The session sets a raw body's Content-Type itself; a multipart one's (with its boundary) is undici's or the framing's.
    if (contentType !== undefined && !Object.keys(headers).some((k) => k.toLowerCase() === 'content-type')) headers['content-type'] = contentType;
    r.body = preview(bytes, mediaType, redactor);
  }
  r.headers = redactor.headers(headers);
  return r;
}

function recordedResponse(e: SessionExchange, redactor: Redactor): RecordedResponse | undefined {
  const o = e.observation;
  if (o.status === undefined) return undefined;
  const r: RecordedResponse = { status: o.status, headers: redactor.headers(o.headers), durationMs: Math.round(o.durationMs * 10) / 10 };
  if (o.body.length > 0) r.body = preview(o.body, o.headers['content-type'], redactor);
  return r;
}

/** The exchange as the report would record it, redacted; `n` numbers it in the run (1, 2, …). */
export function redactedExchange(e: SessionExchange, runRedactor: Redactor, n: number): HarExchange {
  const redactor = runRedactor.forExchange(e.headers);
  const response = recordedResponse(e, redactor);
  const o = e.observation;
  const x: HarExchange = { startedDateTime: e.startedAt.toISOString(), request: recordedRequest(e, redactor), custom: { _exchange: n } };
  if (response) x.response = response;
  else x.durationMs = Math.round(o.durationMs * 10) / 10;
  if (o.error) x.error = redactor.text(`${o.error.code}: ${o.error.message}`);
  if (o.bodyTruncated) x.comment = 'the answer was longer than the transport keeps: it was cut';
  return x;
}
