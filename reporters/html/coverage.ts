/** Coverage: for each dimension, the cases per value, with a bar and the values never exercised. */
import { int, plural, text, trim } from './format.js';

function bar(value: number, max: number): string {
  const w = max > 0 ? Math.max(value > 0 ? 1 : 0, (value / max) * 100) : 0;
  return `<svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" focusable="false"><rect x="0" y="0" width="${trim(w, 2)}" height="10"></rect></svg>`;
}

function dimensionCard(dim: string, values: Record<string, number>): string {
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
}

export function renderCoverage(coverage: Record<string, Record<string, number>>): string {
  const dims = Object.entries(coverage);
  if (dims.length === 0) {
    return `<section id="coverage" aria-labelledby="coverage-h"><h2 id="coverage-h">Coverage</h2><p class="muted">No coverage was recorded.</p></section>`;
  }
  return (
    `<section id="coverage" aria-labelledby="coverage-h"><h2 id="coverage-h">Coverage</h2>` +
    `<p class="muted">What the generated cases exercised: for each dimension, the cases per value.</p>` +
    `<div class="cov-grid">${dims.map(([dim, values]) => dimensionCard(dim, values)).join('')}</div></section>`
  );
}
