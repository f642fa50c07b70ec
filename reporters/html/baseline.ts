/**
 * The baseline the run was given (report.baseline): each accepted finding, its reason and expiry,
 * the rule's status, and what the entry did: hid the rule's finding from the verdict, expired
 * (the finding counts again), or hid nothing (the rule did not fail or warn).
 */
import type { Report } from '../../src/report/types.js';
import { plural, text } from './format.js';
import { badge, statusOf } from './status.js';

type BaselineResult = NonNullable<Report['baseline']>[number];

function effect(e: BaselineResult): string {
  if (e.expired) return `<strong class="bad-note">Expired</strong>: the finding counts in the verdict again`;
  if (e.hidden) return `<strong>Accepted</strong>: shown, but not counted against the verdict`;
  return `<span class="muted">In force; nothing to hide</span>`;
}

export function renderBaseline(report: Report): string {
  const entries = report.baseline;
  if (!entries) return '';
  const status = new Map(report.rules.map((r) => [r.id, r.status]));
  const rows = entries
    .map((e) => {
      const s = status.get(e.rule);
      return (
        `<tr data-baseline="${e.expired ? 'expired' : e.hidden ? 'hidden' : 'idle'}"><th scope="row"><code>${text(e.rule)}</code></th>` +
        `<td>${s === undefined ? '<span class="muted">—</span>' : badge(statusOf(s))}</td><td>${text(e.reason)}</td>` +
        `<td><time datetime="${text(e.expires)}">${text(e.expires)}</time></td><td>${effect(e)}</td></tr>`
      );
    })
    .join('');
  const hidden = entries.filter((e) => e.hidden).length;
  const expired = entries.filter((e) => e.expired).length;
  return (
    `<section id="baseline" aria-labelledby="baseline-h"><h2 id="baseline-h">Baseline of accepted findings</h2>` +
    `<p class="muted">${plural(entries.length, 'entry', 'entries')}: ${plural(hidden, 'finding')} accepted, ${plural(expired, 'entry', 'entries')} expired. ` +
    `An accepted failure counts as a warning in the verdict until its entry expires.</p>` +
    (entries.length > 0
      ? `<div class="table-wrap"><table class="grid"><caption class="sr-only">Baseline entries</caption><thead><tr><th scope="col">Rule</th><th scope="col">Status</th><th scope="col">Reason</th><th scope="col">Expires</th><th scope="col">Effect</th></tr></thead><tbody>${rows}</tbody></table></div>`
      : '') +
    `</section>`
  );
}
