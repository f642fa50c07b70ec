/**
 * Exchanges as HAR 1.2 (HTTP Archive): reports/exchanges.har, which a browser's network panel
 * opens and HTTP tools replay. Built from the report's records of a request and its answer
 * (`RecordedRequest`, `RecordedResponse`: already redacted, bodies as previews), never from what
 * went on the wire: `run --har` writes the counterexamples of report.json; `run --har all`
 * streams every exchange of the run through the same entry builder (src/run/har-recorder.ts).
 *
 * What a preview cannot give is said, not guessed: a body kept only in part has `content.size`
 * (or `bodySize`) of the whole body and a comment; HAR 1.2 keeps request bodies as text only,
 * so a binary request body has no `postData.text` but the bytes the report holds in `_base64`
 * and, for a counterexample, the file beside the report that holds it whole (`_file`).
 * Custom fields start with `_`, as HAR 1.2 allows.
 */
import type { Content, Creator, Header, QueryString, Response } from 'har-format';
import type { BodyPreview, Counterexample, RecordedRequest, RecordedResponse, Report } from '../src/report/types.js';
import { withoutCredentials } from './html.js';

const HTTP_VERSION = 'HTTP/1.1';

/** The HAR file of a run's exchanges (`run --har`), beside report.json. */
export const exchangesHarFileName = 'exchanges.har';

/** One exchange to write: a request as recorded, its answer or the transport error, and what it is. */
export interface HarExchange {
  /** When the request started (ISO 8601). */
  startedDateTime: string;
  request: RecordedRequest;
  /** Absent when no answer came (dropped connection, timeout, refused). */
  response?: RecordedResponse;
  /** The transport error, when no answer came (already redacted). */
  error?: string;
  /** How long the exchange took when no answer came (an answer carries its own `durationMs`). */
  durationMs?: number;
  comment?: string;
  /** Custom fields of the entry; each name starts with `_`. */
  custom?: Record<`_${string}`, unknown>;
}

/** A request's body as HAR `postData`: text when the body is text, else only what is known of it. */
interface HarPostData {
  mimeType: string;
  text?: string;
  comment?: string;
  /** The bytes the report holds of a binary body, base64-encoded (the whole body when `_complete`). */
  _base64?: string;
  _complete?: boolean;
  /** The file beside the report that holds the whole body. */
  _file?: string;
}

interface HarRequest {
  method: string;
  url: string;
  httpVersion: string;
  cookies: [];
  headers: Header[];
  queryString: QueryString[];
  postData?: HarPostData;
  headersSize: number;
  bodySize: number;
}

/** One HAR entry (the custom fields of the exchange beside the standard ones). */
export type HarEntry = {
  startedDateTime: string;
  time: number;
  request: HarRequest;
  response: Response & { _error?: string };
  cache: Record<string, never>;
  timings: { send: number; wait: number; receive: number };
  comment?: string;
} & Record<`_${string}`, unknown>;

function headerList(h: Record<string, string>): Header[] {
  return Object.entries(h).map(([name, value]) => ({ name, value }));
}

function queryOf(url: string): QueryString[] {
  if (!URL.canParse(url)) return [];
  return [...new URL(url).searchParams].map(([name, value]) => ({ name, value }));
}

function headerValue(h: Record<string, string>, name: string): string | undefined {
  return Object.entries(h).find(([k]) => k.toLowerCase() === name)?.[1];
}

/** The bytes a preview holds (text, hex or the whole image) and whether they are the whole body. */
function previewBytes(body: BodyPreview): { bytes: Buffer; complete: boolean } | undefined {
  if (body.imageBase64 !== undefined) return { bytes: Buffer.from(body.imageBase64, 'base64'), complete: true };
  const bytes = body.hex !== undefined ? Buffer.from(body.hex, 'hex') : body.text !== undefined ? Buffer.from(body.text, 'utf8') : undefined;
  return bytes && { bytes, complete: bytes.length >= body.size };
}

function partial(held: number, size: number): string {
  return `only what the report keeps of the body: ${held} of ${size} bytes, redacted`;
}

function postDataOf(body: BodyPreview, mimeType: string): HarPostData {
  const p: HarPostData = { mimeType };
  const held = previewBytes(body);
  if (body.text !== undefined && body.imageBase64 === undefined) {
    p.text = body.text;
    if (!held?.complete) p.comment = partial(held?.bytes.length ?? 0, body.size);
  } else {
    p.comment = `a binary body of ${body.size} bytes: HAR keeps request bodies as text only` + (held ? `; _base64 holds ${held.complete ? 'all of it' : partial(held.bytes.length, body.size)}` : '');
    if (held) Object.assign(p, { _base64: held.bytes.toString('base64'), _complete: held.complete });
  }
  if (body.file !== undefined) {
    p._file = body.file;
    p.comment = `${p.comment ? `${p.comment}; ` : ''}the whole body is ${body.file}, beside report.json`;
  }
  return p;
}

function requestOf(r: RecordedRequest): HarRequest {
  const req: HarRequest = { method: r.method, url: r.url, httpVersion: HTTP_VERSION, cookies: [], headers: headerList(r.headers), queryString: queryOf(r.url), headersSize: -1, bodySize: r.body?.size ?? 0 };
  if (r.body) req.postData = postDataOf(r.body, headerValue(r.headers, 'content-type') ?? r.body.mediaType ?? 'application/octet-stream');
  return req;
}

function contentOf(body: BodyPreview | undefined, mimeType: string): Content {
  if (!body) return { size: 0, mimeType };
  const c: Content = { size: body.size, mimeType };
  const held = previewBytes(body);
  if (!held) return c;
  if (body.text !== undefined && body.imageBase64 === undefined) c.text = body.text;
  else Object.assign(c, { text: held.bytes.toString('base64'), encoding: 'base64' });
  if (!held.complete) c.comment = partial(held.bytes.length, body.size);
  return c;
}

function responseOf(r: RecordedResponse | undefined, error: string | undefined): HarEntry['response'] {
  const none = { status: 0, statusText: '', httpVersion: '', cookies: [], headers: [], content: { size: 0, mimeType: 'x-unknown' }, redirectURL: '', headersSize: -1, bodySize: -1 };
  if (!r) return { ...none, ...(error !== undefined ? { _error: error, comment: `no answer: ${error}` } : {}) };
  const mimeType = headerValue(r.headers, 'content-type') ?? r.body?.mediaType ?? 'x-unknown';
  const res: HarEntry['response'] = {
    status: r.status,
    statusText: '',
    httpVersion: HTTP_VERSION,
    cookies: [],
    headers: headerList(r.headers),
    content: contentOf(r.body, mimeType),
    redirectURL: headerValue(r.headers, 'location') ?? '',
    headersSize: -1,
    bodySize: r.body?.size ?? 0,
  };
  if (error !== undefined) res._error = error;
  return res;
}

/** One exchange as a HAR entry. */
export function harEntry(x: HarExchange): HarEntry {
  const time = Math.max(0, x.response?.durationMs ?? x.durationMs ?? 0);
  return {
    startedDateTime: x.startedDateTime,
    time,
    request: requestOf(x.request),
    response: responseOf(x.response, x.error),
    cache: {},
    timings: { send: 0, wait: time, receive: 0 },
    ...(x.comment !== undefined ? { comment: x.comment } : {}),
    ...x.custom,
  };
}

/**
 * A HAR document around entries written one by one: `head`, the entries as JSON separated by
 * `,\n`, then `tail`. Lets a recorder stream entries to disk without holding them.
 */
export function harFrame(creator: Creator, comment: string): { head: string; tail: string } {
  const log = JSON.stringify({ version: '1.2', creator: { name: creator.name, version: creator.version }, comment });
  return { head: `{"log":${log.slice(0, -1)},"entries":[\n`, tail: '\n]}}\n' };
}

function counterexampleExchange(report: Report, rule: Report['rules'][number], cx: Counterexample): HarExchange {
  return {
    startedDateTime: report.startedAt,
    request: cx.request,
    ...(cx.response ? { response: cx.response } : {}),
    ...(cx.error !== undefined ? { error: cx.error } : {}),
    comment: `${rule.id} (${rule.level}, ${rule.status}): ${cx.message}`,
    custom: {
      _rule: rule.id,
      _level: rule.level,
      _status: rule.status,
      _description: cx.description,
      _message: cx.message,
      _curl: cx.curl,
      _replay: cx.replay,
      _seed: cx.seed,
      ...(cx.shrunk !== undefined ? { _shrunk: cx.shrunk } : {}),
    },
  };
}

/**
 * report.json's counterexamples as a HAR document (`run --har`): one entry per rule that has
 * one, in the report's order. The report keeps no time per exchange: every entry starts at the
 * run's start.
 */
export function renderCounterexampleHar(report: Report): string {
  const entries = report.rules.flatMap((r) => (r.counterexample ? [harEntry(counterexampleExchange(report, r, r.counterexample))] : []));
  const { head, tail } = harFrame(report.tool, `counterexamples of the ${report.verdict} run of seed ${report.seed} against ${withoutCredentials(report.target.url)}, redacted like report.json`);
  return head + entries.map((e) => JSON.stringify(e)).join(',\n') + tail;
}
