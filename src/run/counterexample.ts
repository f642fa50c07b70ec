/**
 * Turns a failing case into the report's counterexample: the request and response with every
 * secret redacted, the body saved beside the report, a curl replay whose credentials come from
 * environment placeholders, and the CLI command that replays the case.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Case } from '../generate/case.js';
import { sniffImageFormat } from '../generate/images/media-types.js';
import type { BodyPreview, Counterexample } from '../report/types.js';
import type { Redactor } from '../transport/redact.js';
import type { Observation } from '../transport/observation.js';
import { RUN_ID_HEADER } from '../transport/client.js';
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
  if (sniffImageFormat(bytes) && bytes.length <= THUMBNAIL_MAX) p.imageBase64 = Buffer.from(bytes).toString('base64');
  return p;
}

/** Shell-quotes a string for POSIX sh. */
export function shq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Environment variable that stands for a sensitive header in a replay. */
export function placeholderFor(header: string): string {
  return `SO_HEADER_${header.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
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
  const { c, o, redactor } = x;
  const sent: Record<string, string> = { 'user-agent': userAgent, [RUN_ID_HEADER]: '…', ...c.headers, ...c.authHeaders };
  const bytes = c.body.kind === 'raw' ? c.body.bytes : (c.body.parts[0]?.bytes ?? new Uint8Array());
  const bodyType = c.body.kind === 'raw' ? c.body.contentType : c.body.parts[0]?.contentType;
  if (c.body.kind === 'raw' && c.body.contentType) sent['content-type'] = c.body.contentType;
  if (c.body.kind === 'multipart') sent['content-type'] = 'multipart/form-data; boundary=…';

  const dir = join(x.reportDir, 'bodies');
  await mkdir(dir, { recursive: true });
  const format = sniffImageFormat(bytes);
  const file = `bodies/${x.rule}.${format ? ext[format] : 'bin'}`;
  await writeFile(join(x.reportDir, file), redactor.bytes(bytes));
  const body = preview(bytes, bodyType, redactor);
  body.file = file;

  const url = x.baseUrl + c.path;
  const curl = ['curl', '-sS', '-i', '-X', c.recipe.method, `"$SO_TARGET"${shq(c.path)}`];
  for (const [k, v] of Object.entries({ ...c.headers, ...c.authHeaders })) {
    if (redactor.isSensitiveHeader(k)) curl.push('-H', `"${k}: \${${placeholderFor(k)}}"`);
    else curl.push('-H', shq(`${k}: ${redactor.text(v)}`));
  }
  if (c.body.kind === 'raw') {
    if (c.body.contentType) curl.push('-H', shq(`content-type: ${c.body.contentType}`));
    curl.push('--data-binary', shq(`@${file}`));
  } else {
    for (const p of c.body.parts) curl.push('-F', shq(`${p.field}=@${file};type=${p.contentType};filename=${p.filename}`));
  }
  const replay = ['person-image-conformance', 'run', ...x.targetArgs, '--seed', String(x.seed), '--runs', String(x.runs), '--only', x.rule].join(' ');

  const ce: Counterexample = {
    description: redactor.text(c.description),
    message: redactor.text(x.message),
    request: { method: c.recipe.method, url: redactor.text(url), headers: redactor.headers(sent), body },
    curl: `SO_TARGET=${shq(x.baseUrl)} ${curl.join(' ')}`,
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
