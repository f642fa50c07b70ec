/** A counterexample: why it failed, the exchange (request and response), and how to replay it. */
import type { Counterexample, RecordedRequest, RecordedResponse } from '../../src/report/types.js';
import { renderBody } from './body.js';
import { ms, text, withoutCredentials } from './format.js';

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

/** A command with a Copy button (report.js copies the text of the element `id`). */
function codeBlock(id: string, label: string, content: string): string {
  return (
    `<div class="cmd"><div class="cmd-head"><h5 id="${id}-h">${label}</h5>` +
    `<button type="button" class="copy" data-copy="${id}" aria-describedby="${id}-h">Copy</button></div>` +
    `<pre tabindex="0" aria-labelledby="${id}-h"><code id="${id}">${text(content)}</code></pre></div>`
  );
}

export function renderCounterexample(cx: Counterexample, anchor: string): string {
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
