/**
 * report.json -> reports/report.html: one self-contained page (inline CSS and JS, no network;
 * it opens from disk and from any static host), rendered by one small module per section.
 *
 * Everything shown comes from the Report; nothing here knows a rule, a dimension or a media
 * type by name. Every string of the report may hold bytes the target chose, so each one goes
 * through `text()` (format.ts: HTML escaping, control and bidi characters made visible) and
 * nothing from the report reaches the inline script (report.js). A Content-Security-Policy
 * allows only this page's own script and style (by hash) and data: images, as a second line
 * of defence (assets.ts).
 */
import type { Report, RuleResult } from '../../src/report/types.js';
import { inlineScript } from './assets.js';
import { renderBaseline } from './baseline.js';
import { resetBodyIds } from './body.js';
import { renderCoverage } from './coverage.js';
import { renderFindings } from './findings.js';
import { withoutCredentials } from './format.js';
import { renderFooter, renderHead, renderTop } from './header.js';
import { renderIntegrity } from './integrity.js';
import { renderLatency } from './latency.js';
import { renderPact } from './pact.js';
import { renderRules } from './rules.js';
import { renderTested } from './run-details.js';
import { renderVerdict } from './verdict.js';

export { contentSecurityPolicy } from './assets.js';
export { escapeHtml, visible, withoutCredentials } from './format.js';
export { embeddedWarning } from './status.js';

/** The id of each failed or warned rule's finding (`finding-N`, N its position in report.rules). */
function findingAnchors(report: Report): Map<RuleResult, string> {
  const anchors = new Map<RuleResult, string>();
  report.rules.forEach((r, i) => {
    if (r.status === 'fail' || r.status === 'warn') anchors.set(r, `finding-${i + 1}`);
  });
  return anchors;
}

/** Renders report.json as one self-contained HTML page. */
export function render(report: Report): string {
  resetBodyIds();
  const anchors = findingAnchors(report);
  const integrity = renderIntegrity(report);
  const targetUrl = withoutCredentials(report.target.url);
  return (
    renderHead(report, targetUrl) +
    `<body><a class="skip" href="#main">Skip to the report</a>` +
    renderTop(report, targetUrl) +
    `<main id="main" class="page">` +
    renderVerdict(report, integrity.banner) +
    renderTested(report, integrity.line) +
    renderRules(report, anchors) +
    renderFindings(report, anchors) +
    renderBaseline(report) +
    renderCoverage(report.coverage) +
    renderLatency(report.latency) +
    (report.pact ? renderPact(report.pact) : '') +
    `<p id="copy-status" class="sr-only" role="status" aria-live="polite"></p>` +
    `</main>` +
    renderFooter(report) +
    `<script>${inlineScript}</script>` +
    `</body></html>\n`
  );
}
