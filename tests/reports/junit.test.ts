import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { renderJunit } from '../../reporters/junit.js';
import { HOSTILE, conformingReport, failingReport } from '../fixtures/reports.js';

interface TestCase {
  '@_name': string;
  '@_classname': string;
  failure?: { '#text'?: string; '@_message': string; '@_type': string };
  skipped?: unknown;
  'system-out'?: string;
  properties: { property: { '@_name': string; '@_value': string }[] };
}

function parse(xml: string): { suites: Record<string, string>; suite: Record<string, unknown>; cases: TestCase[] } {
  expect(XMLValidator.validate(xml)).toBe(true);
  const doc = new XMLParser({ ignoreAttributes: false, isArray: (name) => ['testcase', 'property'].includes(name) }).parse(xml) as {
    testsuites: Record<string, string> & { testsuite: Record<string, unknown> & { testcase?: TestCase[] } };
  };
  return { suites: doc.testsuites, suite: doc.testsuites.testsuite, cases: doc.testsuites.testsuite.testcase ?? [] };
}

describe('renderJunit', () => {
  it('has one testcase per rule; fail -> failure, warn -> system-out only, not-run -> skipped', () => {
    const report = failingReport();
    const { suites, suite, cases } = parse(renderJunit(report));
    expect(cases.map((c) => c['@_name'])).toEqual(report.rules.map((r) => r.id));
    expect(suites['@_tests']).toBe(String(report.rules.length));
    expect(suites['@_failures']).toBe('4');
    expect(suites['@_skipped']).toBe('1');
    expect(suite['@_errors']).toBe('0');
    for (const rule of report.rules) {
      const c = cases.find((x) => x['@_name'] === rule.id)!;
      expect(c['@_classname']).toBe(`person-image-conformance.${rule.level}`);
      if (rule.status === 'fail') {
        expect(c.failure, rule.id).toBeDefined();
        expect(c.failure!['@_type']).toBe(rule.level);
        expect(c.failure!['#text']).toContain(rule.counterexample!.curl.slice(0, 20));
      } else expect(c.failure, rule.id).toBeUndefined();
      if (rule.status === 'not-run') expect(c.skipped).toBeDefined();
      else expect(c.skipped).toBeUndefined();
      if (rule.status === 'warn') {
        expect(c['system-out']).toMatch(/^WARNING/);
        expect(c.properties.property.some((p) => p['@_name'] === 'warning')).toBe(true);
      }
      const props = Object.fromEntries(c.properties.property.map((p) => [p['@_name'], p['@_value']]));
      expect(props).toMatchObject({ level: rule.level, cases: String(rule.cases), failures: String(rule.failures) });
    }
  });

  it('a conforming report has no failures', () => {
    const { suites, cases } = parse(renderJunit(conformingReport()));
    expect(suites['@_failures']).toBe('0');
    expect(cases.filter((c) => c.failure)).toHaveLength(0);
  });

  it('stays valid XML whatever bytes the target sent, and keeps them readable', () => {
    const report = failingReport();
    const rule = report.rules.find((r) => r.status === 'fail')!;
    rule.message = `bad\u0000\u0001\u001b[31m\uFFFE\uD800 ${HOSTILE} ]]> <![CDATA[`;
    rule.counterexample!.description = `\r\n\t${HOSTILE}`;
    const { cases } = parse(renderJunit(report));
    const c = cases.find((x) => x['@_name'] === rule.id)!;
    expect(c.failure!['@_message']).toContain('<script>window.__pwned=1</script>');
    expect(c.failure!['@_message']).toContain('\\u0000');
    expect(c.failure!['@_message']).toContain(']]>');
  });
});
