/** One default run against a power target, and whether its rule caught it. */
import type { Report } from '../../../src/report/types.js';
import { runConformance } from '../../../src/run/engine.js';
import { embeddedCredentials } from '../../../src/run/target.js';
import { startReferenceTarget } from '../../../src/target/server.js';
import { loadRules } from '../../../src/spec/rules.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PowerTarget } from './types.js';

export interface PowerOutcome {
  caught: boolean;
  /** The rule's status, and how many cases of the class the run sent. */
  status: string;
  classCases: number;
  /** The other rules that did not pass (failed, warned or not run), by id and status. */
  others: string[];
}

/** A default run (`runs` cases per family, every rule) against the target with `seed`. */
export async function runPowerTarget(target: PowerTarget, seed: number, runs = 25): Promise<PowerOutcome> {
  const level = (await loadRules()).find((r) => r.id === target.caughtBy)?.level;
  if (!level) throw new Error(`${target.name}: no rule ${target.caughtBy}`);
  const t = await startReferenceTarget({ behaviour: target.behaviour });
  const reportDir = mkdtempSync(join(tmpdir(), 'pic-power-'));
  let front: Awaited<ReturnType<NonNullable<PowerTarget['front']>>> | undefined;
  try {
    front = await target.front?.(t.url);
    const report: Report = await runConformance({
      target: front?.url ?? t.url, credentials: embeddedCredentials(t), personId: t.persons[0]!, seed, runs, concurrency: 4, timeoutMs: 10_000, reportDir, only: [], progress: false,
    });
    const status = report.rules.find((r) => r.id === target.caughtBy)?.status ?? 'missing';
    const others = report.rules.filter((r) => r.id !== target.caughtBy && r.status !== 'pass').map((r) => `${r.id}: ${r.status}`);
    return { caught: status === (level === 'MUST' ? 'fail' : 'warn'), status, classCases: report.coverage['value class']?.[target.valueClass] ?? 0, others };
  } finally {
    await front?.close();
    await t.close();
    rmSync(reportDir, { recursive: true, force: true });
  }
}
