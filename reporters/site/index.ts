/**
 * The site's index.html over many runs: per target (its URL, or the embedded reference target),
 * the verdict of every run over time (timeline.ts), the rules x runs matrix (matrix.ts) and the
 * latency trend (trend.ts), with relative links to each run's own files under runs/<id>/.
 *
 * One self-contained page: inline style, no script, nothing from the network, relative links
 * only, so it works from file:// and from any static host (GitHub Pages). Every string from a
 * report may hold bytes a target chose: each goes through `text()` (reporters/html/format.ts).
 */
import { toolName, toolVersion } from '../../src/version.js';
import { plural, text } from '../html/format.js';
import { embeddedWarning } from '../html/status.js';
import { siteContentSecurityPolicy, siteStyle } from './assets.js';
import { renderMatrix } from './matrix.js';
import { groupByTarget, startOf, type SiteRun, type TargetGroup } from './runs.js';
import { renderTimeline, verdictBadge } from './timeline.js';
import { renderTrend } from './trend.js';

function head(runs: number, targets: number): string {
  return (
    `<!doctype html>\n<html lang="en"><head><meta charset="utf-8">` +
    `<meta http-equiv="Content-Security-Policy" content="${siteContentSecurityPolicy}">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<meta name="referrer" content="no-referrer">` +
    `<meta name="color-scheme" content="light">` +
    `<meta name="generator" content="${text(`${toolName} ${toolVersion}`)}">` +
    `<title>Conformance history · ${plural(runs, 'run')} · ${plural(targets, 'target')}</title>` +
    `<style>${siteStyle}</style></head>`
  );
}

function targetName(group: TargetGroup): string {
  return group.embedded ? 'Embedded reference target' : `<code>${text(group.label)}</code>`;
}

/** The page header: the span of the history and one line per target with its newest verdict. */
function top(groups: readonly TargetGroup[], runs: readonly SiteRun[]): string {
  const dated = runs.filter((r) => Number.isFinite(r.time)).sort((a, b) => a.time - b.time);
  const span = dated.length > 0 ? ` · ${startOf(dated[0]!, 'day')} to ${startOf(dated[dated.length - 1]!, 'day')}` : '';
  const lines = groups.map((g, k) => {
    const newest = g.runs[g.runs.length - 1]!;
    return `<li><a href="#target-${k + 1}">${targetName(g)}</a> ${verdictBadge(newest.report)} <span class="small muted">newest of ${plural(g.runs.length, 'run')}, ${startOf(newest, 'full')}</span></li>`;
  });
  return (
    `<header class="top"><div class="page">` +
    `<p class="eyebrow">${text(toolName)} ${text(toolVersion)} · ${plural(runs.length, 'run')} of ${plural(groups.length, 'target')}${span}</p>` +
    `<h1>Conformance history</h1>` +
    `<nav aria-label="Targets"><ul class="targets">${lines.join('')}</ul></nav>` +
    `</div></header>`
  );
}

function section(group: TargetGroup, k: number): string {
  const key = `target-${k + 1}`;
  return (
    `<section class="target" id="${key}" aria-labelledby="${key}-h">` +
    `<h2 id="${key}-h">${targetName(group)}</h2>` +
    (group.embedded ? `<p class="verdict-embedded">${embeddedWarning}</p>` : '') +
    renderTimeline(group, key) +
    renderMatrix(group, key) +
    renderTrend(group, key) +
    `</section>`
  );
}

/** index.html over the runs (any order: they are grouped per target and put in time order). */
export function renderSite(runs: readonly SiteRun[]): string {
  const groups = groupByTarget(runs);
  return (
    head(runs.length, groups.length) +
    `<body><a class="skip" href="#main">Skip to the history</a>` +
    top(groups, runs) +
    `<main id="main" class="page">${groups.map(section).join('')}</main>` +
    `<footer class="foot"><div class="page">Made by ${text(toolName)} ${text(toolVersion)} (<code>report site</code>) from ${plural(runs.length, 'report.json file')}. ` +
    `Each run's report.html, report.json and junit.xml are in <code>runs/&lt;id&gt;/</code>; check that a report.json is untouched with ` +
    `<code>${text(toolName)} report --verify runs/&lt;id&gt;/report.json</code>.</div></footer>` +
    `</body></html>\n`
  );
}
