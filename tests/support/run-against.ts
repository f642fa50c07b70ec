/** Runs the conformance engine against a running target, the way `run --target URL` does. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import type { RunConfig } from '../../src/config/run-config.js';
import type { Report } from '../../src/report/types.js';
import { runConformance } from '../../src/run/engine.js';
import { embeddedCredentials } from '../../src/run/target.js';
import type { RunningTarget, ReferenceTargetOptions } from '../../src/target/server.js';
import { startReferenceTarget } from '../../src/target/server.js';

/** The report folders configFor made in os.tmpdir() and not yet removed. */
const madeReportDirs: string[] = [];

/** A new report folder in os.tmpdir(), removed by disposeReportDirs (after the test file at the latest). */
function newReportDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pic-report-'));
  madeReportDirs.push(dir);
  return dir;
}

/** Removes every report folder configFor or newReportDir made. */
function disposeReportDirs(): void {
  for (const dir of madeReportDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

// Every test file that imports this module removes, when it ends, the report folders made for it.
afterAll(disposeReportDirs);

/** A run config for the target; without a `reportDir` override, the report goes to a new folder that disposeReportDirs removes. */
export function configFor(t: RunningTarget, overrides: Partial<RunConfig> = {}): RunConfig {
  return {
    target: t.url,
    credentials: embeddedCredentials(t),
    personId: t.persons[0]!,
    seed: 42,
    runs: 20,
    concurrency: 4,
    timeoutMs: 10_000,
    only: [],
    progress: false,
    ...overrides,
    reportDir: overrides.reportDir ?? newReportDir(),
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
