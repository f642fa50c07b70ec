import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { embeddedWarning, render } from '../../reporters/html.js';
import { stampReport } from '../../src/report/canonical.js';
import type { Report } from '../../src/report/types.js';
import { loadRules } from '../../src/spec/rules.js';
import { packageRoot } from '../../src/package-root.js';
import {
  HOSTILE,
  UNREACHED,
  conformingReport,
  embeddedReport,
  failingReport,
  incompleteReport,
  pngBytes,
  stoppedFailingReport,
} from '../fixtures/reports.js';

/** Appends HOSTILE to every string and every object key of a JSON value. */
function poison<T>(value: T): T {
  if (typeof value === 'string') return `${value}${HOSTILE}` as T;
  if (Array.isArray(value)) return value.map((v: unknown) => poison(v)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [`${k}${HOSTILE}`, poison(v)])) as T;
  }
  return value;
}

function scripts(html: string): number {
  return (html.match(/<script/gi) ?? []).length;
}

/** The verdict section of a page. */
function verdictSection(html: string): string {
  const m = /<section id="verdict"[\s\S]*?<\/section>/.exec(html);
  expect(m).not.toBeNull();
  return m![0];
}

/** The run details ("What was tested") of a page. */
function testedSection(html: string): string {
  const m = /<section id="tested"[\s\S]*?<\/section>/.exec(html);
  expect(m).not.toBeNull();
  return m![0];
}

describe('render (HTML)', () => {
  it('is one self-contained page: no external resources, a CSP, one inline script', () => {
    const html = render(failingReport());
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('http-equiv="Content-Security-Policy"');
    expect(html).toContain("default-src 'none'");
    expect(scripts(html)).toBe(1);
    expect(html).not.toMatch(/<(link|iframe|object|embed)\b/i);
    expect(html).not.toMatch(/\s(src|href)="(https?:)?\/\//i);
    expect(html).not.toMatch(/\sstyle="/i);
  });

  it('escapes target-controlled bytes in bodies, headers, messages and notes', () => {
    const html = render(failingReport());
    expect(html).not.toContain('<script>window.__pwned');
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('</textarea>');
    expect(html).not.toContain('onerror="');
    expect(html).toContain('&lt;script&gt;window.__pwned=1&lt;/script&gt;');
    // A bidi override cannot reorder the text: it is shown, not applied.
    expect(html).not.toContain('\u202E');
    expect(html).toContain('\\u202e');
  });

  it('escapes every string and key of the report, enums included, without crashing', () => {
    const hostile = poison(failingReport()) as unknown as Report;
    // Keep the shapes the renderer walks (the poisoned copy has poisoned keys everywhere).
    const good = failingReport();
    const report: Report = {
      ...good,
      tool: { name: `x${HOSTILE}`, version: HOSTILE },
      verdict: HOSTILE as Report['verdict'],
      spec: { file: HOSTILE, sha256: HOSTILE },
      target: { url: `https://user:secret@evil.example/${HOSTILE}`, embedded: true },
      startedAt: HOSTILE,
      configuration: { ...good.configuration, only: [HOSTILE], authSchemes: [HOSTILE], shard: HOSTILE },
      rules: good.rules.map((r) => ({
        ...poison(r),
        ...{ id: r.id + HOSTILE, level: HOSTILE, source: HOSTILE, title: HOSTILE, status: HOSTILE, message: HOSTILE },
        cases: r.cases,
        failures: r.failures,
        warnings: r.warnings,
        observations: { [HOSTILE]: 1 },
        counterexample: r.counterexample && {
          ...r.counterexample,
          description: HOSTILE,
          message: HOSTILE,
          curl: HOSTILE,
          replay: HOSTILE,
          path: HOSTILE,
          request: {
            method: HOSTILE,
            url: HOSTILE,
            headers: { [HOSTILE]: HOSTILE },
            body: { size: 10, mediaType: `image/png" onload="alert(1)`, imageBase64: `AAAA" onload="alert(1)`, hex: HOSTILE, text: HOSTILE, file: `javascript:alert(1)//${HOSTILE}` },
          },
          response: r.counterexample.response && { ...r.counterexample.response, headers: { [HOSTILE]: HOSTILE }, body: { size: 3, text: HOSTILE, mediaType: HOSTILE } },
          error: HOSTILE,
        },
      })) as unknown as Report['rules'],
      coverage: { [HOSTILE]: { [HOSTILE]: 3, [`${HOSTILE}2`]: 0 } },
      pact: hostile.pact ? good.pact!.map((p) => ({ ...p, file: HOSTILE, consumer: HOSTILE, provider: HOSTILE, interactions: p.interactions.map((i) => ({ ...i, description: HOSTILE, providerState: HOSTILE, message: HOSTILE })) })) : undefined,
      notes: [HOSTILE],
    };
    const html = render(report);
    expect(scripts(html)).toBe(1);
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('onerror="');
    expect(html).not.toContain('onload="');
    expect(html).not.toContain('href="javascript:');
    expect(html).not.toContain('secret@');
    // Only whole-base64 data URLs of an image type reach an src attribute.
    for (const m of html.matchAll(/src="([^"]*)"/g)) expect(m[1]).toMatch(/^data:image\/[a-z0-9.+-]+;base64,[A-Za-z0-9+/]*={0,2}$/);
  });

  it('shows the verdict, what was tested, and the rules table with one row per rule', () => {
    const report = failingReport();
    const html = render(report);
    expect(html).toContain('Does not conform');
    expect(html).toContain('https://demo.example.com/Cust12345/api/v1');
    expect(html).toContain(report.spec.sha256);
    expect(html).toContain('1234567');
    expect(html).toContain('2026-11-26 17:43:12 UTC');
    expect(html).toContain('4 min 12 s');
    const rows = html.match(/<tr id="rule-\d+" data-status="[a-z-]+">/g) ?? [];
    expect(rows).toHaveLength(report.rules.length);
    expect(html).toContain('<th scope="col">Rule</th>');
    expect(html).toContain('role="status" aria-live="polite"');
    for (const s of ['all', 'fail', 'warn', 'pass', 'not-run']) expect(html).toContain(`name="status-filter" value="${s}"`);
    expect(render(conformingReport())).toContain('>✓</span> Conforms</h2>');
  });

  it('renders each counterexample with request, response, curl, replay, thumbnail or hex', () => {
    const html = render(failingReport());
    expect(html).toContain(`data:image/png;base64,${pngBytes().toString('base64')}`);
    expect(html).toContain('data:image/tiff;base64,');
    expect(html).toContain('curl -sS -X PUT');
    expect(html).toContain('person-image-conformance run --target');
    expect(html).toContain('Hex preview');
    expect(html).toContain('%PDF-1'); // the ASCII column of the hex-only body
    expect(html).toContain('No response.');
    expect(html).toContain('UND_ERR_SOCKET');
    expect(html).toContain('href="bodies/valid-raw-upload.request.png"');
  });

  it('renders coverage generically: any dimension, any value, zero counts flagged', () => {
    const report = conformingReport();
    report.coverage = { 'Quux <dim>': { 'alpha&beta': 5, gamma: 0 }, Other: { one: 1 } };
    const html = render(report);
    expect(html).toContain('<span class="cov-dim">Quux &lt;dim&gt;</span>');
    expect(html).toContain('<code>alpha&amp;beta</code>');
    expect(html).toContain('<span class="cov-dim">Other</span>');
    expect((html.match(/<table class="cov">/g) ?? []).length).toBe(2);
    expect(html).toContain('not exercised');
    report.coverage = {};
    expect(render(report)).toContain('No coverage was recorded.');
  });

  it('renders latency percentiles and an SVG histogram', () => {
    const html = render(failingReport());
    expect(html).toMatch(/<svg class="hist"[^>]*role="img"/);
    expect(html).toContain('<dt>p95</dt><dd>100 ms</dd>');
    expect((html.match(/<rect class="hbar/g) ?? []).length).toBe(13);
    const none = conformingReport();
    none.latency = { count: 0, p50: 0, p95: 0, p99: 0, max: 0, bucketsMs: [], counts: [] };
    expect(render(none)).toContain('No response times were measured.');
  });

  it('has a pact section only when the report has pact results', () => {
    const withPact = render(failingReport());
    expect(withPact).toContain('id="pact"');
    expect(withPact).toContain('mobile-app');
    expect(withPact).toContain('1 of 2 pact files failed verification');
    expect(render(conformingReport())).not.toContain('id="pact"');
  });

  it('says whether report.json still matches its sha256', () => {
    const report = stampReport(failingReport());
    expect(render(report)).toContain('(matches the content)');
    report.rules[0]!.failures = 0;
    expect(render(report)).toContain('This report was changed after the run.');
  });

  it('an incomplete verdict has its own label and grey style, distinct from pass, warn and fail', () => {
    const html = render(incompleteReport());
    const verdict = verdictSection(html);
    expect(verdict).toContain('<section id="verdict" class="verdict incomplete"');
    expect(verdict).toContain('Incomplete: the run stopped before it could judge every rule</h2>');
    expect(verdict).not.toMatch(/class="verdict (pass|warn|fail)"/);
    expect(verdict).toContain('this is no verdict on the target');
    expect(html).toContain('<title>Incomplete: the run stopped before it could judge every rule · ');
    expect(html).toMatch(/\.verdict\.incomplete\{[^}]*var\(--nr-bg\)/);
    expect(html).toMatch(/\.verdict\.incomplete \.verdict-icon\{/);
    // The CSP still allows the page's own (changed) style: its hash is of the style as sent.
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
    expect(html).toContain(`'sha256-${createHash('sha256').update(style, 'utf8').digest('base64')}'`);
  });

  it('says why the run stopped (reason, kind, requests) and that unfinished rules are not run', () => {
    const report = incompleteReport();
    const verdict = verdictSection(render(report));
    expect(verdict).toContain('<strong>The run stopped early:</strong> 10 of the last 20 requests');
    expect(verdict).toContain('try again later or lower --rate <span class="stop-meta">(the circuit breaker tripped: <code>circuit-breaker</code>, after 812 requests)</span>.');
    expect(verdict).toContain(`Rules that did not finish are <em>not run</em> (${UNREACHED.length} rules).`);
    const rows = render(report).match(/<tr id="rule-\d+" data-status="not-run">/g) ?? [];
    expect(rows).toHaveLength(UNREACHED.length);
    expect(testedSection(render(report))).toContain('<dt>Stopped early</dt><dd>the circuit breaker tripped (<code>circuit-breaker</code>) after 812 requests</dd>');

    // Also for a does-not-conform verdict.
    const failed = verdictSection(render(stoppedFailingReport()));
    expect(failed).toContain('class="verdict fail"');
    expect(failed).toContain('Does not conform</h2>');
    expect(failed).toContain('<strong>The run stopped early:</strong> SIGINT received: the run stopped and the image was put back <span class="stop-meta">(the run was interrupted: <code>interrupted</code>, after 301 requests)</span>.');

    // No stop, no such line.
    expect(render(failingReport())).not.toContain('The run stopped early');
    expect(render(conformingReport())).not.toContain('Stopped early');
  });

  it('escapes the stop reason and kind and the restore message', () => {
    const report = incompleteReport();
    report.stop = { kind: HOSTILE as never, reason: `breaker ${HOSTILE}`, afterRequests: 3 };
    report.restore = { outcome: 'failed', message: `PUT answered 500: ${HOSTILE}` };
    const html = render(report);
    expect(scripts(html)).toBe(1);
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('onerror="');
    expect(html).not.toContain('\u202E');
    expect(verdictSection(html)).toContain('<strong>The run stopped early:</strong> breaker &lt;script&gt;window.__pwned=1&lt;/script&gt;');
    expect(verdictSection(html)).toContain('(it stopped: <code>&lt;script&gt;');
    expect(testedSection(html)).toContain('PUT answered 500: &lt;script&gt;window.__pwned=1&lt;/script&gt;');
  });

  it("shows what became of the person's image in the run details; a failed restore as a problem", () => {
    const restored = testedSection(render(incompleteReport()));
    expect(restored).toContain(`<dt>Person's image</dt><dd><span class="restore ok"><span aria-hidden="true">✓</span> Restored</span> <span class="restore-msg">person 42&#39;s image restored (5120 bytes, image/jpeg)</span></dd>`);
    expect(restored).not.toContain('restore failed');

    const removed = testedSection(render(stoppedFailingReport()));
    expect(removed).toContain('✓</span> Removed</span>');
    expect(removed).toContain('person 42 had no image; the run&#39;s image was deleted');

    const report = incompleteReport();
    report.restore = { outcome: 'failed', message: 'the target answered 503 three times' };
    const failed = testedSection(render(report));
    expect(failed).toContain('<span class="restore failed"><span aria-hidden="true">✗</span> Not restored</span> <span class="restore-msg">the target answered 503 three times</span>');
    expect(failed).toContain(`<strong class="bad-note">The person's image may have been left changed: check it on the target.</strong>`);
    expect(failed).not.toContain('Restored</span>');
    expect(render(report)).toMatch(/\.restore\.failed\{[^}]*var\(--fail\)/);

    // A report without a restore (merged, or nothing saved) has no such line.
    expect(testedSection(render(failingReport()))).not.toContain("Person's image");
  });

  it('marks a counterexample the run stopped before shrinking', () => {
    const html = render(stoppedFailingReport());
    expect(html).toContain('<div><dt>Shrinking</dt><dd class="not-shrunk">not shrunk: the run stopped first; this is the first failing case as sent</dd></div>');
    expect(html).toMatch(/<span class="cx-sub">[^<]* · not shrunk: the run stopped first<\/span>/);
    expect(html).toContain('A counterexample marked <em>not shrunk</em> is the first failing case as sent');
    // shrunk true or absent: nothing said.
    const shrunk = stoppedFailingReport();
    shrunk.rules.find((r) => r.counterexample)!.counterexample!.shrunk = true;
    expect(render(shrunk)).not.toContain('not shrunk');
    expect(render(failingReport())).not.toContain('not shrunk');
  });

  it('says prominently, in the verdict, that a run against the embedded target certifies nothing', () => {
    expect(embeddedWarning).toBe(
      'Run against the embedded reference target, not an installation: this report certifies nothing about a SuperOffice installation.',
    );
    const html = render(embeddedReport());
    const verdict = verdictSection(html);
    expect(verdict).toContain('Conforms</h2>');
    // Right under the verdict's title, before the lead.
    expect(verdict).toMatch(
      /Conforms<\/h2><p class="verdict-embedded" role="note"><strong>Run against the embedded reference target, not an installation: this report certifies nothing about a SuperOffice installation\.<\/strong><\/p><p class="verdict-lead">/,
    );
    expect(html).toContain('<strong class="embedded-flag">embedded reference target, not an installation</strong>');
    expect(html).toContain('<title>Conforms · person-image-conformance report · embedded reference target</title>');
    expect(testedSection(html)).toContain('<span class="tag embedded">');
    // An installation's report says none of it.
    const real = render(conformingReport());
    expect(real).not.toContain('embedded reference target');
    expect(real).not.toContain('class="verdict-embedded"');
  });

  it('knows no rule by name', async () => {
    const source = readFileSync(join(packageRoot, 'reporters', 'html.ts'), 'utf8');
    for (const rule of await loadRules()) expect(source, rule.id).not.toContain(rule.id);
  });
});
