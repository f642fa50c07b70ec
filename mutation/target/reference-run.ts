/**
 * One conformance run against the embedded reference target, as `npm run mutation` runs it for
 * every mutant of src/target/ (see conformance-runner.mjs): a fixed seed, the default runs, every
 * rule and the committed pacts. The target is started in this process, from the (mutated)
 * sources beside this file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Report } from '../../src/report/types.js';
import { runConformance } from '../../src/run/engine.js';

export interface ReferenceRunSettings {
  seed: number;
  runs: number;
  /** Pact files or a folder verified in the same run; undefined verifies none. */
  pact?: string;
}

/** Every way a report departs from a plain `conforms`, one line each: empty means the target passed. */
export function departures(report: Report): string[] {
  const oneLine = (s: string) => s.replace(/\s+/g, ' ').slice(0, 240);
  const rules = report.rules.filter((r) => r.status !== 'pass').map((r) => `${r.id}: ${r.status}${r.message ? ` (${oneLine(r.message)})` : ''}`);
  const pacts = (report.pact ?? []).filter((p) => p.status !== 'pass').map((p) => `pact ${p.consumer}: ${p.status}`);
  const stop = report.stop ? [`stopped (${report.stop.kind}): ${oneLine(report.stop.reason)}`] : [];
  const verdict = report.verdict === 'conforms' ? [] : [`verdict ${report.verdict}`];
  return [...rules, ...pacts, ...stop, ...verdict];
}

/** Runs the suite against a fresh embedded reference target; a run that throws is one departure. */
export async function judgeReferenceTarget(settings: ReferenceRunSettings): Promise<string[]> {
  const reportDir = mkdtempSync(join(tmpdir(), 'pic-mutation-'));
  try {
    const report = await runConformance({
      credentials: [],
      seed: settings.seed,
      runs: settings.runs,
      concurrency: 4,
      timeoutMs: 30_000,
      reportDir,
      only: [],
      progress: false,
      ...(settings.pact ? { pact: settings.pact } : {}),
    });
    return departures(report);
  } catch (e) {
    return [`the run threw: ${(e as Error).name}: ${(e as Error).message}`];
  } finally {
    rmSync(reportDir, { recursive: true, force: true });
  }
}
