/** The verdict banner: the verdict, why the run stopped early, rules by status, totals, pact, integrity. */
import type { Report, RuleResult, RuleStatus, RunStop } from '../../src/report/types.js';
import { duration, int, plural, text } from './format.js';
import { embeddedWarning, statusMeta, statusOf, statusOrder, stopKindLabel, verdictMeta } from './status.js';

/** Why the run stopped early: the reason, the kind, after how many requests. */
function renderStop(stop: RunStop, notRun: number): string {
  const reason = stop.reason.trim().replace(/[.\s]+$/, '');
  return (
    `<p class="verdict-stop"><strong>The run stopped early:</strong> ${text(reason)} ` +
    `<span class="stop-meta">(${text(stopKindLabel(stop.kind))}: <code>${text(stop.kind)}</code>, after ${plural(stop.afterRequests, 'request')})</span>. ` +
    `Rules that did not finish are <em>not run</em>${notRun > 0 ? ` (${plural(notRun, 'rule')})` : ''}.</p>`
  );
}

/** The sentence under the verdict. */
function lead(report: Report, failed: RuleResult[]): string {
  const mustFails = failed.filter((r) => r.level === 'MUST').length;
  const shouldFails = failed.length - mustFails;
  const failText =
    failed.length === 0
      ? ''
      : `${plural(failed.length, 'rule')} failed${failed.length > 0 ? ` (${[mustFails ? `${int(mustFails)} MUST` : '', shouldFails ? `${int(shouldFails)} SHOULD` : ''].filter(Boolean).join(', ')})` : ''}`;
  return report.verdict === 'does-not-conform'
    ? `The target breaks at least one MUST rule. ${failText}.`
    : report.verdict === 'incomplete'
      ? `No MUST rule had failed when the run stopped, but not every rule could be judged: this is no verdict on the target${failText ? `; ${failText}` : ''}.`
      : report.verdict === 'conforms-with-warnings'
        ? `The target keeps every MUST rule, with warnings${failText ? `; ${failText}` : ''}.`
        : 'The target keeps every rule that was run.';
}

function pactLine(report: Report): string {
  if (!report.pact) return '';
  const failed = report.pact.filter((p) => p.status === 'fail').length;
  return `<p class="verdict-pact">Pact: ${failed === 0 ? `all ${plural(report.pact.length, 'pact file')} verified` : `${int(failed)} of ${plural(report.pact.length, 'pact file')} failed verification`}.</p>`;
}

/** The verdict section; `integrityBanner` is the tamper warning (empty for an untouched report). */
export function renderVerdict(report: Report, integrityBanner: string): string {
  const v = verdictMeta[report.verdict] ?? verdictMeta['does-not-conform'];
  const by: Record<RuleStatus, RuleResult[]> = { fail: [], warn: [], pass: [], 'not-run': [] };
  for (const r of report.rules) by[statusOf(r.status)].push(r);
  const counts = statusOrder
    .map((s) => `<li class="${s}"><span class="n">${int(by[s].length)}</span> ${statusMeta[s].label.toLowerCase()}</li>`)
    .join('');
  const cases = report.rules.reduce((a, r) => a + r.cases, 0);
  const embedded = report.target.embedded ? `<p class="verdict-embedded" role="note"><strong>${text(embeddedWarning)}</strong></p>` : '';
  return (
    `<section id="verdict" class="verdict ${v.cls}" aria-labelledby="verdict-h">` +
    `<h2 id="verdict-h" class="verdict-title"><span class="verdict-icon" aria-hidden="true">${v.icon}</span> ${v.label}</h2>` +
    embedded +
    `<p class="verdict-lead">${lead(report, by.fail)}</p>` +
    (report.stop ? renderStop(report.stop, by['not-run'].length) : '') +
    `<ul class="verdict-counts" aria-label="Rules by status">${counts}</ul>` +
    `<p class="verdict-sub">${plural(report.rules.length, 'rule')} · ${plural(cases, 'case')} · ${plural(report.requests, 'request')} · ${duration(report.durationMs)}</p>` +
    pactLine(report) +
    integrityBanner +
    `</section>`
  );
}
