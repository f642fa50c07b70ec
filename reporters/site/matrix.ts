/**
 * The rules x runs matrix of one target: a row per rule id, a column per run in time order (oldest
 * left), each cell the rule's status in that run (pass, warn, fail, not-run; empty when the run's
 * report does not have the rule), so one sees in which run a rule started failing. A failed or
 * warned cell links to the finding in that run's report.html. The "Now" column gives the newest
 * status and since which run it holds.
 */
import type { RuleResult, RuleStatus } from '../../src/report/types.js';
import { plural, text } from '../html/format.js';
import { badge, statusMeta, statusOf } from '../html/status.js';
import { runHref, startOf, type SiteRun, type TargetGroup } from './runs.js';

/** The rule ids of the group: the newest run's order first, then ids only older runs have. */
function ruleIds(runs: readonly SiteRun[]): string[] {
  const ids = new Set<string>();
  for (const run of [...runs].reverse()) for (const r of run.report.rules) ids.add(r.id);
  return [...ids];
}

/** Each run's rules by id, with their position in the report (report.html's `finding-N` anchors count from 1). */
function indexRules(run: SiteRun): Map<string, { rule: RuleResult; index: number }> {
  const byId = new Map<string, { rule: RuleResult; index: number }>();
  run.report.rules.forEach((rule, index) => {
    if (!byId.has(rule.id)) byId.set(rule.id, { rule, index });
  });
  return byId;
}

/** A column heading: the run's number in the group and its start, linking to its report. */
function columnHead(run: SiteRun, n: number): string {
  return (
    `<th scope="col" class="run-col" data-run="${run.id}">` +
    `<a href="${runHref(run, 'report.html')}" title="Run ${n}, ${startOf(run, 'full')}: ${text(run.report.verdict)}">#${n}<span class="col-date">${startOf(run, 'short')}</span></a></th>`
  );
}

function cell(run: SiteRun, n: number, id: string, found: { rule: RuleResult; index: number } | undefined): string {
  const where = `${text(id)} in run ${n} (${startOf(run, 'full')})`;
  if (!found) {
    return `<td class="cell absent" data-run="${run.id}" data-status="absent" title="${where}: not in this run's report"><span class="sr-only">not in this run</span></td>`;
  }
  const status = statusOf(found.rule.status);
  const label = statusMeta[status].label;
  const message = found.rule.message ? `: ${text(found.rule.message)}` : '';
  const mark = `<span aria-hidden="true">${statusMeta[status].icon}</span><span class="sr-only">${label}</span>`;
  const inner =
    status === 'fail' || status === 'warn'
      ? `<a href="${runHref(run, 'report.html')}#finding-${found.index + 1}">${mark}</a>`
      : mark;
  return `<td class="cell ${status}" data-run="${run.id}" data-status="${status}" title="${where}: ${label}${message}">${inner}</td>`;
}

/** The newest status of a rule and the run since which it has held (the streak's first run). */
function current(runs: readonly SiteRun[], cols: Map<string, { rule: RuleResult; index: number }>[], id: string): string {
  let last = runs.length - 1;
  while (last >= 0 && !cols[last]!.has(id)) last--;
  if (last < 0) return '';
  const status: RuleStatus = statusOf(cols[last]!.get(id)!.rule.status);
  let first = last;
  while (first > 0 && cols[first - 1]!.has(id) && statusOf(cols[first - 1]!.get(id)!.rule.status) === status) first--;
  const since = first === 0 && last === runs.length - 1 ? 'in every run' : `since run ${first + 1} (${startOf(runs[first]!, 'day')})`;
  const gone = runs.length - 1 - last;
  return `${badge(status)} <span class="since">${since}${gone > 0 ? `; not in the newest ${plural(gone, 'run')}` : ''}</span>`;
}

function row(group: TargetGroup, cols: Map<string, { rule: RuleResult; index: number }>[], id: string): string {
  const newest = [...cols].reverse().find((c) => c.has(id))!.get(id)!.rule;
  const cells = group.runs.map((run, i) => cell(run, i + 1, id, cols[i]!.get(id))).join('');
  return (
    `<tr data-rule="${text(id)}"><th scope="row" title="${text(newest.title)}"><code>${text(id)}</code> <span class="level ${newest.level === 'MUST' ? 'must' : 'should'}">${text(newest.level)}</span></th>` +
    `<td class="now">${current(group.runs, cols, id)}</td>${cells}</tr>`
  );
}

/** The matrix of one target's runs; `key` makes its ids unique on the page. */
export function renderMatrix(group: TargetGroup, key: string): string {
  const cols = group.runs.map(indexRules);
  const ids = ruleIds(group.runs);
  const head = `<tr><th scope="col">Rule</th><th scope="col">Now</th>${group.runs.map((run, i) => columnHead(run, i + 1)).join('')}</tr>`;
  return (
    `<h3 id="${key}-matrix-h">Rules × runs</h3>` +
    `<p class="muted small">${plural(ids.length, 'rule')} over ${plural(group.runs.length, 'run')}, oldest on the left. ✓ pass · ! warn · ✗ fail (links to the finding) · – not run · empty: not in that run's report.</p>` +
    `<div class="table-wrap matrix-wrap"><table class="grid matrix" id="${key}-matrix" aria-labelledby="${key}-matrix-h">` +
    `<thead>${head}</thead><tbody>${ids.map((id) => row(group, cols, id)).join('')}</tbody></table></div>`
  );
}
