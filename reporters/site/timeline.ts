/**
 * The verdicts of one target's runs over time: a strip of one mark per run (oldest first, each
 * linking to its report.html) and a table of the runs with their verdict, whether report.json is
 * untouched, seed, size, failures, latency and links to the run's report.html, report.json and
 * junit.xml.
 */
import type { Report, Verdict } from '../../src/report/types.js';
import { duration, int, ms, plural, text } from '../html/format.js';
import { stopKindLabel, verdictMeta } from '../html/status.js';
import { runHref, startOf, type SiteRun, type TargetGroup } from './runs.js';

/** Short verdict labels for the strip and the table, and the badge class of each. */
const verdictShort: Record<Verdict, { label: string; cls: string }> = {
  conforms: { label: 'Conforms', cls: 'pass' },
  'conforms-with-warnings': { label: 'Conforms with warnings', cls: 'warn' },
  'does-not-conform': { label: 'Does not conform', cls: 'fail' },
  incomplete: { label: 'Incomplete', cls: 'not-run' },
};

function verdictOf(report: Report): { label: string; cls: string; icon: string } {
  const v = verdictShort[report.verdict] ?? verdictShort['does-not-conform'];
  return { ...v, icon: (verdictMeta[report.verdict] ?? verdictMeta['does-not-conform']).icon };
}

/** A verdict as a badge. */
export function verdictBadge(report: Report): string {
  const v = verdictOf(report);
  return `<span class="badge ${v.cls}"><span aria-hidden="true">${v.icon}</span> ${v.label}</span>`;
}

/** One mark per run, oldest first, each a link to the run's report. */
function strip(runs: readonly SiteRun[]): string {
  const marks = runs.map((run, i) => {
    const v = verdictOf(run.report);
    const what = `Run ${i + 1}, ${startOf(run, 'full')}: ${v.label}`;
    return (
      `<li><a class="mark ${v.cls}" href="${runHref(run, 'report.html')}" data-run="${run.id}" data-verdict="${text(run.report.verdict)}" title="${what}">` +
      `<span aria-hidden="true">${v.icon}</span><span class="sr-only">${what}</span></a></li>`
    );
  });
  return `<ol class="timeline" aria-label="Verdict of each run, oldest first">${marks.join('')}</ol>`;
}

/** Failed and warned rules of a run: `2 MUST, 1 SHOULD failed · 1 warned`, or `none`. */
function findings(report: Report): string {
  const failed = report.rules.filter((r) => r.status === 'fail');
  const must = failed.filter((r) => r.level === 'MUST').length;
  const warned = report.rules.filter((r) => r.status === 'warn').length;
  const parts = [
    failed.length ? `<span class="bad-note">${[must ? `${int(must)} MUST` : '', failed.length - must ? `${int(failed.length - must)} SHOULD` : ''].filter(Boolean).join(', ')} failed</span>` : '',
    warned ? `<span class="warn-note">${int(warned)} warned</span>` : '',
  ].filter(Boolean);
  return parts.length ? parts.join(' · ') : '<span class="muted">none</span>';
}

/** What the run was: seed, cases per family, rules, requests, duration. */
function size(report: Report): string {
  const only = report.configuration.only.length === 0 ? 'all rules' : plural(report.configuration.only.length, 'rule');
  return `seed ${text(report.seed)} · ${int(report.configuration.runs)} cases per family, ${only} · ${plural(report.requests, 'request')} in ${duration(report.durationMs)}`;
}

function runRow(run: SiteRun, n: number): string {
  const r = run.report;
  const stop = r.stop ? `<span class="small muted stop-note">stopped: ${text(stopKindLabel(r.stop.kind))}</span>` : '';
  const integrity = run.untouched ? '<span class="ok-note">untouched</span>' : '<strong class="bad-note">edited after the run</strong>';
  const latency = r.latency.count > 0 ? `${ms(r.latency.p50)} / ${ms(r.latency.p95)}` : '<span class="muted">–</span>';
  const links = (['report.html', 'report.json', 'junit.xml'] as const).map((f) => `<a href="${runHref(run, f)}">${f}</a>`).join(' · ');
  return (
    `<tr data-run="${run.id}"><th scope="row">#${n}</th><td class="nowrap">${startOf(run, 'full')}</td><td>${verdictBadge(r)} ${stop}</td>` +
    `<td>${findings(r)}</td><td class="num nowrap">${latency}</td><td class="small">${size(r)}</td><td>${integrity}</td><td>${links}</td></tr>`
  );
}

/** The verdicts of one target's runs; `key` makes its ids unique on the page. */
export function renderTimeline(group: TargetGroup, key: string): string {
  const rows = group.runs.map((run, i) => runRow(run, i + 1)).join('');
  return (
    `<h3 id="${key}-runs-h">Verdicts over time</h3>${strip(group.runs)}` +
    `<div class="table-wrap"><table class="grid runs" id="${key}-runs" aria-labelledby="${key}-runs-h"><thead><tr>` +
    `<th scope="col">Run</th><th scope="col">Started</th><th scope="col">Verdict</th><th scope="col">Rules</th><th scope="col" class="num">p50 / p95</th>` +
    `<th scope="col">Size</th><th scope="col">report.json</th><th scope="col">Files</th></tr></thead>` +
    `<tbody>${rows}</tbody></table></div>`
  );
}
