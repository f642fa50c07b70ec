/** Pact verification: one card per pact file with its interactions. */
import type { PactResult } from '../../src/report/types.js';
import { int, plural, text } from './format.js';
import { badge } from './status.js';

function renderPactFile(p: PactResult): string {
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
}

export function renderPact(pacts: PactResult[]): string {
  const interactions = pacts.reduce((a, p) => a + p.interactions.length, 0);
  const failedInteractions = pacts.reduce((a, p) => a + p.interactions.filter((i) => i.status === 'fail').length, 0);
  return (
    `<section id="pact" aria-labelledby="pact-h"><h2 id="pact-h">Pact verification</h2>` +
    `<p class="muted">${plural(pacts.length, 'pact file')}, ${plural(interactions, 'interaction')}, ${int(failedInteractions)} failed.</p>` +
    pacts.map(renderPactFile).join('') +
    `</section>`
  );
}
