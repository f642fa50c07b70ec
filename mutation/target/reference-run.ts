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
import { embeddedCredentials } from '../../src/run/target.js';
import { startReferenceTarget } from '../../src/target/server.js';
import type { TargetBehaviour } from '../../src/target/types.js';

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
  // The verdict leaves the clean-up out (a real target may refuse it for reasons of its own), but the
  // reference target's DELETE is the documented one: a restore that failed there is a broken target.
  const restore = report.restore?.outcome === 'failed' ? [`restore failed: ${oneLine(report.restore.message)}`] : [];
  return [...rules, ...pacts, ...stop, ...verdict, ...restore];
}

/** The rules of the second run: those the credentials families judge. */
const APP_TOKEN_RULES = ['valid-credentials-accepted', 'bad-credentials-rejected', 'app-token-no-5xx', 'auth-checked-first'];
const APP_TOKEN = 'mutation-app-token-0123456789';

/**
 * Runs the suite against a fresh embedded reference target (the default run), then, as an
 * installation that requires an SO-AppToken beside tickets (as Online does), against one started
 * with an app token: the credentials rules only, with that token configured. A run that throws is
 * one departure.
 */
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
    const withToken = await judgeWithAppToken(settings, join(reportDir, 'app-token'));
    return [...departures(report), ...withToken.map((d) => `with an app token: ${d}`)];
  } catch (e) {
    return [`the run threw: ${(e as Error).name}: ${(e as Error).message}`];
  } finally {
    rmSync(reportDir, { recursive: true, force: true });
  }
}

/** The second run: the credentials rules against a target that requires an app token (`behaviour` replaces steps of it, for tests). */
export async function judgeWithAppToken(settings: ReferenceRunSettings, reportDir: string, behaviour: Partial<TargetBehaviour> = {}): Promise<string[]> {
  const target = await startReferenceTarget({ credentials: { appToken: APP_TOKEN }, behaviour });
  try {
    const report = await runConformance({
      target: target.url,
      credentials: embeddedCredentials(target),
      appToken: APP_TOKEN,
      personId: target.persons[0]!,
      seed: settings.seed,
      runs: settings.runs,
      concurrency: 4,
      timeoutMs: 30_000,
      reportDir,
      only: APP_TOKEN_RULES,
      progress: false,
    });
    // Rules left out with `only` are not run by design: a departure is any of the chosen ones.
    const chosen = { ...report, rules: report.rules.filter((r) => APP_TOKEN_RULES.includes(r.id)) };
    return departures(chosen);
  } finally {
    await target.close();
  }
}
