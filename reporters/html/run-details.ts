/** "What was tested": target, tool, spec, seed, timing, stop, the person's image, integrity, configuration, shards, notes. */
import type { ImageRestore, Report, ShardSummary } from '../../src/report/types.js';
import { date, duration, int, ms, plural, text, withoutCredentials } from './format.js';
import { renderNotes } from './notes.js';
import { stopKindLabel } from './status.js';

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

const item = (label: string, value: string): string => `<div><dt>${label}</dt><dd>${value}</dd></div>`;

/** The configuration: the known keys first, in their order, then any others. */
function configItems(report: Report): string {
  const cfg = report.configuration as unknown as Record<string, unknown>;
  const known = Object.keys(configLabels).filter((k) => k in cfg);
  const extra = Object.keys(cfg).filter((k) => !(k in configLabels));
  return [...known, ...extra].map((k) => item(text(configLabels[k] ?? k), configValue(k, cfg[k]))).join('');
}

function renderShards(shards: ShardSummary[] | undefined): string {
  if (!shards || shards.length === 0) return '';
  const rows = shards
    .map(
      (s, i) =>
        `<tr><th scope="row">${s.shard !== undefined ? text(s.shard) : int(i + 1)}</th><td>${date(s.startedAt)}</td><td class="num">${duration(s.durationMs)}</td><td class="num">${int(s.requests)}</td><td>${s.sha256 ? `<code class="hash">${text(s.sha256.slice(0, 16))}…</code>` : '<span class="muted">—</span>'}</td></tr>`,
    )
    .join('');
  return (
    `<h3>Merged from ${plural(shards.length, 'run')}</h3>` +
    `<table class="grid"><caption class="sr-only">The runs merged into this report</caption><thead><tr><th scope="col">Shard</th><th scope="col">Started</th><th scope="col">Duration</th><th scope="col">Requests</th><th scope="col">sha256</th></tr></thead><tbody>${rows}</tbody></table>`
  );
}

/** The run-details section; `integrityLine` is the "Report sha256" value. */
export function renderTested(report: Report, integrityLine: string): string {
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
    `<div><h3 id="config-h">Configuration</h3><dl class="facts compact" aria-labelledby="config-h">${configItems(report)}</dl></div>` +
    `</div>` +
    renderShards(report.shards) +
    renderNotes(report.notes) +
    `</section>`
  );
}
