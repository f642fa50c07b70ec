/** With very few cases per family, every rule is still judged: rare case classes are topped up from the same sequence. */
import { describe, expect, it } from 'vitest';
import { brokenTargets } from '../broken-targets/catalogue.js';
import { runAgainstBehaviour } from '../support/run-against.js';

describe('top-up of rules no case exercised', () => {
  for (const seed of [1, 2]) {
    it(`--runs 2 still judges all 31 rules (seed ${seed})`, async () => {
      const report = await runAgainstBehaviour({}, { seed, runs: 2 });
      expect(report.rules.filter((r) => r.cases === 0).map((r) => r.id)).toEqual([]);
      expect(report.verdict).toBe('conforms');
    });
  }

  it('a failure found by the top-up is shrunk and replayable like any other', async () => {
    const rule = 'accept-unsupported';
    const report = await runAgainstBehaviour({ behaviour: brokenTargets[rule]!.behaviour }, { seed: 3, runs: 2, only: [rule] });
    const r = report.rules.find((x) => x.id === rule)!;
    expect(r.status).toBe('warn');
    expect(r.counterexample?.replay).toContain('--runs 2');
  });
});
