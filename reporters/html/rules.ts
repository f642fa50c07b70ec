/** The rules table with its status filter (report.js filters the rows). */
import type { Report, RuleResult, RuleStatus } from '../../src/report/types.js';
import { int, plural, text, title } from './format.js';
import { badge, statusMeta, statusOf, statusOrder } from './status.js';

/** What a rule observed (value -> count), e.g. the statuses a lenient check saw. */
export function observations(obs: Record<string, number> | undefined): string {
  if (!obs) return '';
  const entries = Object.entries(obs);
  if (entries.length === 0) return '';
  return `<p class="obs">Observed: ${entries.map(([k, v]) => `<code>${text(k)}</code>&nbsp;×${int(v)}`).join(' · ')}</p>`;
}

function filterRadios(report: Report): string {
  const total = report.rules.length;
  const countBy = (s: RuleStatus): number => report.rules.filter((r) => statusOf(r.status) === s).length;
  return [
    `<label class="seg"><input type="radio" name="status-filter" value="all" checked><span>All <b>${int(total)}</b></span></label>`,
    ...statusOrder.map(
      (s) => `<label class="seg seg-${s}"><input type="radio" name="status-filter" value="${s}"><span>${statusMeta[s].label} <b>${int(countBy(s))}</b></span></label>`,
    ),
  ].join('');
}

function ruleRow(r: RuleResult, i: number, anchor: string | undefined): string {
  const status = statusOf(r.status);
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
}

/** The rules section; `anchors` maps each failed or warned rule to its finding's id. */
export function renderRules(report: Report, anchors: Map<RuleResult, string>): string {
  const total = report.rules.length;
  const rows = report.rules.map((r, i) => ruleRow(r, i, anchors.get(r))).join('');
  return (
    `<section id="rules" aria-labelledby="rules-h"><h2 id="rules-h">Rules</h2>` +
    (report.stop ? `<p class="muted">The run stopped early: rules it did not finish are not run.</p>` : '') +
    `<fieldset class="filter"><legend>Show rules with status</legend><div class="segs">${filterRadios(report)}</div></fieldset>` +
    `<p id="filter-status" class="filter-status" role="status" aria-live="polite">Showing all ${plural(total, 'rule')}.</p>` +
    `<div class="table-wrap"><table id="rules-table" class="grid rules">` +
    `<caption class="sr-only">Rules with their level, status, cases and failures</caption>` +
    `<thead><tr><th scope="col">Rule</th><th scope="col">Title</th><th scope="col">Level</th><th scope="col">Status</th><th scope="col" class="num">Cases</th><th scope="col" class="num">Failures</th><th scope="col" class="num">Warnings</th></tr></thead>` +
    `<tbody>${rows}<tr id="rules-empty" class="empty" hidden><td colspan="7">No rule has this status.</td></tr></tbody>` +
    `</table></div></section>`
  );
}
