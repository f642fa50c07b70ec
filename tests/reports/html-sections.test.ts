/**
 * report.html as section renderers (reporters/html/): each one escapes what it is given, the
 * page inlines report.css and report.js as they are on disk (the CSP hashes are of the inlined
 * bytes), and the page references nothing outside itself.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as entry from '../../reporters/html.js';
import { contentSecurityPolicy, render } from '../../reporters/html.js';
import { renderCoverage } from '../../reporters/html/coverage.js';
import { renderFindings } from '../../reporters/html/findings.js';
import { renderFooter, renderHead, renderTop, sectionList } from '../../reporters/html/header.js';
import { renderIntegrity } from '../../reporters/html/integrity.js';
import { renderLatency } from '../../reporters/html/latency.js';
import { renderNotes } from '../../reporters/html/notes.js';
import { renderPact } from '../../reporters/html/pact.js';
import { renderRules } from '../../reporters/html/rules.js';
import { renderTested } from '../../reporters/html/run-details.js';
import { renderVerdict } from '../../reporters/html/verdict.js';
import type { Report, RuleResult } from '../../src/report/types.js';
import { HOSTILE, failingReport, incompleteReport } from '../fixtures/reports.js';

const css = readFileSync(new URL('../../reporters/html/report.css', import.meta.url), 'utf8');
const js = readFileSync(new URL('../../reporters/html/report.js', import.meta.url), 'utf8');

/** A number field the report could carry as anything: the renderers must show it escaped. */
const n = HOSTILE as unknown as number;

/** A report whose every string (and the numbers shown as given) is HOSTILE, in the shapes the renderers walk. */
function hostileReport(): Report {
  const good = failingReport();
  const rules = good.rules.map((r) => ({
    ...r,
    id: r.id + HOSTILE,
    title: HOSTILE,
    level: HOSTILE,
    source: HOSTILE,
    message: HOSTILE,
    observations: { [HOSTILE]: 1 },
    counterexample: r.counterexample && {
      ...r.counterexample,
      description: HOSTILE,
      message: HOSTILE,
      curl: HOSTILE,
      replay: HOSTILE,
      path: HOSTILE,
      seed: n,
      error: HOSTILE,
      request: { method: HOSTILE, url: HOSTILE, headers: { [HOSTILE]: HOSTILE }, body: { size: 10, mediaType: HOSTILE, hex: HOSTILE, text: HOSTILE, file: HOSTILE } },
      response: r.counterexample.response && { ...r.counterexample.response, status: n, durationMs: n, headers: { [HOSTILE]: HOSTILE }, body: { size: 3, text: HOSTILE, mediaType: HOSTILE } },
    },
  }));
  return {
    ...good,
    tool: { name: HOSTILE, version: HOSTILE },
    spec: { file: HOSTILE, sha256: HOSTILE },
    seed: n,
    target: { url: `https://user:secret@evil.example/${HOSTILE}`, embedded: true },
    startedAt: HOSTILE,
    durationMs: n,
    requests: n,
    configuration: { ...good.configuration, rate: n, only: [HOSTILE], authSchemes: [HOSTILE], shard: HOSTILE, [HOSTILE]: HOSTILE } as unknown as Report['configuration'],
    rules: rules as unknown as RuleResult[],
    coverage: { [HOSTILE]: { [HOSTILE]: 3, [`${HOSTILE}2`]: 0 } },
    latency: { ...good.latency, p50: n, p95: n, p99: n, max: n },
    pact: good.pact!.map((p) => ({ ...p, file: HOSTILE, consumer: HOSTILE, provider: HOSTILE, interactions: p.interactions.map((i) => ({ ...i, description: HOSTILE, providerState: HOSTILE, message: HOSTILE })) })),
    stop: { kind: HOSTILE as never, reason: HOSTILE, afterRequests: n },
    restore: { outcome: 'failed', message: HOSTILE },
    shards: [{ shard: HOSTILE, startedAt: HOSTILE, durationMs: n, requests: n, sha256: HOSTILE }],
    notes: [HOSTILE],
    sha256: HOSTILE,
  };
}

/** The failed and warned rules of a report, each to its finding's id (as render() makes them). */
function anchorsOf(report: Report): Map<RuleResult, string> {
  const anchors = new Map<RuleResult, string>();
  report.rules.forEach((r, i) => {
    if (r.status === 'fail' || r.status === 'warn') anchors.set(r, `finding-${i + 1}`);
  });
  return anchors;
}

function expectEscaped(html: string): void {
  expect(html).toContain('&lt;script&gt;window.__pwned=1&lt;/script&gt;');
  expect(html).not.toMatch(/<script/i);
  expect(html).not.toContain('<img src=x');
  expect(html).not.toContain('onerror="');
  expect(html).not.toContain('</textarea>');
  expect(html).not.toContain('\u202E');
  expect(html).not.toContain('secret@');
}

/** The content between the first `<tag>` and `</tag>` of a page. */
function between(html: string, tag: string): string {
  const m = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(html);
  expect(m).not.toBeNull();
  return m![1]!;
}

const sha256 = (s: string): string => createHash('sha256').update(s, 'utf8').digest('base64');

describe('report.html section renderers', () => {
  const report = hostileReport();
  const anchors = anchorsOf(report);
  const sections: [string, () => string][] = [
    ['head', () => renderHead(report, HOSTILE)],
    ['header', () => renderTop(report, HOSTILE)],
    ['verdict', () => renderVerdict(report, '')],
    ['run details', () => renderTested(report, renderIntegrity(report).line)],
    ['rules table', () => renderRules(report, anchors)],
    ['findings and counterexamples', () => renderFindings(report, anchors)],
    ['coverage', () => renderCoverage(report.coverage)],
    ['latency', () => renderLatency(report.latency)],
    ['pact', () => renderPact(report.pact!)],
    ['notes', () => renderNotes(report.notes)],
    ['footer', () => renderFooter(report)],
  ];

  it.each(sections)('%s: every string it is given is escaped', (_name, renderSection) => {
    expectEscaped(renderSection().replace(/<style>[\s\S]*?<\/style>/, ''));
  });

  it('the whole hostile page has one script, its own', () => {
    const html = render(report);
    expect(html.match(/<script/gi)).toHaveLength(1);
    expect(between(html, 'script')).toBe(`\n${js}`);
  });

  it('the table of contents lists exactly the sections on the page', () => {
    for (const r of [failingReport(), incompleteReport()]) {
      const html = render(r);
      const onPage = [...html.matchAll(/<section id="([^"]+)"/g)].map((m) => m[1]);
      expect(onPage).toEqual(sectionList(r).map(([id]) => id));
      for (const id of onPage) expect(html).toContain(`<li><a href="#${id}">`);
    }
  });
});

describe('report.html assets', () => {
  const html = render(failingReport());

  it('inlines report.css and report.js as they are on disk, each on its own line after its tag', () => {
    expect(html.match(/<style/gi)).toHaveLength(1);
    expect(html.match(/<script/gi)).toHaveLength(1);
    expect(between(html, 'style')).toBe(`\n${css}`);
    expect(between(html, 'script')).toBe(`\n${js}`);
  });

  it('the CSP allows exactly the inlined style and script, by their sha256', () => {
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html);
    expect(meta?.[1]).toBe(contentSecurityPolicy);
    expect(contentSecurityPolicy).toContain(`style-src 'sha256-${sha256(between(html, 'style'))}';`);
    expect(contentSecurityPolicy).toContain(`script-src 'sha256-${sha256(between(html, 'script'))}';`);
    expect(contentSecurityPolicy).toContain("default-src 'none'");
  });

  it('references nothing outside the page: anchors, data: images and relative body files only', () => {
    expect(html).not.toMatch(/<(link|iframe|object|embed|base)\b/i);
    const refs = [...html.matchAll(/\s(?:src|href|action|srcset|poster)="([^"]*)"/gi)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(ref).toMatch(/^(#[\w-]+|data:image\/[a-z0-9.+-]+;base64,[A-Za-z0-9+/]*={0,2}|(?!\/)[A-Za-z0-9._\-/]+)$/);
  });

  it('the stylesheet loads nothing (no @import, no url()) and cannot end its element early', () => {
    expect(css).not.toMatch(/@import|url\(/i);
    expect(css.toLowerCase()).not.toContain('</style');
  });

  it('the script reaches no network and writes no markup', () => {
    expect(js).not.toMatch(/fetch\(|XMLHttpRequest|WebSocket|EventSource|sendBeacon|import\(|:\/\//);
    expect(js).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function/);
    expect(js.toLowerCase()).not.toContain('</script');
  });

  it('reporters/html.ts keeps the exports its importers use', () => {
    expect(Object.keys(entry).sort()).toEqual(['contentSecurityPolicy', 'embeddedWarning', 'escapeHtml', 'render', 'visible', 'withoutCredentials']);
  });
});
