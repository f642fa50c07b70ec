/**
 * The site's index.html, rendered from report fixtures (no files, no browser): run ids, grouping
 * per target in time order, the rules x runs matrix (which run a rule started failing in), the
 * latency trend, escaping of everything a report holds, and a page that loads nothing and links
 * only relatively. The browser test (site-browser.test.ts) opens a real site; the command's
 * files and errors are in site-command.test.ts.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { renderSite } from '../../reporters/site/index.js';
import { groupByTarget, siteRun, type SiteRun } from '../../reporters/site/runs.js';
import { stampReport } from '../../src/report/canonical.js';
import type { Report } from '../../src/report/types.js';
import { HOSTILE, conformingReport, embeddedReport, failingReport, incompleteReport } from '../fixtures/reports.js';

const INSTALLATION = 'https://demo.example.com/Cust12345/api/v1';

function at(report: Report, startedAt: string): Report {
  report.startedAt = startedAt;
  return stampReport(report);
}

/** Three nightly runs of one installation: conforming, then a MUST failure, then fixed but one rule stopped early. */
function nightly(): { good: SiteRun; broken: SiteRun; later: SiteRun } {
  return {
    good: siteRun(at(conformingReport(), '2026-11-28T03:00:00.000Z'), 'good/report.json'),
    broken: siteRun(at(failingReport(), '2026-11-29T03:00:00.000Z'), 'broken/report.json'),
    later: siteRun(at(incompleteReport(), '2026-11-30T03:00:00.000Z'), 'later/report.json'),
  };
}

/** The `<tr>` of a rule in the matrix of `section` (target-N). */
function matrixRow(html: string, section: string, rule: string): string {
  const table = html.slice(html.indexOf(`id="${section}-matrix"`));
  const start = table.indexOf(`<tr data-rule="${rule}">`);
  expect(start, `no row for ${rule}`).toBeGreaterThan(-1);
  return table.slice(start, table.indexOf('</tr>', start));
}

/** [run id, status] of each cell of a matrix row, left to right. */
function cells(row: string): [string, string][] {
  return [...row.matchAll(/<td class="cell [^"]*" data-run="([^"]+)" data-status="([^"]+)"/g)].map((m) => [m[1]!, m[2]!]);
}

describe('site runs', () => {
  it('a run id is digits of its start and hex of its content, whatever the report says; the same content, the same id', () => {
    const report = at(conformingReport(), '2026-11-30T03:15:07.120Z');
    const run = siteRun(report, 'a/report.json');
    expect(run.id).toMatch(/^20261130-031507-[0-9a-f]{8}$/);
    expect(run.untouched).toBe(true);
    expect(siteRun(structuredClone(report), 'b/report.json').id).toBe(run.id);

    const hostile = conformingReport();
    hostile.startedAt = `2026-13-45T99:99${HOSTILE}/../..`; // passes the schema's pattern, is no date
    const odd = siteRun(hostile, 'c/report.json');
    expect(odd.id).toMatch(/^20261345-9999\d{2}-[0-9a-f]{8}$/);
    expect(odd.untouched).toBe(false); // never stamped

    const edited = at(conformingReport(), '2026-11-30T03:15:07.120Z');
    edited.rules[0]!.status = 'fail';
    expect(siteRun(edited, 'd/report.json')).toMatchObject({ untouched: false });
    expect(siteRun(edited, 'd/report.json').id).not.toBe(run.id);
  });

  it('groups per target: installations by URL (credentials dropped), every embedded run in one group last; each oldest first', () => {
    const { good, broken, later } = nightly();
    const e1 = siteRun(at(embeddedReport(), '2026-11-27T01:00:00.000Z'), 'e1/report.json');
    const other = embeddedReport();
    other.target = { url: 'http://127.0.0.1:50123/api/v1', embedded: true }; // another port, the same embedded target
    const e2 = siteRun(at(other, '2026-11-26T01:00:00.000Z'), 'e2/report.json');
    const creds = conformingReport();
    creds.target = { url: 'https://user:secret@crm.example.com/SuperOffice/api/v1', embedded: false };
    const c = siteRun(at(creds, '2026-11-25T01:00:00.000Z'), 'c/report.json');

    const groups = groupByTarget([later, e1, broken, c, good, e2]);
    expect(groups.map((g) => g.label)).toEqual(['https://crm.example.com/SuperOffice/api/v1', INSTALLATION, 'embedded reference target']);
    expect(groups[1]!.runs).toEqual([good, broken, later]);
    expect(groups[2]!.runs).toEqual([e2, e1]);
    expect(groups[2]!.embedded).toBe(true);
  });
});

describe('site index.html', () => {
  it('the matrix shows in which run a rule started failing, each failure linking to its finding', () => {
    const { good, broken, later } = nightly();
    const html = renderSite([later, good, broken]);
    const columns = [...html.matchAll(/<th scope="col" class="run-col" data-run="([^"]+)">/g)].map((m) => m[1]);
    expect(columns).toEqual([good.id, broken.id, later.id]);

    const raw = matrixRow(html, 'target-1', 'valid-raw-upload');
    expect(cells(raw)).toEqual([
      [good.id, 'pass'],
      [broken.id, 'fail'],
      [later.id, 'pass'],
    ]);
    // valid-raw-upload is the first rule of the failing report: report.html's #finding-1.
    expect(raw).toContain(`<a href="runs/${broken.id}/report.html#finding-1">`);
    expect(raw).toContain('since run 3 (2026-11-30)');

    const damaged = matrixRow(html, 'target-1', 'damaged-image-rejected');
    expect(cells(damaged).map((c) => c[1])).toEqual(['pass', 'fail', 'not-run']);
    expect(matrixRow(html, 'target-1', 'empty-body-rejected')).toContain('in every run');
    const warned = matrixRow(html, 'target-1', 'person-id-unknown-rejected');
    expect(cells(warned).map((c) => c[1])).toEqual(['pass', 'warn', 'not-run']);
    expect(warned).toContain(`title="person-id-unknown-rejected in run 2 (2026-11-29 03:00:00 UTC): Warn: got 404 where 400 is documented"`);
  });

  it('a rule only some runs have: the newest run\'s rules first, cells of runs without it empty', () => {
    const { good, broken } = nightly();
    const renamed = failingReport();
    renamed.rules = renamed.rules.filter((r) => r.id !== 'blob-id-positive');
    renamed.rules.push({ id: 'new-rule', level: 'SHOULD', source: 'doc', title: 'A new rule', status: 'pass', cases: 3, failures: 0, warnings: 0 });
    const newer = siteRun(at(renamed, '2026-12-01T03:00:00.000Z'), 'newer/report.json');
    const html = renderSite([good, broken, newer]);
    const order = [...html.matchAll(/<tr data-rule="([^"]+)">/g)].map((m) => m[1]);
    expect(order.slice(-2)).toEqual(['new-rule', 'blob-id-positive']);
    expect(cells(matrixRow(html, 'target-1', 'new-rule')).map((c) => c[1])).toEqual(['absent', 'absent', 'pass']);
    expect(matrixRow(html, 'target-1', 'blob-id-positive')).toContain('not in the newest 1 run');
  });

  it('the verdict of every run over time, with links to its report.html, report.json and junit.xml', () => {
    const { good, broken, later } = nightly();
    const html = renderSite([good, broken, later]);
    const marks = [...html.matchAll(/<a class="mark ([a-z-]+)" href="runs\/([^/]+)\/report\.html" data-run="[^"]+" data-verdict="([^"]+)"/g)].map((m) => [m[2], m[3]]);
    expect(marks).toEqual([
      [good.id, 'conforms'],
      [broken.id, 'does-not-conform'],
      [later.id, 'incomplete'],
    ]);
    for (const f of ['report.html', 'report.json', 'junit.xml']) expect(html).toContain(`<a href="runs/${later.id}/${f}">${f}</a>`);
    expect(html).toContain('stopped: the circuit breaker tripped');
    expect(html).toContain('<td><span class="bad-note">3 MUST, 1 SHOULD failed</span> · <span class="warn-note">1 warned</span></td><td class="num nowrap">20 ms / 100 ms</td>');
    expect(html).toContain('seed 1234567 · 100 cases per family, all rules · 812 requests in 1 min 1 s');
  });

  it('an edited report is flagged; the embedded target carries its warning', () => {
    const edited = at(conformingReport(), '2026-11-28T03:00:00.000Z');
    edited.verdict = 'does-not-conform';
    const html = renderSite([siteRun(edited, 'x/report.json'), siteRun(at(embeddedReport(), '2026-11-27T03:00:00.000Z'), 'e/report.json')]);
    expect(html).toContain('edited after the run');
    expect(html).toContain('<h2 id="target-2-h">Embedded reference target</h2><p class="verdict-embedded">Run against the embedded reference target, not an installation');
  });

  it('latency: a point per run and series, lines broken where a run measured nothing', () => {
    const { good, broken, later } = nightly();
    const silent = incompleteReport();
    silent.latency = { count: 0, p50: 0, p95: 0, p99: 0, max: 0, bucketsMs: [], counts: [] };
    const none = siteRun(at(silent, '2026-11-29T15:00:00.000Z'), 'none/report.json');
    const html = renderSite([good, broken, none, later]);
    const trend = html.slice(html.indexOf('id="target-1-trend"'), html.indexOf('</svg>', html.indexOf('id="target-1-trend"')));
    expect(trend.match(/<circle class="pt p50"/g)).toHaveLength(3);
    expect(trend.match(/<circle class="pt p95"/g)).toHaveLength(3);
    expect(trend).not.toContain(`data-run="${none.id}"`);
    // good and broken make one p50 line; `later` alone after the gap makes none.
    expect(trend.match(/<polyline class="line p50"/g)).toHaveLength(1);
    expect(html).toContain('<td colspan="2" class="muted">no response times</td>');

    const onlySilent = renderSite([none]);
    expect(onlySilent).toContain('No run measured a response time.');
  });

  it('escapes everything from a report: target URL, rule ids, titles, messages, tool name, verdict', () => {
    const r = failingReport();
    r.target = { url: `https://x.example/api/v1?"><script>window.__pwned=3</script>${HOSTILE}`, embedded: false };
    r.tool = { name: HOSTILE, version: HOSTILE };
    r.rules[0]!.id = `rule${HOSTILE}`;
    r.rules[0]!.message = HOSTILE;
    r.rules[1]!.title = HOSTILE;
    r.configuration.only = [HOSTILE];
    const html = renderSite([siteRun(at(r, '2026-11-29T03:00:00.000Z'), 'h/report.json')]);
    expect(html).not.toMatch(/<script|<img|<\/textarea/i);
    expect(html).not.toMatch(/ on\w+="/i); // an attribute needs a quote no report string can bring
    expect(html).toContain('&lt;script&gt;window.__pwned=1&lt;/script&gt;');
    expect(html).toContain('\\u202egnp.exe'); // the bidi override made visible
    expect(html).not.toContain('\u202E');
  });

  it('is self-contained: no script, a CSP that allows exactly its style, only relative links', () => {
    const { good, broken, later } = nightly();
    const html = renderSite([good, broken, later]);
    const style = html.slice(html.indexOf('<style>') + '<style>'.length, html.indexOf('</style>'));
    const hash = createHash('sha256').update(style, 'utf8').digest('base64');
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'sha256-${hash}'; img-src data:; base-uri 'none'; form-action 'none'">`);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/url\(/i);
    const refs = [...html.matchAll(/\s(?:href|src)="([^"]*)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(20);
    for (const ref of refs) expect(ref, ref).toMatch(/^(#[\w-]+|runs\/\d{8}-\d{6}-[0-9a-f]{8}\/(report\.html(#finding-\d+)?|report\.json|junit\.xml))$/);
  });
});
