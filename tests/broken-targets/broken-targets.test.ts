/**
 * Every rule's check is shown to fail: a target that breaks exactly that rule is caught by it,
 * with a shrunk counterexample. MUST rules make the verdict does-not-conform; SHOULD rules warn.
 */
import { describe, expect, it } from 'vitest';
import { loadRules } from '../../src/spec/rules.js';
import { runAgainstBehaviour } from '../support/run-against.js';
import { brokenTargets } from './catalogue.js';

const rules = await loadRules();

describe('broken targets', () => {
  it('there is a broken target for every rule of the catalogue', () => {
    expect(Object.keys(brokenTargets).sort()).toEqual(rules.map((r) => r.id).sort());
  });

  for (const rule of rules) {
    const broken = brokenTargets[rule.id];
    it.skipIf(!broken)(`${rule.id}: a target that ${broken?.breaks ?? ''} is caught`, async () => {
      const report = await runAgainstBehaviour({ behaviour: broken!.behaviour }, { only: [rule.id], runs: 40, seed: 7 });
      const result = report.rules.find((r) => r.id === rule.id)!;
      if (rule.level === 'MUST') {
        expect(result.status, result.message).toBe('fail');
        expect(report.verdict).toBe('does-not-conform');
      } else {
        expect(result.status, result.message).toBe('warn');
        expect(report.verdict).toBe('conforms-with-warnings');
      }
      expect(result.counterexample?.description).toBeTruthy();
      expect(result.counterexample?.replay).toContain(`--only ${rule.id}`);
    });
  }
});
