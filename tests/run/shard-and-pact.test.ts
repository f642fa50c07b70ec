/** `--shard i/n` splits the case families so that merged shards equal one run; `--pact` joins pact results to the report and its verdict. */
import { describe, expect, it } from 'vitest';
import { mergeReports } from '../../src/report/merge.js';
import { planRun } from '../../src/run/plan.js';
import { defaultBehaviour } from '../../src/target/behaviour.js';
import { startReferenceTarget } from '../../src/target/server.js';
import { configFor, runAgainst, runAgainstBehaviour } from '../support/run-against.js';

describe('shards', () => {
  it('two shards cover every family once: merged, they count the same cases as one run', async () => {
    const t = await startReferenceTarget();
    try {
      const whole = await runAgainst(t, { seed: 11, runs: 10 });
      const one = await runAgainst(t, { seed: 11, runs: 10, shard: { index: 1, total: 2 } });
      const two = await runAgainst(t, { seed: 11, runs: 10, shard: { index: 2, total: 2 } });
      expect(one.configuration.shard).toBe('1/2');
      expect(one.rules.some((r) => r.status === 'not-run')).toBe(true);
      const merged = mergeReports([one, two]);
      expect(merged.rules.map((r) => [r.id, r.cases])).toEqual(whole.rules.map((r) => [r.id, r.cases]));
      expect(merged.verdict).toBe('conforms');
      // The dry run plans exactly the families the shard ran.
      const plan = await planRun(configFor(t, { seed: 11, runs: 10, shard: { index: 1, total: 2 }, pact: 'contracts' }));
      expect(plan.families.map((f) => f.name).sort()).toEqual(Object.keys(one.coverage.family ?? {}).sort());
      expect(plan.pactInteractions).toBeGreaterThan(0);
    } finally {
      await t.close();
    }
  });
});

describe('pacts in a run', () => {
  it('our pacts hold on the reference target and join the report', async () => {
    const report = await runAgainstBehaviour({}, { seed: 2, runs: 5, only: ['no-server-error'], pact: 'contracts' });
    expect(report.pact?.length).toBeGreaterThanOrEqual(2);
    expect(report.pact?.every((p) => p.status === 'pass' && p.interactions.length > 0)).toBe(true);
    expect(report.verdict).toBe('conforms');
  });

  it('a pact that does not hold makes the target not conform, even when every rule run passes', async () => {
    const report = await runAgainstBehaviour(
      { behaviour: { serializeBlobId: (m, id) => (m.family === 'json' ? JSON.stringify(String(id)) : defaultBehaviour.serializeBlobId(m, id)) } },
      { seed: 2, runs: 5, only: ['no-server-error'], pact: 'contracts' },
    );
    expect(report.rules.find((r) => r.id === 'no-server-error')?.status).toBe('pass');
    expect(report.pact?.some((p) => p.status === 'fail')).toBe(true);
    expect(report.verdict).toBe('does-not-conform');
  });
});
