import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { renderJunit } from '../../reporters/junit.js';
import { HOSTILE, UNREACHED, conformingReport, embeddedReport, failingReport, incompleteReport, stoppedFailingReport } from '../fixtures/reports.js';

interface TestCase {
  '@_name': string;
  '@_classname': string;
  failure?: { '#text'?: string; '@_message': string; '@_type': string };
  error?: { '#text'?: string; '@_message': string; '@_type': string };
  skipped?: { '@_message': string } | '';
  'system-out'?: string;
  properties: { property: { '@_name': string; '@_value': string }[] };
}

type Suite = Record<string, unknown> & { properties: { property: { '@_name': string; '@_value': string }[] } };

/** The testsuite's properties as name -> values (a name may repeat). */
function suiteProps(suite: Record<string, unknown>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const p of (suite as Suite).properties.property) (out[p['@_name']] ??= []).push(p['@_value']);
  return out;
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
    const { suites, suite, cases: all } = parse(renderJunit(report));
    // (The report's pact interactions are testcases too: see the pact test below.)
    const cases = all.filter((c) => !c['@_classname'].includes('.pact.'));
    const interactions = report.pact!.flatMap((p) => p.interactions);
    expect(cases.map((c) => c['@_name'])).toEqual(report.rules.map((r) => r.id));
    expect(suites['@_tests']).toBe(String(report.rules.length + interactions.length));
    expect(suites['@_failures']).toBe(String(4 + interactions.filter((i) => i.status === 'fail').length));
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

  it('each pact interaction is a testcase under <tool>.pact.<consumer>; a broken one is a failure of type pact', () => {
    const report = failingReport();
    const { cases } = parse(renderJunit(report));
    const pactCases = cases.filter((c) => c['@_classname'].includes('.pact.'));
    expect(pactCases.map((c) => [c['@_classname'], c['@_name'], c.failure ? 'fail' : 'pass'])).toEqual(
      report.pact!.flatMap((p) => p.interactions.map((i) => [`person-image-conformance.pact.${p.consumer}`, i.description, i.status])),
    );
    const broken = pactCases.find((c) => c.failure)!;
    expect(broken.failure!['@_type']).toBe('pact');
    expect(broken.failure!['@_message']).toContain('expected status 400, got 404');
    expect(broken.failure!['#text']).toContain('mobile-app -> superoffice-webapi (contracts/mobile-person-image.json): "an upload for person 0" given no person 0');
    expect(Object.fromEntries(broken.properties.property.map((p) => [p['@_name'], p['@_value']]))).toEqual({ file: 'contracts/mobile-person-image.json', provider: 'superoffice-webapi', 'provider state': 'no person 0' });
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

  it('an incomplete run is not green: a `run` testcase with an error naming the stop; unfinished rules skipped', () => {
    const report = incompleteReport();
    const { suites, suite, cases } = parse(renderJunit(report));
    expect(suites['@_errors']).toBe('1');
    expect(suite['@_errors']).toBe('1');
    expect(suites['@_tests']).toBe(String(report.rules.length + 1));
    expect(suite['@_tests']).toBe(String(report.rules.length + 1));
    expect(suites['@_failures']).toBe('0');
    expect(suites['@_skipped']).toBe(String(UNREACHED.length));
    const run = cases.find((c) => c['@_name'] === 'run')!;
    expect(run['@_classname']).toBe('person-image-conformance');
    expect(run.error!['@_type']).toBe('circuit-breaker');
    expect(run.error!['@_message']).toBe(`The run stopped early (circuit-breaker) after 812 requests: ${report.stop!.reason}`);
    expect(run.error!['#text']).toContain('Verdict: incomplete.');
    expect(run.error!['#text']).toContain(`Rules that did not finish are not run (3): ${UNREACHED.join(', ')}.`);
    for (const id of UNREACHED) {
      const c = cases.find((x) => x['@_name'] === id)!;
      expect(c.skipped, id).toMatchObject({ '@_message': 'not run: the run stopped early (circuit-breaker)' });
    }
    const props = suiteProps(suite);
    expect(props.verdict).toEqual(['incomplete']);
    expect(props.stop).toEqual([`circuit-breaker after 812 requests: ${report.stop!.reason}`]);
    expect(props.restore).toEqual([`restored: ${report.restore!.message}`]);
    expect(props.embedded).toEqual(['false']);
  });

  it('a does-not-conform run that stopped early has its failures and the stop error', () => {
    const { suites, cases, suite } = parse(renderJunit(stoppedFailingReport()));
    expect(suites['@_failures']).toBe('1');
    expect(suites['@_errors']).toBe('1');
    expect(cases.find((c) => c['@_name'] === 'run')!.error!['@_type']).toBe('interrupted');
    expect(cases.find((c) => c['@_name'] === 'valid-raw-upload')!.failure).toBeDefined();
    expect(suiteProps(suite).restore).toEqual([`removed: person 42 had no image; the run's image was deleted`]);
  });

  it('an incomplete verdict without a stop record still gets an error', () => {
    const report = conformingReport();
    report.verdict = 'incomplete';
    const { suites, cases } = parse(renderJunit(report));
    expect(suites['@_errors']).toBe('1');
    expect(cases.find((c) => c['@_name'] === 'run')!.error!['@_type']).toBe('incomplete');
  });

  it('a finished run has no `run` testcase, no errors, no stop or restore property; embedded is a property', () => {
    const { suites, suite, cases } = parse(renderJunit(failingReport()));
    expect(suites['@_errors']).toBe('0');
    expect(cases.some((c) => c['@_name'] === 'run')).toBe(false);
    expect(cases.find((c) => c.skipped)!.skipped).toMatchObject({ '@_message': 'not run' });
    expect(suiteProps(suite).stop).toBeUndefined();
    expect(suiteProps(suite).restore).toBeUndefined();
    expect(suiteProps(suite).embedded).toEqual(['false']);
    expect(suiteProps(parse(renderJunit(embeddedReport())).suite).embedded).toEqual(['true']);
  });

  it('escapes the stop reason and the restore message', () => {
    const report = incompleteReport();
    report.stop!.reason = `bad\u0000 ${HOSTILE}`;
    report.restore = { outcome: 'failed', message: `500 ${HOSTILE}\u0001` };
    const { cases, suite } = parse(renderJunit(report));
    const run = cases.find((c) => c['@_name'] === 'run')!;
    expect(run.error!['@_message']).toContain('<script>window.__pwned=1</script>');
    expect(run.error!['@_message']).toContain('\\u0000');
    expect(suiteProps(suite).restore![0]).toBe(`failed: 500 ${HOSTILE}\\u0001`);
  });
});
