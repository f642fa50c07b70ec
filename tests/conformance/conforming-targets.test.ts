/**
 * The whole suite against targets that conform: the reference target gives `conforms` with no
 * warnings on several seeds; the lenient implementation conforms (warnings allowed).
 */
import { describe, expect, it } from 'vitest';
import { embeddedCredentials } from '../../src/run/target.js';
import { startReferenceTarget } from '../../src/target/server.js';
import { startThrottlingProxy, lenientBehaviour } from '../targets/lenient.js';
import { runAgainst, runAgainstBehaviour } from '../support/run-against.js';

describe('conforming targets', () => {
  for (const seed of [1, 2, 3]) {
    it(`the reference target conforms with no warnings (seed ${seed})`, async () => {
      const report = await runAgainstBehaviour({}, { seed, runs: 25 });
      const notPassing = report.rules.filter((r) => r.status !== 'pass').map((r) => `${r.id}: ${r.status} ${r.message ?? ''}`);
      expect(notPassing).toEqual([]);
      expect(report.verdict).toBe('conforms');
      expect(report.rules.every((r) => r.cases > 0)).toBe(true);
    });
  }

  it('the lenient implementation conforms (warnings allowed), and its 429s are waited out', async () => {
    const t = await startReferenceTarget({ behaviour: lenientBehaviour });
    const proxy = await startThrottlingProxy(t.url, 15);
    try {
      const report = await runAgainst({ ...t, url: proxy.url }, { seed: 5, runs: 25, credentials: embeddedCredentials(t) });
      const failing = report.rules.filter((r) => r.status === 'fail').map((r) => `${r.id}: ${r.message ?? ''}`);
      expect(failing).toEqual([]);
      expect(['conforms', 'conforms-with-warnings']).toContain(report.verdict);
      expect(proxy.throttled()).toBeGreaterThan(0);
    } finally {
      await proxy.close();
      await t.close();
    }
  });
});
