/**
 * A run whose cases are built in the build worker judges exactly what a run that builds them
 * in-thread judges, and the idle worker keeps no process alive.
 */
import { spawnSync } from 'node:child_process';
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

it('a process that ran the engine exits by itself afterwards: the idle build worker keeps nothing alive', async () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'tests/fixtures/run-and-return.ts'], { encoding: 'utf8', timeout: 60_000 });
  expect(r.error, 'the process did not exit within 60 s').toBeUndefined();
  expect(r.status, r.stderr).toBe(0);
  expect(r.stdout.trim()).toBe('conforms');
}, 90_000);
