/**
 * The in-toto Statement of a run: the test-result predicate's result for every verdict (an
 * incomplete or stopped run is never PASSED), the rules by outcome (not-run rules in no list),
 * the configuration descriptors with the field names of in-toto's ResourceDescriptor, the target
 * URL without user info, the CI run's URL when there is one.
 */
import { describe, expect, it } from 'vitest';
import { ciRunUrl } from '../../src/attest/sign.js';
import { buildStatement, testResultOf, withoutCredentials } from '../../src/attest/statement.js';
import type { Report } from '../../src/report/types.js';
import { conformingReport, failingReport, incompleteReport, stoppedFailingReport, UNREACHED } from '../fixtures/reports.js';

const inputs = { subjects: [{ name: 'report.json', digest: { sha256: 'a'.repeat(64) } }], rulesSha256: 'b'.repeat(64), rulesFile: 'spec/rules.yaml' };

describe('the result of the test-result predicate', () => {
  it('conforms is PASSED, conforms-with-warnings WARNED, does-not-conform FAILED', () => {
    expect(testResultOf({ verdict: 'conforms' })).toBe('PASSED');
    expect(testResultOf({ verdict: 'conforms-with-warnings' })).toBe('WARNED');
    expect(testResultOf({ verdict: 'does-not-conform' })).toBe('FAILED');
  });

  it('an incomplete run, or any run that stopped, is FAILED, never PASSED', () => {
    expect(testResultOf({ verdict: 'incomplete' })).toBe('FAILED');
    const stop = { kind: 'interrupted' as const, reason: 'SIGINT', afterRequests: 3 };
    for (const verdict of ['conforms', 'conforms-with-warnings'] as const) expect(testResultOf({ verdict, stop }), verdict).toBe('FAILED');
    expect(buildStatement(incompleteReport(), inputs).predicate.result).toBe('FAILED');
    expect(buildStatement(stoppedFailingReport(), inputs).predicate.result).toBe('FAILED');
  });
});

describe('the statement', () => {
  it('has the in-toto Statement v1 shape with the test-result predicate type', () => {
    const s = buildStatement(conformingReport(), inputs);
    expect(s._type).toBe('https://in-toto.io/Statement/v1');
    expect(s.predicateType).toBe('https://in-toto.io/attestation/test-result/v0.1');
    expect(s.subject).toEqual(inputs.subjects);
    expect(Object.keys(s.predicate).sort()).toEqual(['configuration', 'failedTests', 'passedTests', 'result', 'warnedTests']);
  });

  it('lists the rules by outcome; not-run rules are in no list', () => {
    const report = incompleteReport();
    const { predicate } = buildStatement(report, inputs);
    const byStatus = (s: string) => report.rules.filter((r) => r.status === s).map((r) => r.id);
    expect(predicate.passedTests).toEqual(byStatus('pass'));
    expect(predicate.warnedTests).toEqual(byStatus('warn'));
    expect(predicate.failedTests).toEqual([]);
    expect(predicate.warnedTests.length).toBeGreaterThan(0);
    const listed = [...predicate.passedTests, ...predicate.warnedTests, ...predicate.failedTests];
    for (const id of UNREACHED) expect(listed, id).not.toContain(id);
    const failing = buildStatement(failingReport(), inputs).predicate;
    expect(failing.failedTests).toEqual(failingReport().rules.filter((r) => r.status === 'fail').map((r) => r.id));
    expect(failing.failedTests.length).toBeGreaterThan(0);
  });

  it('names the configuration: tool, spec and rules digests, the target and the settings that decide the verdict', () => {
    const report: Report = { ...conformingReport(), seed: 1234 };
    const { configuration } = buildStatement(report, inputs).predicate;
    expect(configuration.map((d) => d.name)).toEqual(['tool', 'spec', 'rules', 'target']);
    const [tool, spec, rules, target] = configuration;
    expect(tool).toEqual({ name: 'tool', uri: `pkg:npm/${report.tool.name}@${report.tool.version}`, annotations: { name: report.tool.name, version: report.tool.version } });
    expect(spec).toEqual({ name: 'spec', digest: { sha256: report.spec.sha256 }, annotations: { file: report.spec.file } });
    expect(rules).toEqual({ name: 'rules', digest: { sha256: inputs.rulesSha256 }, annotations: { file: 'spec/rules.yaml' } });
    expect(target?.uri).toBe(report.target.url);
    expect(target?.annotations).toEqual({
      embedded: report.target.embedded,
      seed: 1234,
      runs: report.configuration.runs,
      only: report.configuration.only,
      authSchemes: report.configuration.authSchemes,
      startedAt: report.startedAt,
    });
    // Every descriptor has one of uri or digest, as a ResourceDescriptor must.
    for (const d of configuration) expect(d.uri !== undefined || d.digest !== undefined, d.name).toBe(true);
  });

  it('a shard is part of the configuration', () => {
    const report = conformingReport();
    report.configuration.shard = '2/3';
    expect(buildStatement(report, inputs).predicate.configuration[3]?.annotations?.shard).toBe('2/3');
  });

  it('never carries user info of a URL', () => {
    expect(withoutCredentials('https://user:s3cret@crm.example.com/SuperOffice/api/v1')).toBe('https://crm.example.com/SuperOffice/api/v1');
    expect(withoutCredentials('https://crm.example.com/SuperOffice/api/v1')).toBe('https://crm.example.com/SuperOffice/api/v1');
    expect(withoutCredentials('not a url://user:pw@host/x')).toBe('not a url://host/x');
    const report = { ...conformingReport(), target: { url: 'https://user:s3cret@crm.example.com/api/v1', embedded: false } };
    expect(JSON.stringify(buildStatement(report, inputs))).not.toContain('s3cret');
  });

  it('links the GitHub Actions run when the signing happens in one', () => {
    expect(ciRunUrl({ GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'o/r', GITHUB_RUN_ID: '42' })).toBe('https://github.com/o/r/actions/runs/42');
    expect(ciRunUrl({ GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'o/r' })).toBeUndefined();
    expect(buildStatement(conformingReport(), { ...inputs, runUrl: 'https://github.com/o/r/actions/runs/42' }).predicate.url).toBe('https://github.com/o/r/actions/runs/42');
    expect(buildStatement(conformingReport(), inputs).predicate.url).toBeUndefined();
  });
});
