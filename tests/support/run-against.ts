/** Runs the conformance engine against a running target, the way `run --target URL` does. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunConfig } from '../../src/config/run-config.js';
import type { Report } from '../../src/report/types.js';
import { runConformance } from '../../src/run/engine.js';
import { embeddedCredentials } from '../../src/run/target.js';
import type { RunningTarget, ReferenceTargetOptions } from '../../src/target/server.js';
import { startReferenceTarget } from '../../src/target/server.js';

export function configFor(t: RunningTarget, overrides: Partial<RunConfig> = {}): RunConfig {
  return {
    target: t.url,
    credentials: embeddedCredentials(t),
    personId: t.persons[0]!,
    seed: 42,
    runs: 20,
    concurrency: 4,
    timeoutMs: 10_000,
    reportDir: mkdtempSync(join(tmpdir(), 'pic-report-')),
    only: [],
    progress: false,
    ...overrides,
  };
}

export async function runAgainst(t: RunningTarget, overrides: Partial<RunConfig> = {}): Promise<Report> {
  return runConformance(configFor(t, overrides));
}

/** Starts a reference target with the given behaviour, runs the engine, closes the target. */
export async function runAgainstBehaviour(options: ReferenceTargetOptions, overrides: Partial<RunConfig> = {}): Promise<Report> {
  const t = await startReferenceTarget(options);
  try {
    return await runAgainst(t, overrides);
  } finally {
    await t.close();
  }
}
