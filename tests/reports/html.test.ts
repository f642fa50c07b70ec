import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { render } from '../../reporters/html.js';
import { stampReport } from '../../src/report/canonical.js';
import type { Report } from '../../src/report/types.js';
import { loadRules } from '../../src/spec/rules.js';
import { packageRoot } from '../../src/package-root.js';
import { HOSTILE, conformingReport, failingReport, pngBytes } from '../fixtures/reports.js';

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

  it('knows no rule by name', async () => {
    const source = readFileSync(join(packageRoot, 'reporters', 'html.ts'), 'utf8');
    for (const rule of await loadRules()) expect(source, rule.id).not.toContain(rule.id);
  });
});
