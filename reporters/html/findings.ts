/** Failures and warnings: one foldable finding per rule, with its counterexample. */
import type { Report, RuleResult } from '../../src/report/types.js';
import { renderCounterexample } from './counterexample.js';
import { plural, text, title } from './format.js';
import { observations } from './rules.js';
import { badge, statusOf } from './status.js';

function renderFinding(r: RuleResult, anchor: string): string {
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
}

/** The findings section: MUST failures first, then SHOULD failures, then warnings. */
export function renderFindings(report: Report, anchors: Map<RuleResult, string>): string {
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
  return (
    `<section id="findings" aria-labelledby="findings-h"><div class="section-head"><h2 id="findings-h">Failures and warnings</h2>` +
    `<button type="button" id="toggle-all" class="ghost" aria-expanded="false">Expand all</button></div>` +
    `<p class="muted">Each finding with its minimal counterexample: the smallest case that still breaks the rule, and how to replay it.${findings.some((r) => r.counterexample?.shrunk === false) ? ' A counterexample marked <em>not shrunk</em> is the first failing case as sent: the run stopped before it could be shrunk.' : ''}</p>` +
    findings.map((r) => renderFinding(r, anchors.get(r) ?? '')).join('') +
    `</section>`
  );
}
