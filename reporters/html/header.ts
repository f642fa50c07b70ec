/** The document head (CSP, title, inline style), the page header with its table of contents, and the footer. */
import type { Report } from '../../src/report/types.js';
import { contentSecurityPolicy, inlineStyle } from './assets.js';
import { date, text } from './format.js';
import { verdictMeta } from './status.js';

/** `<!doctype html>` up to `</head>`; `targetUrl` is the target without credentials. */
export function renderHead(report: Report, targetUrl: string): string {
  const v = verdictMeta[report.verdict] ?? verdictMeta['does-not-conform'];
  return (
    `<!doctype html>\n<html lang="en" class="no-js"><head><meta charset="utf-8">` +
    `<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy}">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<meta name="referrer" content="no-referrer">` +
    `<meta name="color-scheme" content="light">` +
    `<meta name="generator" content="${text(`${report.tool.name} ${report.tool.version}`)}">` +
    `<title>${v.label} · ${text(report.tool.name)} report · ${report.target.embedded ? 'embedded reference target' : text(targetUrl)}</title>` +
    `<style>${inlineStyle}</style></head>`
  );
}

/** The sections of the page, for the table of contents: [id, label]. */
export function sectionList(report: Report): [string, string][] {
  const sections: [string, string][] = [
    ['verdict', 'Verdict'],
    ['tested', 'What was tested'],
    ['rules', 'Rules'],
    ['findings', 'Failures and warnings'],
    ['coverage', 'Coverage'],
    ['latency', 'Latency'],
  ];
  if (report.pact) sections.push(['pact', 'Pact verification']);
  return sections;
}

/** The page header: tool, date, target and the table of contents. */
export function renderTop(report: Report, targetUrl: string): string {
  const toc = `<nav class="toc" aria-label="Sections"><ul>${sectionList(report)
    .map(([id, label]) => `<li><a href="#${id}">${label}</a></li>`)
    .join('')}</ul></nav>`;
  return (
    `<header class="top"><div class="page">` +
    `<p class="eyebrow">${text(report.tool.name)} ${text(report.tool.version)} · ${date(report.startedAt)}</p>` +
    `<h1>Conformance report</h1>` +
    `<p class="target-line">Target <code>${text(targetUrl)}</code>${report.target.embedded ? ' <strong class="embedded-flag">embedded reference target, not an installation</strong>' : ''}</p>` +
    toc +
    `</div></header>`
  );
}

/** The footer: which report.json the page was made from and how to check it. */
export function renderFooter(report: Report): string {
  return (
    `<footer class="foot"><div class="page">Made by ${text(report.tool.name)} ${text(report.tool.version)} from report.json${report.sha256 ? ` (sha256 <code class="hash">${text(report.sha256)}</code>)` : ''}. ` +
    `Check that report.json is untouched with <code>${text(report.tool.name)} report --verify report.json</code>.</div></footer>`
  );
}
