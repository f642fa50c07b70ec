/**
 * The evidence of the proxy's findings, redacted like a run's: each finding's exchange as the
 * report records one (request and answer with previews of their bodies, secrets redacted), at most
 * MAX_FINDINGS of them, and the first finding of each rule as that rule's counterexample, with its
 * body saved beside the report and a curl line that replays it.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { HarExchange } from '../../reporters/har.js';
import { sniffImageFormat } from '../generate/images/media-types.js';
import type { Counterexample, RecordedRequest, RecordedResponse } from '../report/types.js';
import type { Finding } from '../run/judge.js';
import { curlLine, preview } from '../run/counterexample.js';
import { endToEndHeaders } from '../transport/forward.js';
import type { Observation } from '../transport/observation.js';
import type { Redactor } from '../transport/redact.js';
import { flatHeaders, type SeenExchange } from './exchange.js';

const MAX_FINDINGS = 200;
const ext: Record<string, string> = { png: 'png', jpeg: 'jpg', gif: 'gif', tiff: 'tif' };

/** One finding with its exchange, as report.json's `proxy.findings` and exchanges.har keep it. */
export interface FindingRecord {
  rule: string;
  severity: Finding['severity'];
  message: string;
  exchange: HarExchange;
}

function recordRequest(x: SeenExchange, origin: string, r: Redactor): RecordedRequest {
  const bytes = x.body.bytes;
  const rec: RecordedRequest = { method: x.method, url: r.text(origin + x.target), headers: r.headers(flatHeaders(x.headers)) };
  if (x.body.size > 0) rec.body = bytes ? preview(bytes, x.body.contentType, r) : { size: x.body.size, ...(x.body.contentType ? { mediaType: x.body.contentType } : {}) };
  return rec;
}

function recordResponse(o: Observation, r: Redactor): RecordedResponse | undefined {
  if (o.status === undefined) return undefined;
  const rec: RecordedResponse = { status: o.status, headers: r.headers(o.headers), durationMs: Math.round(o.durationMs * 10) / 10 };
  if (o.body.length > 0) rec.body = preview(o.body, o.headers['content-type'], r);
  return rec;
}

/** The exchange of a finding, redacted with the credentials it carried. */
export function findingRecord(f: Finding, x: SeenExchange, origin: string, redactor: Redactor): FindingRecord {
  const r = redactor.forExchange(flatHeaders(x.headers));
  const request = recordRequest(x, origin, r);
  // A thumbnail per finding would make the report grow with the traffic: only counterexamples keep one.
  if (request.body) delete request.body.imageBase64;
  const response = recordResponse(x.observation, r);
  if (response?.body) delete response.body.imageBase64;
  const error = x.observation.error ? r.text(`${x.observation.error.code}: ${x.observation.error.message}`) : undefined;
  const message = r.text(f.message);
  return {
    rule: f.rule,
    severity: f.severity,
    message,
    exchange: {
      startedDateTime: x.startedAt.toISOString(),
      request,
      ...(response ? { response } : {}),
      ...(error !== undefined ? { error, durationMs: x.observation.durationMs } : {}),
      comment: `${f.rule} (${f.severity}): ${message}`,
      custom: { _rule: f.rule, _severity: f.severity, _message: message, _exchange: x.index },
    },
  };
}

/** A bounded list of findings with their exchanges. */
export class FindingLog {
  readonly kept: FindingRecord[] = [];
  leftOut = 0;

  add(record: () => FindingRecord): void {
    if (this.kept.length >= MAX_FINDINGS) this.leftOut++;
    else this.kept.push(record());
  }
}

/** The first finding of a rule as its counterexample: the body saved in `bodies/`, a curl line that sends it again. */
export async function counterexampleOf(f: Finding, x: SeenExchange, origin: string, reportDir: string, redactor: Redactor): Promise<Counterexample> {
  const headers = flatHeaders(x.headers);
  const r = redactor.forExchange(headers);
  const bytes = x.body.bytes ?? Buffer.alloc(0);
  const file = `bodies/${f.rule}.${ext[sniffImageFormat(bytes) ?? ''] ?? 'bin'}`;
  if (x.body.size > 0 && x.body.bytes) {
    await mkdir(join(reportDir, 'bodies'), { recursive: true });
    await writeFile(join(reportDir, file), r.bytes(bytes));
  }
  const request = recordRequest(x, origin, r);
  if (request.body && x.body.bytes) request.body.file = file;
  const sent = flatHeaders(endToEndHeaders(x.headers));
  delete sent['content-length'];
  const url = r.text(origin + x.target);
  const curl = curlLine({ method: x.method, url, headers: sent, body: { kind: 'raw', bytes, ...(x.body.contentType ? { contentType: x.body.contentType } : {}) }, file, bodySize: bytes.length }, r);
  const response = recordResponse(x.observation, r);
  return {
    description: `${x.method} ${r.text(x.target)}: request ${x.index} through the proxy${x.body.size > 0 && !x.body.bytes ? ` (its ${x.body.size}-byte body was over the inspection limit and is not kept)` : ''}`,
    message: r.text(f.message),
    request,
    ...(response ? { response } : {}),
    ...(x.observation.error ? { error: r.text(`${x.observation.error.code}: ${x.observation.error.message}`) } : {}),
    curl,
    replay: 'a request of the integration, relayed by the proxy: send it again with the curl line, in the report folder',
    seed: 0,
    shrunk: false,
  };
}
