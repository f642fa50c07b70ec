/**
 * report.json -> reports/report.html: one self-contained page (inline CSS and JS, no network;
 * it opens from disk and from any static host).
 *
 * Everything shown comes from the Report; nothing here knows a rule, a dimension or a media
 * type by name. Every string of the report may hold bytes the target chose, so each one goes
 * through `text()` (HTML escaping, control and bidi characters made visible) and nothing from
 * the report reaches the inline script. A Content-Security-Policy allows only this page's own
 * script and style (by hash) and data: images, as a second line of defence.
 */
import { createHash } from 'node:crypto';
import { checkReport } from '../src/report/canonical.js';
import type {
  BodyPreview,
  Counterexample,
  ImageRestore,
  LatencySummary,
  PactResult,
  RecordedRequest,
  RecordedResponse,
  Report,
  RuleResult,
  RuleStatus,
  RunStop,
  StopKind,
  Verdict,
} from '../src/report/types.js';

// ---------------------------------------------------------------------------------------
// Escaping and formatting

const htmlEscapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Control characters (but tab and newline), bidi overrides and other invisible troublemakers. */
// eslint-disable-next-line no-control-regex
const invisible = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u200B-\u200F\u2028\u2029\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;

/** Shows control and bidi characters as `\xNN` / `\uNNNN` so target bytes cannot hide or reorder text. */
export function visible(s: string): string {
  return s.replace(invisible, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** HTML-escapes a string from the report (text and attribute values alike). */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => htmlEscapes[c] ?? c);
}

/** A report string, safe in element content and in quoted attribute values. */
function text(s: unknown): string {
  return escapeHtml(visible(String(s ?? '')));
}

/** A rule title: escaped, with `code spans` shown as code. */
function title(s: string): string {
  return text(s).replace(/`([^`]+)`/g, '<code>$1</code>');
}

function int(n: number): string {
  if (!Number.isFinite(n)) return text(n);
  const [whole, frac] = String(Math.abs(n)).split('.');
  const grouped = (whole ?? '0').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${n < 0 ? '−' : ''}${grouped}${frac ? `.${frac}` : ''}`;
}

function ms(v: number): string {
  if (!Number.isFinite(v)) return text(v);
  if (v >= 10_000) return `${trim(v / 1000, 1)} s`;
  if (v >= 1000) return `${trim(v / 1000, 2)} s`;
  if (v >= 10) return `${int(Math.round(v))} ms`;
  return `${trim(v, 1)} ms`;
}

function trim(v: number, digits: number): string {
  return String(Number(v.toFixed(digits)));
}

function duration(totalMs: number): string {
  if (!Number.isFinite(totalMs)) return text(totalMs);
  if (totalMs < 60_000) return ms(totalMs);
  const s = Math.round(totalMs / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return h > 0 ? `${h} h ${m} min ${sec} s` : `${m} min ${sec} s`;
}

/** A UTC date that does not depend on the reader's locale: 2026-11-26 17:43:12 UTC. */
function date(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return text(iso);
  return `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${int(n)} ${n === 1 ? one : many}`;
}

/** A URL with any user:password removed (the engine records none; this is a second guard). */
export function withoutCredentials(url: string): string {
  try {
    const u = new URL(url);
    if (u.username || u.password) {
      u.username = '';
      u.password = '';
      return u.toString();
    }
    return url;
  } catch {
    return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1');
  }
}

// ---------------------------------------------------------------------------------------
// Statuses

const statusMeta: Record<RuleStatus, { label: string; icon: string }> = {
  fail: { label: 'Fail', icon: '✗' },
  warn: { label: 'Warn', icon: '!' },
  pass: { label: 'Pass', icon: '✓' },
  'not-run': { label: 'Not run', icon: '–' },
};
const statusOrder: RuleStatus[] = ['fail', 'warn', 'pass', 'not-run'];

const verdictMeta: Record<Verdict, { label: string; icon: string; cls: string }> = {
  conforms: { label: 'Conforms', icon: '✓', cls: 'pass' },
  'conforms-with-warnings': { label: 'Conforms with warnings', icon: '!', cls: 'warn' },
  'does-not-conform': { label: 'Does not conform', icon: '✗', cls: 'fail' },
  incomplete: { label: 'Incomplete: the run stopped before it could judge every rule', icon: '■', cls: 'incomplete' },
};

/** Why a run stopped, in words (report.stop.kind). */
const stopKindLabels: Record<StopKind, string> = {
  'circuit-breaker': 'the circuit breaker tripped',
  'target-gone': 'the target went away',
  throttled: 'the target throttled the run',
  'credential-expired': 'the credentials expired',
  interrupted: 'the run was interrupted',
};

function stopKindLabel(kind: string): string {
  return Object.hasOwn(stopKindLabels, kind) ? stopKindLabels[kind as StopKind] : 'it stopped';
}

/** The line every report of the embedded reference target carries, so nobody hands one in by mistake. */
export const embeddedWarning =
  'Run against the embedded reference target, not an installation: this report certifies nothing about a SuperOffice installation.';

function statusOf(s: string): RuleStatus {
  return (statusOrder as string[]).includes(s) ? (s as RuleStatus) : 'not-run';
}

function badge(status: RuleStatus | 'pass' | 'fail'): string {
  const m = statusMeta[status];
  return `<span class="badge ${status}"><span aria-hidden="true">${m.icon}</span> ${m.label}</span>`;
}

// ---------------------------------------------------------------------------------------
// Bodies

const imageType = /^image\/[a-z0-9][a-z0-9.+-]*$/i;
const base64Text = /^[A-Za-z0-9+/]*={0,2}$/;
const hexText = /^(?:[0-9a-fA-F]{2})*$/;
const maxHexBytes = 4096;
const maxTextChars = 64 * 1024;

function sniffImageType(bytes: Buffer): string | undefined {
  const starts = (...sig: number[]): boolean => sig.every((b, i) => bytes[i] === b);
  if (starts(0x89, 0x50, 0x4e, 0x47)) return 'image/png';
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0x47, 0x49, 0x46, 0x38)) return 'image/gif';
  if (starts(0x49, 0x49, 0x2a, 0x00) || starts(0x4d, 0x4d, 0x00, 0x2a)) return 'image/tiff';
  if (starts(0x42, 0x4d)) return 'image/bmp';
  if (starts(0x52, 0x49, 0x46, 0x46) && bytes.subarray(8, 12).toString('latin1') === 'WEBP') return 'image/webp';
  return undefined;
}

/** `00000000  89 50 4e 47 ...  |.PNG....|` lines. */
function hexDump(bytes: Buffer): string {
  const lines: string[] = [];
  for (let off = 0; off < bytes.length; off += 16) {
    const row = bytes.subarray(off, off + 16);
    const hex = [...row].map((b) => b.toString(16).padStart(2, '0'));
    const left = hex.slice(0, 8).join(' ');
    const right = hex.slice(8).join(' ');
    const ascii = [...row].map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    lines.push(`${off.toString(16).padStart(8, '0')}  ${left.padEnd(23)}  ${right.padEnd(23)}  |${ascii}|`);
  }
  return lines.join('\n');
}

let uid = 0;

function renderBody(body: BodyPreview | undefined, label: string): string {
  if (!body) return `<p class="muted">No body.</p>`;
  const meta: string[] = [];
  if (body.mediaType) meta.push(`<code>${text(body.mediaType)}</code>`);
  meta.push(plural(body.size, 'byte'));
  if (body.file) {
    // Only a plain relative path becomes a link; anything else is shown as text.
    const safe = /^(?!\/)(?!.*(?:^|\/)\.\.(?:\/|$))[A-Za-z0-9._\-/]+$/.test(body.file);
    meta.push(safe ? `whole body: <a href="${text(body.file)}">${text(body.file)}</a>` : `whole body: <code>${text(body.file)}</code>`);
  }
  const parts: string[] = [`<p class="body-meta">${meta.join(' · ')}</p>`];
  if (body.size === 0) {
    parts.push(`<p class="muted">Empty body.</p>`);
    return `<div class="body">${parts.join('')}</div>`;
  }

  let imageBytes: Buffer | undefined;
  const b64 = body.imageBase64?.replace(/\s+/g, '');
  if (b64 && base64Text.test(b64)) imageBytes = Buffer.from(b64, 'base64');

  let hexBytes: Buffer | undefined;
  let hexRaw: string | undefined;
  if (imageBytes && imageBytes.length > 0) {
    // The whole body is here: its hex preview needs no separate field.
    hexBytes = imageBytes.subarray(0, 512);
  } else if (body.hex !== undefined) {
    const h = body.hex.replace(/[\s:]+/g, '');
    if (hexText.test(h)) hexBytes = Buffer.from(h, 'hex');
    else hexRaw = body.hex;
  }

  let thumb = '';
  if (imageBytes && imageBytes.length > 0) {
    const declared = body.mediaType?.split(';')[0]?.trim() ?? '';
    const type = imageType.test(declared) ? declared.toLowerCase() : (sniffImageType(imageBytes) ?? 'application/octet-stream');
    const id = `thumb-${++uid}`;
    thumb =
      `<figure class="thumb-fig">` +
      `<div class="thumb-box"><img class="thumb" id="${id}" src="data:${text(type)};base64,${b64 ?? ''}" alt="${text(`${label}: the image sent (${type}, ${body.size} bytes)`)}" data-type="${text(type)}"></div>` +
      `<figcaption><span class="thumb-note">${text(type)}</span> <span class="thumb-dim"></span></figcaption>` +
      `</figure>`;
  }

  let hex = '';
  if (hexBytes && hexBytes.length > 0) {
    const shown = hexBytes.subarray(0, maxHexBytes);
    const of = shown.length < body.size ? `first ${plural(shown.length, 'byte')} of ${int(body.size)}` : plural(shown.length, 'byte');
    const pre = `<pre class="hex" tabindex="0" aria-label="${text(`${label} body in hex`)}">${text(hexDump(shown))}</pre>`;
    hex = thumb
      ? `<details class="hexmore"><summary>Hex preview (${of})</summary>${pre}</details>`
      : `<p class="small muted">Hex preview (${of}):</p>${pre}`;
  } else if (hexRaw !== undefined) {
    hex = `<pre class="hex" tabindex="0">${text(hexRaw.slice(0, maxHexBytes * 3))}</pre>`;
  }

  let textPart = '';
  if (body.text !== undefined && body.text.length > 0) {
    const shown = body.text.slice(0, maxTextChars);
    const bytes = Buffer.byteLength(shown, 'utf8');
    const of = bytes < body.size ? ` (first ${plural(bytes, 'byte')} of ${int(body.size)})` : '';
    textPart = `<p class="small muted">As text${of}:</p><pre class="text" tabindex="0" aria-label="${text(`${label} body as text`)}">${text(shown)}</pre>`;
  }

  if (!thumb && !hex && !textPart) parts.push(`<p class="muted">No preview recorded.</p>`);
  parts.push(thumb, textPart, hex);
  return `<div class="body">${parts.join('')}</div>`;
}

function renderHeaders(headers: Record<string, string>, caption: string): string {
  const entries = Object.entries(headers);
  if (entries.length === 0) return `<p class="muted">No headers.</p>`;
  const rows = entries.map(([k, v]) => `<tr><th scope="row"><code>${text(k)}</code></th><td><code>${text(v)}</code></td></tr>`).join('');
  return `<table class="kv"><caption class="sr-only">${text(caption)}</caption><tbody>${rows}</tbody></table>`;
}

function renderRequest(req: RecordedRequest): string {
  return (
    `<div class="exchange-part"><h4>Request</h4>` +
    `<p class="reqline"><code><strong>${text(req.method)}</strong> ${text(withoutCredentials(req.url))}</code></p>` +
    `<h5>Headers</h5>${renderHeaders(req.headers, 'Request headers')}` +
    `<h5>Body</h5>${renderBody(req.body, 'Request')}` +
    `</div>`
  );
}

function renderResponse(res: RecordedResponse | undefined, error: string | undefined): string {
  if (!res) {
    return (
      `<div class="exchange-part"><h4>Response</h4>` +
      `<p class="error-line"><strong>No response.</strong> ${error ? text(error) : 'The connection dropped or timed out.'}</p></div>`
    );
  }
  const cls = res.status >= 500 ? 's5' : res.status >= 400 ? 's4' : res.status >= 200 && res.status < 300 ? 's2' : 's3';
  return (
    `<div class="exchange-part"><h4>Response</h4>` +
    `<p class="reqline"><code><strong class="code ${cls}">${text(res.status)}</strong></code> <span class="muted">after ${ms(res.durationMs)}</span></p>` +
    (error ? `<p class="error-line">${text(error)}</p>` : '') +
    `<h5>Headers</h5>${renderHeaders(res.headers, 'Response headers')}` +
    `<h5>Body</h5>${renderBody(res.body, 'Response')}` +
    `</div>`
  );
}

function codeBlock(id: string, label: string, content: string): string {
  return (
    `<div class="cmd"><div class="cmd-head"><h5 id="${id}-h">${label}</h5>` +
    `<button type="button" class="copy" data-copy="${id}" aria-describedby="${id}-h">Copy</button></div>` +
    `<pre tabindex="0" aria-labelledby="${id}-h"><code id="${id}">${text(content)}</code></pre></div>`
  );
}

function renderCounterexample(cx: Counterexample, anchor: string): string {
  return (
    `<dl class="facts">` +
    `<div><dt>Why it failed</dt><dd class="why">${text(cx.message)}</dd></div>` +
    `<div><dt>The case</dt><dd>${text(cx.description)}</dd></div>` +
    (cx.shrunk === false ? `<div><dt>Shrinking</dt><dd class="not-shrunk">not shrunk: the run stopped first; this is the first failing case as sent</dd></div>` : '') +
    `</dl>` +
    `<div class="exchange">${renderRequest(cx.request)}${renderResponse(cx.response, cx.error)}</div>` +
    `<div class="replay"><h4>Replay</h4>` +
    codeBlock(`${anchor}-curl`, 'curl', cx.curl) +
    codeBlock(`${anchor}-cli`, 'Command line', cx.replay) +
    `<p class="small muted">Seed <code>${text(cx.seed)}</code>${cx.path !== undefined ? ` · replay path <code>${text(cx.path)}</code>` : ''}. Credentials come from environment variables.</p>` +
    `</div>`
  );
}

// ---------------------------------------------------------------------------------------
// Sections

function renderVerdict(report: Report, integrity: string): string {
  const v = verdictMeta[report.verdict] ?? verdictMeta['does-not-conform'];
  const by: Record<RuleStatus, RuleResult[]> = { fail: [], warn: [], pass: [], 'not-run': [] };
  for (const r of report.rules) by[statusOf(r.status)].push(r);
  const mustFails = by.fail.filter((r) => r.level === 'MUST').length;
  const shouldFails = by.fail.length - mustFails;
  const failText =
    by.fail.length === 0
      ? ''
      : `${plural(by.fail.length, 'rule')} failed${by.fail.length > 0 ? ` (${[mustFails ? `${int(mustFails)} MUST` : '', shouldFails ? `${int(shouldFails)} SHOULD` : ''].filter(Boolean).join(', ')})` : ''}`;
  const counts = statusOrder
    .map((s) => `<li class="${s}"><span class="n">${int(by[s].length)}</span> ${statusMeta[s].label.toLowerCase()}</li>`)
    .join('');
  const cases = report.rules.reduce((a, r) => a + r.cases, 0);
  let pact = '';
  if (report.pact) {
    const failed = report.pact.filter((p) => p.status === 'fail').length;
    pact = `<p class="verdict-pact">Pact: ${failed === 0 ? `all ${plural(report.pact.length, 'pact file')} verified` : `${int(failed)} of ${plural(report.pact.length, 'pact file')} failed verification`}.</p>`;
  }
  const lead =
    report.verdict === 'does-not-conform'
      ? `The target breaks at least one MUST rule. ${failText}.`
      : report.verdict === 'incomplete'
        ? `No MUST rule had failed when the run stopped, but not every rule could be judged: this is no verdict on the target${failText ? `; ${failText}` : ''}.`
        : report.verdict === 'conforms-with-warnings'
          ? `The target keeps every MUST rule, with warnings${failText ? `; ${failText}` : ''}.`
          : 'The target keeps every rule that was run.';
  const embedded = report.target.embedded ? `<p class="verdict-embedded" role="note"><strong>${text(embeddedWarning)}</strong></p>` : '';
  return (
    `<section id="verdict" class="verdict ${v.cls}" aria-labelledby="verdict-h">` +
    `<h2 id="verdict-h" class="verdict-title"><span class="verdict-icon" aria-hidden="true">${v.icon}</span> ${v.label}</h2>` +
    embedded +
    `<p class="verdict-lead">${lead}</p>` +
    (report.stop ? renderStop(report.stop, by['not-run'].length) : '') +
    `<ul class="verdict-counts" aria-label="Rules by status">${counts}</ul>` +
    `<p class="verdict-sub">${plural(report.rules.length, 'rule')} · ${plural(cases, 'case')} · ${plural(report.requests, 'request')} · ${duration(report.durationMs)}</p>` +
    pact +
    integrity +
    `</section>`
  );
}

/** Why the run stopped early: the reason, the kind, after how many requests. */
function renderStop(stop: RunStop, notRun: number): string {
  const reason = stop.reason.trim().replace(/[.\s]+$/, '');
  return (
    `<p class="verdict-stop"><strong>The run stopped early:</strong> ${text(reason)} ` +
    `<span class="stop-meta">(${text(stopKindLabel(stop.kind))}: <code>${text(stop.kind)}</code>, after ${plural(stop.afterRequests, 'request')})</span>. ` +
    `Rules that did not finish are <em>not run</em>${notRun > 0 ? ` (${plural(notRun, 'rule')})` : ''}.</p>`
  );
}

/** What became of the person's image; a restore that failed is shown as a problem. */
function restoreLine(restore: ImageRestore): string {
  const message = restore.message ? ` <span class="restore-msg">${text(restore.message)}</span>` : '';
  switch (restore.outcome) {
    case 'restored':
      return `<span class="restore ok"><span aria-hidden="true">✓</span> Restored</span>${message}`;
    case 'removed':
      return `<span class="restore ok"><span aria-hidden="true">✓</span> Removed</span> <span class="small muted">(the person had none; the run's image was deleted)</span>${message}`;
    default:
      return (
        `<span class="restore failed"><span aria-hidden="true">✗</span> Not restored</span>${message}` +
        ` <strong class="bad-note">The person's image may have been left changed: check it on the target.</strong>`
      );
  }
}

function renderIntegrity(report: Report): { banner: string; line: string } {
  if (report.sha256 === undefined) {
    return { banner: '', line: `<span class="muted">not stamped</span>` };
  }
  const check = checkReport(report);
  if (check.status === 'untouched') {
    return { banner: '', line: `<code class="hash">${text(report.sha256)}</code> <span class="ok-note">(matches the content)</span>` };
  }
  return {
    banner: `<p class="tamper" role="alert"><strong>This report was changed after the run.</strong> Its content does not match its recorded sha256; do not rely on it.</p>`,
    line: `<code class="hash">${text(report.sha256)}</code> <strong class="bad-note">does not match the content (${text(check.actual)})</strong>`,
  };
}

const configLabels: Record<string, string> = {
  runs: 'Runs per property',
  concurrency: 'Concurrency',
  rate: 'Rate limit',
  timeoutMs: 'Timeout',
  only: 'Rules selected',
  authSchemes: 'Auth schemes',
  personId: 'Person id',
  shard: 'Shard',
};

function configValue(key: string, value: unknown): string {
  if (key === 'rate') return value === null ? 'unthrottled' : `${text(value)} requests/s`;
  if (key === 'timeoutMs' && typeof value === 'number') return ms(value);
  if (key === 'only' && Array.isArray(value)) return value.length === 0 ? 'all' : value.map((v) => `<code>${text(v)}</code>`).join(', ');
  if (Array.isArray(value)) return value.length === 0 ? '<span class="muted">none</span>' : value.map((v) => `<code>${text(v)}</code>`).join(', ');
  if (value === null || value === undefined) return '<span class="muted">not set</span>';
  if (typeof value === 'object') return `<code>${text(JSON.stringify(value))}</code>`;
  return text(value);
}

function renderTested(report: Report, integrityLine: string): string {
  const item = (label: string, value: string): string => `<div><dt>${label}</dt><dd>${value}</dd></div>`;
  const cfg = report.configuration as unknown as Record<string, unknown>;
  const known = Object.keys(configLabels).filter((k) => k in cfg);
  const extra = Object.keys(cfg).filter((k) => !(k in configLabels));
  const cfgItems = [...known, ...extra].map((k) => item(text(configLabels[k] ?? k), configValue(k, cfg[k]))).join('');
  let shards = '';
  if (report.shards && report.shards.length > 0) {
    const rows = report.shards
      .map(
        (s, i) =>
          `<tr><th scope="row">${s.shard !== undefined ? text(s.shard) : int(i + 1)}</th><td>${date(s.startedAt)}</td><td class="num">${duration(s.durationMs)}</td><td class="num">${int(s.requests)}</td><td>${s.sha256 ? `<code class="hash">${text(s.sha256.slice(0, 16))}…</code>` : '<span class="muted">—</span>'}</td></tr>`,
      )
      .join('');
    shards =
      `<h3>Merged from ${plural(report.shards.length, 'run')}</h3>` +
      `<table class="grid"><caption class="sr-only">The runs merged into this report</caption><thead><tr><th scope="col">Shard</th><th scope="col">Started</th><th scope="col">Duration</th><th scope="col">Requests</th><th scope="col">sha256</th></tr></thead><tbody>${rows}</tbody></table>`;
  }
  const notes =
    report.notes.length > 0 ? `<h3>Notes</h3><ul class="notes">${report.notes.map((n) => `<li>${text(n)}</li>`).join('')}</ul>` : '';
  return (
    `<section id="tested" aria-labelledby="tested-h"><h2 id="tested-h">What was tested</h2>` +
    `<div class="cols">` +
    `<dl class="facts">` +
    item('Target', `<code class="url">${text(withoutCredentials(report.target.url))}</code>${report.target.embedded ? ' <span class="tag embedded">embedded reference target: certifies nothing about an installation</span>' : ''}`) +
    item('Tool', `${text(report.tool.name)} <code>${text(report.tool.version)}</code>`) +
    item('Spec', `${text(report.spec.file)}<br><span class="small">sha256 <code class="hash">${text(report.spec.sha256)}</code></span>`) +
    item('Seed', `<code>${text(report.seed)}</code>`) +
    item('Started', date(report.startedAt)) +
    item('Duration', duration(report.durationMs)) +
    item('Requests', int(report.requests)) +
    (report.stop ? item('Stopped early', `${text(stopKindLabel(report.stop.kind))} (<code>${text(report.stop.kind)}</code>) after ${plural(report.stop.afterRequests, 'request')}`) : '') +
    (report.restore ? item("Person's image", restoreLine(report.restore)) : '') +
    item('Report sha256', integrityLine) +
    `</dl>` +
    `<div><h3 id="config-h">Configuration</h3><dl class="facts compact" aria-labelledby="config-h">${cfgItems}</dl></div>` +
    `</div>` +
    shards +
    notes +
    `</section>`
  );
}

function observations(obs: Record<string, number> | undefined): string {
  if (!obs) return '';
  const entries = Object.entries(obs);
  if (entries.length === 0) return '';
  return `<p class="obs">Observed: ${entries.map(([k, v]) => `<code>${text(k)}</code>&nbsp;×${int(v)}`).join(' · ')}</p>`;
}

function renderRules(report: Report, anchors: Map<RuleResult, string>): string {
  const total = report.rules.length;
  const countBy = (s: RuleStatus): number => report.rules.filter((r) => statusOf(r.status) === s).length;
  const radios = [
    `<label class="seg"><input type="radio" name="status-filter" value="all" checked><span>All <b>${int(total)}</b></span></label>`,
    ...statusOrder.map(
      (s) => `<label class="seg seg-${s}"><input type="radio" name="status-filter" value="${s}"><span>${statusMeta[s].label} <b>${int(countBy(s))}</b></span></label>`,
    ),
  ].join('');
  const rows = report.rules
    .map((r, i) => {
      const status = statusOf(r.status);
      const anchor = anchors.get(r);
      const link = anchor ? ` <a class="cx-link" href="#${anchor}">${status === 'warn' ? 'Warning details' : 'Counterexample'}<span class="sr-only"> for ${text(r.id)}</span></a>` : '';
      const msg = r.message && !anchor ? `<p class="msg">${text(r.message)}</p>` : '';
      return (
        `<tr id="rule-${i + 1}" data-status="${status}">` +
        `<th scope="row"><code>${text(r.id)}</code></th>` +
        `<td>${title(r.title)}${msg}${observations(r.observations)}${link}</td>` +
        `<td class="lvl"><span class="level ${r.level === 'MUST' ? 'must' : 'should'}">${text(r.level)}</span> <span class="src">${text(r.source)}</span></td>` +
        `<td>${badge(status)}</td>` +
        `<td class="num">${int(r.cases)}</td>` +
        `<td class="num${r.failures > 0 ? ' hot' : ''}">${int(r.failures)}</td>` +
        `<td class="num${r.warnings > 0 ? ' warm' : ''}">${int(r.warnings)}</td>` +
        `</tr>`
      );
    })
    .join('');
  return (
    `<section id="rules" aria-labelledby="rules-h"><h2 id="rules-h">Rules</h2>` +
    (report.stop ? `<p class="muted">The run stopped early: rules it did not finish are not run.</p>` : '') +
    `<fieldset class="filter"><legend>Show rules with status</legend><div class="segs">${radios}</div></fieldset>` +
    `<p id="filter-status" class="filter-status" role="status" aria-live="polite">Showing all ${plural(total, 'rule')}.</p>` +
    `<div class="table-wrap"><table id="rules-table" class="grid rules">` +
    `<caption class="sr-only">Rules with their level, status, cases and failures</caption>` +
    `<thead><tr><th scope="col">Rule</th><th scope="col">Title</th><th scope="col">Level</th><th scope="col">Status</th><th scope="col" class="num">Cases</th><th scope="col" class="num">Failures</th><th scope="col" class="num">Warnings</th></tr></thead>` +
    `<tbody>${rows}<tr id="rules-empty" class="empty" hidden><td colspan="7">No rule has this status.</td></tr></tbody>` +
    `</table></div></section>`
  );
}

function renderFindings(report: Report, anchors: Map<RuleResult, string>): string {
  const findings = report.rules
    .filter((r) => r.status === 'fail' || r.status === 'warn')
    .sort((a, b) => {
      const rank = (r: RuleResult): number => (r.status === 'fail' ? (r.level === 'MUST' ? 0 : 1) : 2);
      return rank(a) - rank(b);
    });
  if (findings.length === 0) {
    return (
      `<section id="findings" aria-labelledby="findings-h"><h2 id="findings-h">Failures and warnings</h2>` +
      `<p class="muted">None: no rule failed or warned.</p></section>`
    );
  }
  const items = findings
    .map((r) => {
      const anchor = anchors.get(r) ?? '';
      const status = statusOf(r.status);
      const body = r.counterexample
        ? (r.message && r.message !== r.counterexample.message ? `<p class="msg">${text(r.message)}</p>` : '') + renderCounterexample(r.counterexample, anchor)
        : `<p>${r.message ? text(r.message) : 'No counterexample was recorded.'}</p>${observations(r.observations)}`;
      return (
        `<details class="cx ${status}" id="${anchor}">` +
        `<summary><h3 class="cx-title">${badge(status)} <code>${text(r.id)}</code> <span class="cx-name">${title(r.title)}</span></h3>` +
        `<span class="cx-sub">${text(r.level)} · ${plural(r.failures, 'failure')}${r.warnings ? `, ${plural(r.warnings, 'warning')}` : ''} in ${plural(r.cases, 'case')}${r.counterexample?.shrunk === false ? ' · not shrunk: the run stopped first' : ''}</span></summary>` +
        `<div class="cx-body">${body}</div>` +
        `</details>`
      );
    })
    .join('');
  return (
    `<section id="findings" aria-labelledby="findings-h"><div class="section-head"><h2 id="findings-h">Failures and warnings</h2>` +
    `<button type="button" id="toggle-all" class="ghost" aria-expanded="false">Expand all</button></div>` +
    `<p class="muted">Each finding with its minimal counterexample: the smallest case that still breaks the rule, and how to replay it.${findings.some((r) => r.counterexample?.shrunk === false) ? ' A counterexample marked <em>not shrunk</em> is the first failing case as sent: the run stopped before it could be shrunk.' : ''}</p>` +
    items +
    `</section>`
  );
}

function bar(value: number, max: number): string {
  const w = max > 0 ? Math.max(value > 0 ? 1 : 0, (value / max) * 100) : 0;
  return `<svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" focusable="false"><rect x="0" y="0" width="${trim(w, 2)}" height="10"></rect></svg>`;
}

function renderCoverage(coverage: Record<string, Record<string, number>>): string {
  const dims = Object.entries(coverage);
  if (dims.length === 0) {
    return `<section id="coverage" aria-labelledby="coverage-h"><h2 id="coverage-h">Coverage</h2><p class="muted">No coverage was recorded.</p></section>`;
  }
  const tables = dims
    .map(([dim, values]) => {
      const entries = Object.entries(values);
      const max = Math.max(0, ...entries.map(([, n]) => n));
      const sum = entries.reduce((a, [, n]) => a + n, 0);
      const unexercised = entries.filter(([, n]) => n === 0).length;
      const rows = entries
        .map(
          ([value, n]) =>
            `<tr${n === 0 ? ' class="zero"' : ''}><th scope="row"><code>${text(value)}</code></th><td class="num">${int(n)}</td><td class="barcell">${n === 0 ? '<span class="zero-note">not exercised</span>' : bar(n, max)}</td></tr>`,
        )
        .join('');
      return (
        `<div class="cov-card"><table class="cov">` +
        `<caption><span class="cov-dim">${text(dim)}</span> <span class="cov-sum">${plural(entries.length, 'value')} · ${plural(sum, 'case')}${unexercised ? ` · <strong>${int(unexercised)} not exercised</strong>` : ''}</span></caption>` +
        `<thead><tr><th scope="col">Value</th><th scope="col" class="num">Cases</th><th scope="col"><span class="sr-only">Share of the largest</span></th></tr></thead>` +
        `<tbody>${rows}</tbody></table></div>`
      );
    })
    .join('');
  return (
    `<section id="coverage" aria-labelledby="coverage-h"><h2 id="coverage-h">Coverage</h2>` +
    `<p class="muted">What the generated cases exercised: for each dimension, the cases per value.</p>` +
    `<div class="cov-grid">${tables}</div></section>`
  );
}

function bucketLabels(l: LatencySummary): string[] {
  const n = l.counts.length;
  const openIndex = n > l.bucketsMs.length ? l.bucketsMs.length : l.bucketsMs.length - 1;
  return l.counts.map((_, i) => {
    if (i >= openIndex) {
      const prev = l.bucketsMs[i - 1];
      return prev === undefined ? 'all' : `> ${ms(prev)}`;
    }
    return `≤ ${ms(l.bucketsMs[i] ?? 0)}`;
  });
}

function bucketOf(l: LatencySummary, value: number): number {
  const openIndex = l.counts.length > l.bucketsMs.length ? l.bucketsMs.length : l.bucketsMs.length - 1;
  for (let i = 0; i < openIndex; i++) if (value <= (l.bucketsMs[i] ?? Infinity)) return i;
  return Math.max(0, l.counts.length - 1);
}

function renderHistogram(l: LatencySummary): string {
  const n = l.counts.length;
  if (n === 0) return '';
  const labels = bucketLabels(l);
  const W = 720;
  const H = 240;
  const left = 56;
  const right = 12;
  const top = 28;
  const bottom = 44;
  const plotW = W - left - right;
  const plotH = H - top - bottom;
  const maxCount = Math.max(1, ...l.counts);
  const step = plotW / n;
  const barW = Math.max(1, step * 0.78);
  const marks = new Map<number, string[]>();
  for (const [name, v] of [['p50', l.p50], ['p95', l.p95], ['p99', l.p99]] as const) {
    const b = bucketOf(l, v);
    marks.set(b, [...(marks.get(b) ?? []), name]);
  }
  const longest = Math.max(...labels.map((x) => x.length));
  const labelEvery = Math.max(1, Math.ceil((longest * 6.2 + 6) / step));
  const parts: string[] = [];
  for (const frac of [0, 0.5, 1]) {
    const y = top + plotH - frac * plotH;
    parts.push(`<line class="grid" x1="${left}" y1="${trim(y, 1)}" x2="${W - right}" y2="${trim(y, 1)}"></line>`);
    parts.push(`<text class="axis" x="${left - 6}" y="${trim(y + 4, 1)}" text-anchor="end">${int(Math.round(frac * maxCount))}</text>`);
  }
  l.counts.forEach((c, i) => {
    const h = (c / maxCount) * plotH;
    const x = left + i * step + (step - barW) / 2;
    const y = top + plotH - h;
    const mark = marks.get(i);
    parts.push(
      `<rect class="hbar${mark ? ' marked' : ''}" x="${trim(x, 1)}" y="${trim(y, 1)}" width="${trim(barW, 1)}" height="${trim(Math.max(h, c > 0 ? 1 : 0), 1)}"><title>${labels[i] ?? ''}: ${plural(c, 'request')}</title></rect>`,
    );
    if (mark) parts.push(`<text class="mark" x="${trim(x + barW / 2, 1)}" y="${trim(y - 6, 1)}" text-anchor="middle">${mark.join(' ')}</text>`);
    if (i % labelEvery === 0 || i === n - 1) {
      parts.push(`<text class="axis" x="${trim(x + barW / 2, 1)}" y="${H - bottom + 16}" text-anchor="middle">${labels[i] ?? ''}</text>`);
    }
  });
  parts.push(`<text class="axis" x="${left + plotW / 2}" y="${H - 6}" text-anchor="middle">response time (bucket upper bound) · darker bars hold the marked percentiles</text>`);
  const modal = l.counts.indexOf(Math.max(...l.counts));
  const desc = `Histogram of ${plural(l.count, 'response time')} in ${n} buckets; the fullest bucket is ${labels[modal] ?? ''} with ${plural(l.counts[modal] ?? 0, 'request')}. p50 ${ms(l.p50)}, p95 ${ms(l.p95)}, p99 ${ms(l.p99)}.`;
  const svg =
    `<svg class="hist" viewBox="0 0 ${W} ${H}" role="img" aria-labelledby="hist-title hist-desc">` +
    `<title id="hist-title">Response time histogram</title><desc id="hist-desc">${desc}</desc>` +
    parts.join('') +
    `</svg>`;
  const rows = l.counts.map((c, i) => `<tr><th scope="row">${labels[i] ?? ''}</th><td class="num">${int(c)}</td></tr>`).join('');
  return (
    svg +
    `<details class="histdata"><summary>Histogram as a table</summary>` +
    `<table class="grid narrow"><caption class="sr-only">Requests per response-time bucket</caption><thead><tr><th scope="col">Response time</th><th scope="col" class="num">Requests</th></tr></thead><tbody>${rows}</tbody></table></details>`
  );
}

function renderLatency(l: LatencySummary): string {
  if (l.count === 0) {
    return `<section id="latency" aria-labelledby="latency-h"><h2 id="latency-h">Latency</h2><p class="muted">No response times were measured.</p></section>`;
  }
  const stat = (label: string, value: string): string => `<div class="stat"><dt>${label}</dt><dd>${value}</dd></div>`;
  return (
    `<section id="latency" aria-labelledby="latency-h"><h2 id="latency-h">Latency</h2>` +
    `<p class="muted">The target's response times over ${plural(l.count, 'request')}.</p>` +
    `<dl class="stats">${stat('p50', ms(l.p50))}${stat('p95', ms(l.p95))}${stat('p99', ms(l.p99))}${stat('max', ms(l.max))}</dl>` +
    renderHistogram(l) +
    `</section>`
  );
}

function renderPact(pacts: PactResult[]): string {
  const interactions = pacts.reduce((a, p) => a + p.interactions.length, 0);
  const failedInteractions = pacts.reduce((a, p) => a + p.interactions.filter((i) => i.status === 'fail').length, 0);
  const cards = pacts
    .map((p) => {
      const rows = p.interactions
        .map(
          (i) =>
            `<tr data-status="${i.status === 'fail' ? 'fail' : 'pass'}"><td>${badge(i.status === 'fail' ? 'fail' : 'pass')}</td><th scope="row">${text(i.description)}</th><td>${i.providerState !== undefined ? text(i.providerState) : '<span class="muted">—</span>'}</td><td>${i.message !== undefined ? `<span class="msg">${text(i.message)}</span>` : ''}</td></tr>`,
        )
        .join('');
      return (
        `<article class="pact ${p.status === 'fail' ? 'fail' : 'pass'}">` +
        `<h3>${badge(p.status === 'fail' ? 'fail' : 'pass')} ${text(p.consumer)} <span aria-hidden="true">→</span><span class="sr-only">against</span> ${text(p.provider)}</h3>` +
        `<p class="small muted">Pact file <code>${text(p.file)}</code> · ${plural(p.interactions.length, 'interaction')}</p>` +
        (p.interactions.length > 0
          ? `<div class="table-wrap"><table class="grid"><caption class="sr-only">Interactions of ${text(p.file)}</caption><thead><tr><th scope="col">Status</th><th scope="col">Interaction</th><th scope="col">Provider state</th><th scope="col">Message</th></tr></thead><tbody>${rows}</tbody></table></div>`
          : '') +
        `</article>`
      );
    })
    .join('');
  return (
    `<section id="pact" aria-labelledby="pact-h"><h2 id="pact-h">Pact verification</h2>` +
    `<p class="muted">${plural(pacts.length, 'pact file')}, ${plural(interactions, 'interaction')}, ${int(failedInteractions)} failed.</p>` +
    cards +
    `</section>`
  );
}

// ---------------------------------------------------------------------------------------
// Page

const css = `
:root{--fg:#1f2328;--muted:#59636e;--bg:#fff;--soft:#f6f8fa;--line:#d1d9e0;--accent:#0550ae;
--fail:#82071e;--fail-bg:#ffebe9;--fail-line:#cf222e;--warn:#6c4400;--warn-bg:#fff8c5;--warn-line:#bf8700;
--pass:#0f5323;--pass-bg:#dafbe1;--pass-line:#1a7f37;--nr:#424a53;--nr-bg:#eaeef2;--nr-line:#818b98;
--mono:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Liberation Sans",Arial,sans-serif;color:var(--fg);background:var(--bg)}
code,pre{font-family:var(--mono);font-size:.86em}
code{overflow-wrap:anywhere}
a{color:var(--accent)}
:focus-visible{outline:3px solid #0969da;outline-offset:2px}
.sr-only{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap;border:0}
.skip{position:absolute;left:-999px;top:0;background:#fff;padding:.5rem 1rem;z-index:10}
.skip:focus{left:1rem}
.page{max-width:1180px;margin:0 auto;padding:0 1.25rem 3rem}
header.top{border-bottom:1px solid var(--line);background:var(--soft)}
header.top .page{padding-top:1.25rem;padding-bottom:1rem}
.eyebrow{margin:0;color:var(--muted);font-size:.85rem;letter-spacing:.02em}
h1{margin:.1rem 0 .2rem;font-size:1.7rem;line-height:1.25}
.target-line{margin:0;color:var(--muted)}
.target-line code{color:var(--fg);font-size:.95em}
nav.toc ul{list-style:none;display:flex;flex-wrap:wrap;gap:.25rem 1.1rem;margin:.75rem 0 0;padding:0;font-size:.9rem}
h2{font-size:1.3rem;margin:2.2rem 0 .75rem;padding-bottom:.3rem;border-bottom:1px solid var(--line)}
h3{font-size:1.05rem;margin:1.2rem 0 .5rem}
h4{font-size:.95rem;margin:.2rem 0 .5rem}
h5{font-size:.8rem;margin:.8rem 0 .3rem;text-transform:uppercase;letter-spacing:.04em;color:var(--muted)}
.muted{color:var(--muted)}
.small{font-size:.85rem}
.verdict{margin-top:1.5rem;border:1px solid;border-left-width:8px;border-radius:8px;padding:1rem 1.25rem;-webkit-print-color-adjust:exact;print-color-adjust:exact}
.verdict.fail{background:var(--fail-bg);border-color:var(--fail-line);color:var(--fail)}
.verdict.warn{background:var(--warn-bg);border-color:var(--warn-line);color:var(--warn)}
.verdict.pass{background:var(--pass-bg);border-color:var(--pass-line);color:var(--pass)}
.verdict.incomplete{background:var(--nr-bg);border-color:var(--nr-line);border-style:dashed dashed dashed solid;color:var(--nr)}
.verdict-title{margin:0;border:0;padding:0;font-size:1.9rem;display:flex;align-items:center;gap:.6rem}
.verdict-icon{display:inline-grid;place-items:center;width:2.3rem;height:2.3rem;border-radius:50%;background:currentColor;font-size:1.35rem;line-height:1}
.verdict-icon{color:inherit}
.verdict.fail .verdict-icon{background:var(--fail-line);color:#fff}
.verdict.warn .verdict-icon{background:var(--warn-line);color:#fff}
.verdict.pass .verdict-icon{background:var(--pass-line);color:#fff}
.verdict.incomplete .verdict-icon{background:var(--nr-line);color:#fff}
.verdict-stop{margin:.5rem 0;padding:.5rem .75rem;background:#fff;border:1px solid var(--line);border-radius:6px;color:var(--fg)}
.stop-meta{color:var(--muted)}
.verdict-embedded{margin:.6rem 0;padding:.6rem .8rem;background:#fff;border:2px dashed var(--accent);border-radius:6px;color:var(--accent);font-size:1.05rem}
.embedded-flag{color:var(--accent);font-size:.9rem}
.verdict-lead{margin:.5rem 0;font-size:1.05rem;color:var(--fg)}
.verdict-sub,.verdict-pact{margin:.25rem 0;color:var(--fg)}
.verdict-counts{list-style:none;display:flex;flex-wrap:wrap;gap:.5rem;margin:.6rem 0;padding:0}
.verdict-counts li{background:#fff;border:1px solid var(--line);border-radius:999px;padding:.1rem .75rem;color:var(--fg);font-size:.9rem}
.verdict-counts li .n{font-weight:700}
.verdict-counts li.fail .n{color:var(--fail)}.verdict-counts li.warn .n{color:var(--warn)}.verdict-counts li.pass .n{color:var(--pass)}
.tamper{margin:.75rem 0 0;padding:.6rem .8rem;background:#fff;border:2px solid var(--fail-line);color:var(--fail);border-radius:6px}
.bad-note{color:var(--fail)}.ok-note{color:var(--pass)}
.cols{display:grid;grid-template-columns:minmax(0,1.35fr) minmax(0,1fr);gap:1.5rem}
.cols h3{margin-top:0}
dl.facts{margin:0;display:grid;grid-template-columns:max-content minmax(0,1fr);gap:.35rem 1rem}
dl.facts>div{display:contents}
dl.facts dt{font-weight:600;color:var(--muted)}
dl.facts dd{margin:0;overflow-wrap:anywhere}
dl.facts.compact{font-size:.92rem}
.hash{font-size:.8em;word-break:break-all}
.tag{display:inline-block;font-size:.75rem;padding:0 .45rem;border-radius:4px;background:var(--nr-bg);color:var(--nr)}
.tag.embedded{background:#ddf4ff;color:var(--accent);font-weight:600}
.restore{font-weight:700}.restore.ok{color:var(--pass)}
.restore.failed{color:var(--fail);background:var(--fail-bg);border:1px solid var(--fail-line);border-radius:4px;padding:0 .4rem}
dd.not-shrunk{color:var(--warn);font-weight:600}
.notes{margin:.25rem 0;padding-left:1.25rem}
.filter{border:0;margin:0 0 .4rem;padding:0;display:none}
.js .filter{display:block}
.filter legend{font-weight:600;font-size:.9rem;margin-bottom:.35rem;padding:0}
.segs{display:inline-flex;flex-wrap:wrap;border:1px solid var(--line);border-radius:8px;overflow:hidden}
.seg{position:relative;cursor:pointer}
.seg input{position:absolute;opacity:0;inset:0;margin:0;cursor:pointer}
.seg span{display:block;padding:.35rem .9rem;border-right:1px solid var(--line);font-size:.9rem;background:#fff}
.seg:last-child span{border-right:0}
.seg span b{font-weight:600;color:var(--muted);margin-left:.2rem}
.seg input:checked+span{background:#0550ae;color:#fff}
.seg input:checked+span b{color:#fff}
.seg input:focus-visible+span{outline:3px solid #0969da;outline-offset:-3px}
.seg:hover span{background:var(--soft)}
.seg:hover input:checked+span{background:#033d8b}
.filter-status{margin:.2rem 0 .6rem;font-size:.88rem;color:var(--muted);min-height:1.3em}
.no-js .filter-status{display:none}
.table-wrap{overflow-x:auto}
table.grid{border-collapse:collapse;width:100%;font-size:.92rem}
table.grid th,table.grid td{border-bottom:1px solid var(--line);padding:.45rem .6rem;text-align:left;vertical-align:top}
table.grid thead th{background:var(--soft);font-size:.8rem;text-transform:uppercase;letter-spacing:.03em;color:var(--muted);position:sticky;top:0}
table.grid.narrow{width:auto;min-width:18rem}
table.rules tbody th{font-weight:400;white-space:nowrap}
table.rules tbody tr[data-status=fail]{background:#fff5f5}
table.rules tbody tr[data-status=warn]{background:#fffcea}
.num{text-align:right !important;font-variant-numeric:tabular-nums}
td.hot{color:var(--fail);font-weight:700}
td.warm{color:var(--warn);font-weight:700}
tr.empty td{text-align:center;color:var(--muted);padding:1rem}
.msg{margin:.25rem 0 0;font-size:.86rem;color:var(--muted)}
.obs{margin:.25rem 0 0;font-size:.82rem;color:var(--muted)}
.cx-link{display:block;width:max-content;margin-top:.15rem;font-size:.85rem}
.level{font-weight:700;font-size:.78rem;letter-spacing:.03em}
.level.must{color:var(--fg)}.level.should{color:var(--muted)}
.src{display:block;font-size:.78rem;color:var(--muted)}
td.lvl{white-space:nowrap}
.badge{display:inline-block;white-space:nowrap;font-size:.78rem;font-weight:700;padding:.05rem .5rem;border-radius:999px;border:1px solid;-webkit-print-color-adjust:exact;print-color-adjust:exact}
.badge.fail{color:var(--fail);background:var(--fail-bg);border-color:var(--fail-line)}
.badge.warn{color:var(--warn);background:var(--warn-bg);border-color:var(--warn-line)}
.badge.pass{color:var(--pass);background:var(--pass-bg);border-color:var(--pass-line)}
.badge.not-run{color:var(--nr);background:var(--nr-bg);border-color:var(--nr-line)}
.section-head{display:flex;align-items:baseline;justify-content:space-between;gap:1rem;border-bottom:1px solid var(--line);margin:2.2rem 0 .75rem}
.section-head h2{border:0;margin:0;padding-bottom:.3rem}
button{font:inherit;font-size:.85rem;border:1px solid var(--line);background:#fff;color:var(--fg);border-radius:6px;padding:.2rem .7rem;cursor:pointer}
button:hover{background:var(--soft)}
.no-js button{display:none}
details.cx{border:1px solid var(--line);border-left:6px solid var(--nr-line);border-radius:8px;margin:.75rem 0;background:#fff}
details.cx.fail{border-left-color:var(--fail-line)}
details.cx.warn{border-left-color:var(--warn-line)}
details.cx>summary{cursor:pointer;padding:.7rem 1rem .7rem 2.3rem;list-style:none;position:relative}
details.cx>summary::-webkit-details-marker{display:none}
details.cx>summary::before{content:"";position:absolute;left:.95rem;top:1.05rem;width:.5rem;height:.5rem;border-right:2px solid var(--muted);border-bottom:2px solid var(--muted);transform:rotate(-45deg);transition:transform .15s}
details.cx[open]>summary::before{transform:rotate(45deg)}
details.cx>summary:hover{background:var(--soft)}
details.cx[open]>summary{border-bottom:1px solid var(--line)}
.cx-title{display:inline;margin:0;font-size:1rem}
.cx-title code{font-size:.9em}
.cx-name{font-weight:400}
.cx-sub{display:block;font-size:.82rem;color:var(--muted);margin-top:.15rem}
.cx-body{padding:.9rem 1rem 1rem}
.cx-body>dl.facts{margin-bottom:1rem}
dd.why{font-weight:600;color:var(--fail)}
details.cx.warn dd.why{color:var(--warn)}
.exchange{display:grid;grid-template-columns:minmax(0,1fr);gap:.8rem}
.exchange-part{background:var(--soft);border:1px solid var(--line);border-radius:6px;padding:.7rem .8rem}
.reqline{margin:0 0 .25rem;overflow-wrap:anywhere}
.code{padding:0 .35rem;border-radius:4px;color:#fff}
.code.s2{background:var(--pass-line)}.code.s3{background:#6e7781}.code.s4{background:#9a6700}.code.s5{background:var(--fail-line)}
.error-line{color:var(--fail)}
table.kv{border-collapse:collapse;width:100%;font-size:.82rem}
table.kv th,table.kv td{text-align:left;vertical-align:top;padding:.15rem .4rem;border-bottom:1px solid var(--line)}
table.kv th{font-weight:600;white-space:nowrap;width:1%}
.body-meta{margin:0 0 .4rem;font-size:.85rem}
pre{margin:0;padding:.6rem .7rem;background:#fff;border:1px solid var(--line);border-radius:6px;overflow:auto;max-height:22rem;white-space:pre-wrap;overflow-wrap:anywhere}
pre.hex{white-space:pre;overflow-wrap:normal;font-size:.78rem}
.thumb-fig{margin:.2rem 0 .6rem;display:flex;align-items:center;gap:.8rem}
.thumb-box{width:168px;height:128px;border:1px solid var(--line);border-radius:6px;display:grid;place-items:center;background-color:#fff;background-image:linear-gradient(45deg,#e6e9ed 25%,transparent 25%),linear-gradient(-45deg,#e6e9ed 25%,transparent 25%),linear-gradient(45deg,transparent 75%,#e6e9ed 75%),linear-gradient(-45deg,transparent 75%,#e6e9ed 75%);background-size:16px 16px;background-position:0 0,0 8px,8px -8px,-8px 0}
.thumb{width:160px;height:120px;object-fit:contain;image-rendering:pixelated}
.thumb-fig figcaption{font-size:.82rem;color:var(--muted)}
.thumb-fig.broken .thumb-box{display:none}
.thumb-fig.broken figcaption{color:var(--fg)}
details.hexmore{margin-top:.4rem}
details.hexmore>summary,details.histdata>summary{cursor:pointer;font-size:.85rem;color:var(--accent)}
.replay{margin-top:1rem}
.cmd{margin:.4rem 0 .7rem}
.cmd-head{display:flex;align-items:center;justify-content:space-between}
.cmd-head h5{margin:.2rem 0}
.cmd pre{background:#0d1117;color:#e6edf3;border-color:#0d1117}
.cov-grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(330px,1fr));gap:1rem;align-items:start}
.cov-card{border:1px solid var(--line);border-radius:8px;padding:.6rem .8rem;break-inside:avoid}
table.cov{border-collapse:collapse;width:100%;font-size:.88rem}
table.cov caption{text-align:left;padding-bottom:.4rem}
.cov-dim{font-weight:700;display:block}
.cov-sum{font-size:.8rem;color:var(--muted)}
table.cov th,table.cov td{padding:.2rem .3rem;border-bottom:1px solid #eef1f4;text-align:left;font-weight:400}
table.cov thead th{font-size:.75rem;color:var(--muted);text-transform:uppercase;letter-spacing:.03em}
table.cov tbody th code{overflow-wrap:normal;word-break:normal}
table.cov td.num{white-space:nowrap;width:1%;padding-right:.6rem}
td.barcell{width:30%;vertical-align:middle}
svg.bar{display:block;width:100%;height:.7rem;background:#eef1f4;border-radius:2px}
svg.bar rect{fill:#0969da}
tr.zero th code,tr.zero td.num,.zero-note{color:var(--fail);font-weight:600}
.zero-note{font-size:.78rem;white-space:nowrap}
.stats{display:flex;flex-wrap:wrap;gap:.75rem;margin:0 0 1rem}
.stat{border:1px solid var(--line);border-radius:8px;padding:.5rem 1rem;min-width:7.5rem}
.stat dt{font-size:.78rem;text-transform:uppercase;letter-spacing:.04em;color:var(--muted)}
.stat dd{margin:0;font-size:1.35rem;font-weight:700;font-variant-numeric:tabular-nums}
svg.hist{display:block;width:100%;max-width:760px;height:auto}
svg.hist .grid{stroke:#d8dee4;stroke-width:1}
svg.hist .axis{font:11px system-ui,sans-serif;fill:#59636e}
svg.hist .hbar{fill:#54aeff}
svg.hist .hbar.marked{fill:#0550ae}
svg.hist .mark{font:600 11px system-ui,sans-serif;fill:#0550ae}
details.histdata{margin-top:.5rem}
article.pact{border:1px solid var(--line);border-radius:8px;padding:.2rem 1rem .8rem;margin:.8rem 0}
article.pact h3{margin:.7rem 0 .2rem}
footer.foot{margin-top:3rem;padding-top:1rem;border-top:1px solid var(--line);font-size:.85rem;color:var(--muted)}
@media screen and (max-width:760px){.cols{grid-template-columns:1fr}dl.facts{grid-template-columns:1fr}dl.facts dt{margin-top:.3rem}}
@media print{
@page{margin:14mm}
body{font-size:10pt}
.page{max-width:none;padding:0}
header.top{background:none}
nav.toc,.filter,.filter-status,.copy,#toggle-all,.skip,details.histdata>summary{display:none !important}
table.rules tbody tr[data-status]{display:table-row !important}
tr.empty{display:none !important}
details::details-content{content-visibility:visible !important;display:block !important}
details>summary{list-style:none}
details>summary::-webkit-details-marker{display:none}
details.cx{break-inside:auto;border-left-width:4px}
.cx-title,h2,h3,h4{break-after:avoid}
pre{max-height:none;overflow:visible;white-space:pre-wrap !important;overflow-wrap:anywhere !important}
pre.hex{font-size:7pt}
.cmd pre{background:#fff;color:#000;border-color:#999}
table.grid thead th{position:static}
table.grid{font-size:8.5pt}
table.grid th,table.grid td{padding:.25rem .35rem}
table.rules tbody th{white-space:normal}
table.rules tbody th code{overflow-wrap:anywhere}
.table-wrap{overflow:visible}
.cx-link{display:none}
details.cx>summary{padding-left:1rem}
details.cx>summary::before{display:none}
a{color:inherit;text-decoration:none}
.verdict,.badge,.stat,.cov-card,article.pact{break-inside:avoid}
}
`;

const script = `
(function () {
  'use strict';
  var root = document.documentElement;
  root.classList.remove('no-js');
  root.classList.add('js');
  var labels = { all: 'all', fail: 'fail', warn: 'warn', pass: 'pass', 'not-run': 'not run' };
  var rows = Array.prototype.slice.call(document.querySelectorAll('#rules-table tbody tr[data-status]'));
  var empty = document.getElementById('rules-empty');
  var live = document.getElementById('filter-status');
  function applyFilter(value) {
    var shown = 0;
    rows.forEach(function (row) {
      var show = value === 'all' || row.getAttribute('data-status') === value;
      row.hidden = !show;
      if (show) shown++;
    });
    if (empty) empty.hidden = shown !== 0;
    if (live) {
      live.textContent = value === 'all'
        ? 'Showing all ' + rows.length + (rows.length === 1 ? ' rule.' : ' rules.')
        : 'Showing ' + shown + ' of ' + rows.length + ' rules: status ' + labels[value] + '.';
    }
  }
  Array.prototype.forEach.call(document.querySelectorAll('input[name="status-filter"]'), function (input) {
    input.addEventListener('change', function () { if (input.checked) applyFilter(input.value); });
    if (input.checked && input.value !== 'all') applyFilter(input.value);
  });

  function thumbLoaded(img) {
    var fig = img.closest('figure');
    var dim = fig && fig.querySelector('.thumb-dim');
    if (dim && img.naturalWidth > 0) dim.textContent = '· ' + img.naturalWidth + ' × ' + img.naturalHeight + ' px';
  }
  function thumbBroken(img) {
    var fig = img.closest('figure');
    if (!fig || fig.classList.contains('broken')) return;
    fig.classList.add('broken');
    img.setAttribute('data-broken', 'true');
    var note = fig.querySelector('.thumb-note');
    if (note) note.textContent = 'This browser cannot display ' + (img.getAttribute('data-type') || 'this image') + ': the hex preview shows its bytes.';
    var body = fig.parentNode;
    var hex = body && body.querySelector('details.hexmore');
    if (hex) hex.open = true;
  }
  Array.prototype.forEach.call(document.querySelectorAll('img.thumb'), function (img) {
    img.addEventListener('load', function () { thumbLoaded(img); });
    img.addEventListener('error', function () { thumbBroken(img); });
    if (img.complete) { if (img.naturalWidth > 0) thumbLoaded(img); else thumbBroken(img); }
  });

  var toggle = document.getElementById('toggle-all');
  var cxs = Array.prototype.slice.call(document.querySelectorAll('details.cx'));
  function syncToggle() {
    if (!toggle) return;
    var allOpen = cxs.length > 0 && cxs.every(function (d) { return d.open; });
    toggle.textContent = allOpen ? 'Collapse all' : 'Expand all';
    toggle.setAttribute('aria-expanded', allOpen ? 'true' : 'false');
  }
  if (toggle) {
    toggle.addEventListener('click', function () {
      var open = toggle.getAttribute('aria-expanded') !== 'true';
      cxs.forEach(function (d) { d.open = open; });
      syncToggle();
    });
    cxs.forEach(function (d) { d.addEventListener('toggle', syncToggle); });
  }

  var copyLive = document.getElementById('copy-status');
  Array.prototype.forEach.call(document.querySelectorAll('button.copy'), function (button) {
    button.addEventListener('click', function () {
      var target = document.getElementById(button.getAttribute('data-copy') || '');
      if (!target) return;
      var value = target.textContent || '';
      function done(ok) {
        button.textContent = ok ? 'Copied' : 'Select and copy';
        if (copyLive) copyLive.textContent = ok ? 'Copied to the clipboard.' : 'Could not copy; the text is selected.';
        setTimeout(function () { button.textContent = 'Copy'; }, 2000);
      }
      function fallback() {
        var range = document.createRange();
        range.selectNodeContents(target);
        var sel = window.getSelection();
        if (sel) { sel.removeAllRanges(); sel.addRange(range); }
        var ok = false;
        try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
        done(ok);
      }
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(value).then(function () { done(true); }, fallback);
      } else fallback();
    });
  });

  function openFromHash() {
    var id = '';
    try { id = decodeURIComponent(location.hash.slice(1)); } catch (e) { id = ''; }
    var el = id ? document.getElementById(id) : null;
    if (el && el.tagName === 'DETAILS') el.open = true;
  }
  window.addEventListener('hashchange', openFromHash);
  openFromHash();

  var openedForPrint = [];
  window.addEventListener('beforeprint', function () {
    Array.prototype.forEach.call(document.querySelectorAll('details:not([open])'), function (d) { d.open = true; openedForPrint.push(d); });
  });
  window.addEventListener('afterprint', function () {
    openedForPrint.forEach(function (d) { d.open = false; });
    openedForPrint = [];
  });
})();
`;

function cspHash(source: string): string {
  return `'sha256-${createHash('sha256').update(source, 'utf8').digest('base64')}'`;
}

/** The Content-Security-Policy of the page: its own style and script only, images from data: URLs. */
export const contentSecurityPolicy = `default-src 'none'; style-src ${cspHash(css)}; script-src ${cspHash(script)}; img-src data:; base-uri 'none'; form-action 'none'`;

/** Renders report.json as one self-contained HTML page. */
export function render(report: Report): string {
  uid = 0;
  const anchors = new Map<RuleResult, string>();
  report.rules.forEach((r, i) => {
    if (r.status === 'fail' || r.status === 'warn') anchors.set(r, `finding-${i + 1}`);
  });
  const v = verdictMeta[report.verdict] ?? verdictMeta['does-not-conform'];
  const integrity = renderIntegrity(report);
  const targetUrl = withoutCredentials(report.target.url);
  const sections: [string, string][] = [
    ['verdict', 'Verdict'],
    ['tested', 'What was tested'],
    ['rules', 'Rules'],
    ['findings', 'Failures and warnings'],
    ['coverage', 'Coverage'],
    ['latency', 'Latency'],
  ];
  if (report.pact) sections.push(['pact', 'Pact verification']);
  const toc = `<nav class="toc" aria-label="Sections"><ul>${sections.map(([id, label]) => `<li><a href="#${id}">${label}</a></li>`).join('')}</ul></nav>`;
  return (
    `<!doctype html>\n<html lang="en" class="no-js"><head><meta charset="utf-8">` +
    `<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy}">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<meta name="referrer" content="no-referrer">` +
    `<meta name="color-scheme" content="light">` +
    `<meta name="generator" content="${text(`${report.tool.name} ${report.tool.version}`)}">` +
    `<title>${v.label} · ${text(report.tool.name)} report · ${report.target.embedded ? 'embedded reference target' : text(targetUrl)}</title>` +
    `<style>${css}</style></head>` +
    `<body><a class="skip" href="#main">Skip to the report</a>` +
    `<header class="top"><div class="page">` +
    `<p class="eyebrow">${text(report.tool.name)} ${text(report.tool.version)} · ${date(report.startedAt)}</p>` +
    `<h1>Conformance report</h1>` +
    `<p class="target-line">Target <code>${text(targetUrl)}</code>${report.target.embedded ? ' <strong class="embedded-flag">embedded reference target, not an installation</strong>' : ''}</p>` +
    toc +
    `</div></header>` +
    `<main id="main" class="page">` +
    renderVerdict(report, integrity.banner) +
    renderTested(report, integrity.line) +
    renderRules(report, anchors) +
    renderFindings(report, anchors) +
    renderCoverage(report.coverage) +
    renderLatency(report.latency) +
    (report.pact ? renderPact(report.pact) : '') +
    `<p id="copy-status" class="sr-only" role="status" aria-live="polite"></p>` +
    `</main>` +
    `<footer class="foot"><div class="page">Made by ${text(report.tool.name)} ${text(report.tool.version)} from report.json${report.sha256 ? ` (sha256 <code class="hash">${text(report.sha256)}</code>)` : ''}. ` +
    `Check that report.json is untouched with <code>${text(report.tool.name)} report --verify report.json</code>.</div></footer>` +
    `<script>${script}</script>` +
    `</body></html>\n`
  );
}
