/** A run whose cases are built on the build worker judges exactly what a run that builds them in-thread judges. */
import { expect, it } from 'vitest';
import { runConformance } from '../../src/run/engine.js';
import { startReferenceTarget } from '../../src/target/server.js';
import { configFor } from '../support/run-against.js';

it('the same seed gives the same cases, counts and coverage with either builder', async () => {
  const t = await startReferenceTarget();
  try {
    const worker = await runConformance(configFor(t, { seed: 5, runs: 8 }), { caseBuilder: 'worker' });
    const inThread = await runConformance(configFor(t, { seed: 5, runs: 8 }), { caseBuilder: 'in-thread' });
    const summary = (r: typeof worker) => r.rules.map((x) => [x.id, x.status, x.cases]);
    expect(summary(worker)).toEqual(summary(inThread));
    expect(worker.coverage).toEqual(inThread.coverage);
    expect(worker.requests).toBe(inThread.requests);
    expect(worker.verdict).toBe('conforms');
    expect(worker.notes.some((n) => /engine's thread/.test(n))).toBe(false);
  } finally {
    await t.close();
  }
}, 120_000);
