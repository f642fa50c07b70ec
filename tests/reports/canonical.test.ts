import { describe, expect, it } from 'vitest';
import { canonicalJson, checkReport, reportSha256, stampReport, verifyReport } from '../../src/report/canonical.js';
import type { Report } from '../../src/report/types.js';
import { failingReport } from '../fixtures/reports.js';

describe('canonical JSON and the report hash', () => {
  it('sorts keys at every depth, drops undefined, writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: [{ z: 'x y', y: null }, 2], c: undefined, d: { f: true, e: 1.5 } })).toBe(
      '{"a":[{"y":null,"z":"x y"},2],"b":1,"d":{"e":1.5,"f":true}}',
    );
    expect(canonicalJson('é\u2028"')).toBe(JSON.stringify('é\u2028"'));
  });

  it('does not depend on key order or indentation, and ignores the sha256 field', () => {
    const report = failingReport();
    const reordered = JSON.parse(JSON.stringify(Object.fromEntries(Object.entries(report).reverse()), null, 4)) as Report;
    expect(reportSha256(reordered)).toBe(reportSha256(report));
    expect(reportSha256({ ...report, sha256: 'f'.repeat(64) })).toBe(reportSha256(report));
    expect(reportSha256(report)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('a stamped report verifies after a round trip through JSON; editing one field breaks it', () => {
    const report = stampReport(failingReport());
    const read = JSON.parse(JSON.stringify(report, null, 2)) as Report;
    expect(verifyReport(read)).toBe(true);
    expect(checkReport(read)).toEqual({ status: 'untouched', sha256: report.sha256 });

    const edited = structuredClone(read);
    edited.rules[0]!.failures += 1;
    expect(verifyReport(edited)).toBe(false);
    const verdict = structuredClone(read);
    verdict.verdict = 'conforms';
    expect(verifyReport(verdict)).toBe(false);
    const unstamped = structuredClone(read);
    delete unstamped.sha256;
    expect(checkReport(unstamped)).toMatchObject({ status: 'edited', recorded: undefined });
  });
});
