/**
 * Turns a failing case into the report's counterexample: the request and response with every
 * secret redacted, the body saved beside the report, a curl replay whose credentials come from
 * environment placeholders, and the CLI command that replays the case.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Case, CaseBody } from '../generate/case.js';
import { sniffImageFormat } from '../generate/images/media-types.js';
import type { BodyPreview, Counterexample } from '../report/types.js';
import type { Redactor } from '../transport/redact.js';
import type { Observation } from '../transport/observation.js';
import { shownMultipartType } from '../transport/multipart-framing.js';
import { RUN_ID_HEADER } from '../transport/target-session.js';
import { userAgent } from '../version.js';

const PREVIEW_BYTES = 512;
const THUMBNAIL_MAX = 256 * 1024;

function isText(b: Uint8Array): boolean {
  for (const x of b) if (x < 9 || (x > 13 && x < 32) || x === 127) return false;
  return true;
}

export function preview(bytes: Uint8Array, mediaType: string | undefined, redactor: Redactor): BodyPreview {
  const safe = redactor.bytes(bytes);
  const head = Buffer.from(safe.subarray(0, PREVIEW_BYTES));
  const p: BodyPreview = { size: bytes.length };
  if (mediaType) p.mediaType = mediaType;
  if (head.length > 0) {
    if (isText(head)) p.text = redactor.text(head.toString('utf8'));
    else p.hex = head.toString('hex');
  }
  // A thumbnail only of bytes that held no secret (it shows them whole, base64-encoded).
  if (sniffImageFormat(bytes) && bytes.length <= THUMBNAIL_MAX && safe === bytes) p.imageBase64 = Buffer.from(bytes).toString('base64');
  return p;
}

/** Shell-quotes a string for POSIX sh. */
function shq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Environment variable that stands for a sensitive header in a replay. */
export function placeholderFor(header: string): string {
  return `SO_HEADER_${header.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/** Header names safe inside double quotes, also in an interactive bash (no `"`, `$`, `` ` ``, `\` or history's `!`). */
const PLAIN_HEADER_NAME = /^[A-Za-z0-9#%&'*+.^_|~-]+$/;

/** A curl `-H` argument that sends `name: value`; an empty value needs curl's `name;` form (`name:` would drop the header). */
function headerArg(name: string, value: string): string {
  return shq(value === '' ? `${name};` : `${name}: ${value}`);
}

/** A curl `-H` argument whose value is read from the header's environment placeholder when the line runs. */
function placeholderHeaderArg(name: string): string {
  const ref = `\${${placeholderFor(name)}}`;
  return PLAIN_HEADER_NAME.test(name) ? `"${name}: ${ref}"` : `${shq(`${name}: `)}"${ref}"`;
}

/** A curl `-H` argument that stops curl from sending a header of its own (`name:`). */
function dropHeaderArg(name: string): string {
  return shq(`${name}:`);
}

/** A file name or type inside a curl `-F` value, double-quoted when curl's `;`/`,` syntax would split it. */
function formWord(s: string): string {
  return /[;,"\\\s]/.test(s) ? `"${s.replace(/["\\]/g, (m) => `\\${m}`)}"` : s;
}

/** What the curl line replays. */
export interface CurlRequest {
  method: string;
  /** The full URL, already redacted. */
  url: string;
  /** Every header the case set (credentials included); sensitive ones become placeholders. */
  headers: Record<string, string>;
  body: CaseBody;
  /** The saved body, relative to the report folder. */
  file: string;
  /** Bytes of the saved body. */
  bodySize: number;
}

/** Bodies from this size on make curl ask for `Expect: 100-continue` (older curl: above 1 KiB; newer: 1 MiB). */
const CURL_EXPECT_THRESHOLD = 1024;

/**
 * The curl command that sends what the case sent, to the URL it was sent to, pasted into a clean
 * shell in the report folder: the URL is written in full (no variable a fresh shell lacks, and
 * credentials only ever go where the report says the case went), every header is shell-quoted,
 * sensitive ones read `"${SO_HEADER_X}"`, and the headers curl would add on its own (Accept,
 * User-Agent, a form Content-Type for a raw body without one, Expect) are set or dropped to match.
 */
export function curlLine(r: CurlRequest, redactor: Redactor): string {
  const args = ['curl', '-sS', '-i', '--http1.1', '--globoff', '--path-as-is', '-X', r.method, shq(r.url)];
  // The headers as the transport sends them: its User-Agent, the case's, the raw body's Content-Type.
  const sent: Record<string, string> = { 'user-agent': userAgent, ...lowerKeys(r.headers) };
  if (r.body.kind === 'raw' && r.body.contentType) sent['content-type'] = r.body.contentType;
  for (const [k, v] of Object.entries(sent)) args.push('-H', redactor.isSensitiveHeader(k) ? placeholderHeaderArg(k) : headerArg(k, redactor.text(v)));
  // Headers curl adds on its own that the case did not send.
  if (sent.accept === undefined) args.push('-H', dropHeaderArg('accept'));
  if (r.body.kind === 'raw') {
    if (sent['content-type'] === undefined) args.push('-H', dropHeaderArg('content-type'));
    if (r.bodySize >= CURL_EXPECT_THRESHOLD) args.push('-H', dropHeaderArg('expect'));
    args.push('--data-binary', shq(`@${r.file}`));
  } else {
    args.push('-H', dropHeaderArg('expect'));
    // A multipart body framed under a type of its own (e.g. `text/plain; boundary=...`): curl sends that
    // type and appends its own boundary parameter to it.
    if (r.body.framing) args.push('-H', headerArg('content-type', r.body.framing.mediaType));
    for (const p of r.body.parts) args.push('-F', shq(`${p.field}=@${formWord(r.file)};type=${formWord(p.contentType)};filename=${formWord(p.filename)}`));
  }
  return args.join(' ');
}

function lowerKeys(h: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
}

export interface CounterexampleInput {
  rule: string;
  message: string;
  c: Case;
  o: Observation;
  baseUrl: string;
  seed: number;
  runs: number;
  path?: string;
  reportDir: string;
  redactor: Redactor;
  /** The CLI options that name the target (without secrets), for the replay command. */
  targetArgs: string[];
}

const ext: Record<string, string> = { png: 'png', jpeg: 'jpg', gif: 'gif', tiff: 'tif' };

export async function buildCounterexample(x: CounterexampleInput): Promise<Counterexample> {
  const { c, o } = x;
  const sent: Record<string, string> = { 'user-agent': userAgent, [RUN_ID_HEADER]: '…', ...c.headers, ...c.authHeaders };
  const redactor = x.redactor.forExchange(sent);
  const bytes = c.body.kind === 'raw' ? c.body.bytes : (c.body.parts[0]?.bytes ?? new Uint8Array());
  const bodyType = c.body.kind === 'raw' ? c.body.contentType : c.body.parts[0]?.contentType;
  if (c.body.kind === 'raw' && c.body.contentType) sent['content-type'] = c.body.contentType;
  if (c.body.kind === 'multipart') sent['content-type'] = shownMultipartType(c.body.framing);

  const dir = join(x.reportDir, 'bodies');
  await mkdir(dir, { recursive: true });
  const format = sniffImageFormat(bytes);
  const file = `bodies/${x.rule}.${format ? ext[format] : 'bin'}`;
  await writeFile(join(x.reportDir, file), redactor.bytes(bytes));
  const body = preview(bytes, bodyType, redactor);
  body.file = file;

  const url = x.baseUrl + c.path;
  const curl = curlLine({ method: c.recipe.method, url: redactor.text(url), headers: { ...c.headers, ...c.authHeaders }, body: c.body, file, bodySize: bytes.length }, redactor);
  const replay = ['person-image-conformance', 'run', ...x.targetArgs, '--seed', String(x.seed), '--runs', String(x.runs), '--only', x.rule].join(' ');

  const ce: Counterexample = {
    description: redactor.text(c.description),
    message: redactor.text(x.message),
    request: { method: c.recipe.method, url: redactor.text(url), headers: redactor.headers(sent), body },
    curl,
    replay,
    seed: x.seed,
  };
  if (x.path) ce.path = x.path;
  if (o.status !== undefined) {
    const rt = o.headers['content-type'];
    ce.response = { status: o.status, headers: redactor.headers(o.headers), body: preview(o.body, rt, redactor), durationMs: Math.round(o.durationMs * 10) / 10 };
    if (ce.response.body && ce.response.body.size === 0) delete ce.response.body;
  } else if (o.error) {
    ce.error = redactor.text(`${o.error.code}: ${o.error.message}`);
  }
  return ce;
}
