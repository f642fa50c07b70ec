/**
 * The conforming targets: servers that read the contract the way real installations do, and
 * that a correct conformance suite must therefore pass. One shape for all of them
 * (`StartedTarget`), the list (`conformingTargets`), what counts as a finding against each
 * (`findingsOf`), the fixed seed list the seed script and the tests draw from (`seedList`), and
 * one run of the engine against a started target (`runOnTarget`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import type { Credential } from '../../src/config/credentials.js';
import type { RunConfig } from '../../src/config/run-config.js';
import type { Report } from '../../src/report/types.js';
import { runConformance } from '../../src/run/engine.js';
import { embeddedCredentials } from '../../src/run/target.js';
import { startReferenceTarget } from '../../src/target/server.js';
import { startAspNetNegotiationTarget } from './aspnet-negotiation.js';
import { startDotnetDatesTarget } from './dotnet-dates.js';
import { startExpiringTokenTarget } from './expiring-token.js';
import { startIisTarget } from './iis.js';
import { lenientBehaviour, startThrottlingProxy } from './lenient.js';

/** Fields of a run's configuration a target needs beside the usual ones (e.g. `authCommand`). */
type TargetRunOverrides = Partial<RunConfig>;

/** A running conforming target, as every runner sees it. */
export interface StartedTarget {
  /** Base URL up to and including /api/v1. */
  url: string;
  credentials: Credential[];
  appToken?: string;
  /** Persons that exist; the run uses the first. */
  persons: number[];
  runOverrides?: TargetRunOverrides;
  /** How often the run met what sets this target apart (each count > 0 shows the run exercised it). */
  exercised?(): Record<string, number>;
  close(): Promise<void>;
}

export interface ConformingTarget {
  name: string;
  /** What it stands for, in a few words. */
  models: string;
  /** `conforms` with no warning, no rule not run (the reference target); else no rule failing or warning. */
  strict: boolean;
  /**
   * SHOULD rules the target breaks on purpose, using a freedom the rules leave (a warning there is
   * the suite being right, not a finding); a failure of them still is one.
   */
  expectedWarnings?: readonly string[];
  start(): Promise<StartedTarget>;
}

async function startReference(): Promise<StartedTarget> {
  const t = await startReferenceTarget();
  return { url: t.url, credentials: embeddedCredentials(t), persons: t.persons, close: () => t.close() };
}

async function startLenient(): Promise<StartedTarget> {
  const t = await startReferenceTarget({ behaviour: lenientBehaviour });
  const proxy = await startThrottlingProxy(t.url, 15);
  return {
    url: proxy.url,
    credentials: embeddedCredentials(t),
    persons: t.persons,
    exercised: () => ({ '429s': proxy.throttled() }),
    close: async () => {
      await proxy.close();
      await t.close();
    },
  };
}

export const conformingTargets: readonly ConformingTarget[] = [
  { name: 'reference', models: 'the embedded reference target', strict: true, start: startReference },
  {
    name: 'lenient',
    models: 'every freedom the rules allow, a 429 every 15th request',
    strict: false,
    // Its decoder tolerates damage behind a readable header: 200 where 400 is only a SHOULD.
    expectedWarnings: ['damaged-image-rejected'],
    start: startLenient,
  },
  { name: 'dotnet-dates', models: '.NET DateTime in ImageInfo', strict: false, start: startDotnetDatesTarget },
  { name: 'aspnet-negotiation', models: 'ASP.NET Web API content negotiation', strict: false, start: startAspNetNegotiationTarget },
  { name: 'iis', models: 'IIS in front: chunked, Connection: close, three challenges, Message, slow saves', strict: false, start: () => startIisTarget() },
  { name: 'expiring-token', models: 'tickets and tokens that expire, a token service', strict: false, start: () => startExpiringTokenTarget() },
];

export function targetNamed(name: string): ConformingTarget | undefined {
  return conformingTargets.find((t) => t.name === name);
}

/** The base of the fixed seed list. */
export const BASE_SEED = 20261130;

/** `count` seeds derived from `base` (sha256 of `base:i`, a positive int32 each): the same list everywhere. */
export function seedList(base: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => createHash('sha256').update(`${base}:${i}`).digest().readUInt32LE(0) & 0x7fffffff);
}

export interface Finding {
  target: string;
  seed: number;
  rule: string;
  message: string;
}

export type RunOutcome = 'conforms' | 'conforms-with-warnings' | 'does-not-conform' | 'other';

/** The findings of a run: for a strict target anything but plain `conforms` with every rule passed, else every rule failing or warning (but its expected warnings). */
function findingsOf(target: ConformingTarget, seed: number, report: Report): Finding[] {
  const out: Finding[] = [];
  for (const r of report.rules) {
    const expected = r.status === 'warn' && (target.expectedWarnings ?? []).includes(r.id);
    const bad = target.strict ? r.status !== 'pass' : r.status === 'fail' || (r.status === 'warn' && !expected);
    if (bad) out.push({ target: target.name, seed, rule: r.id, message: `${r.status}${r.message ? `: ${r.message}` : ''}` });
  }
  for (const p of report.pact ?? []) if (p.status === 'fail') out.push({ target: target.name, seed, rule: `pact ${p.file}`, message: 'does not hold' });
  const outcome = outcomeOf(report);
  if (outcome === 'other') {
    // A verdict beyond the three (a run that stopped early): say why when the report does.
    const stop = (report as { stop?: { reason?: string } }).stop?.reason;
    out.push({ target: target.name, seed, rule: '(verdict)', message: `${report.verdict}${stop ? `: ${stop}` : ''}` });
  } else if (target.strict && outcome !== 'conforms' && out.length === 0) {
    out.push({ target: target.name, seed, rule: '(verdict)', message: report.verdict });
  }
  return out;
}

/** The column a run's report counts in. */
function outcomeOf(report: Report): RunOutcome {
  const v: string = report.verdict;
  return v === 'conforms' || v === 'conforms-with-warnings' || v === 'does-not-conform' ? v : 'other';
}

export interface TargetRun {
  outcome: RunOutcome;
  findings: Finding[];
  report?: Report;
  /** The target's `exercised()` counts at the end of the run. */
  exercised: Record<string, number>;
  durationMs: number;
}

/** The run configuration for a started target: like `run --target URL`, `runs` cases per family, reports in `reportDir`. */
function configForTarget(t: StartedTarget, seed: number, runs: number, reportDir: string): RunConfig {
  return {
    target: t.url,
    credentials: t.credentials,
    ...(t.appToken ? { appToken: t.appToken } : {}),
    personId: t.persons[0]!,
    seed,
    runs,
    concurrency: 4,
    timeoutMs: 10_000,
    reportDir,
    only: [],
    progress: false,
    ...t.runOverrides,
  };
}

/** Starts the target, runs the engine once against it, closes it; a run that throws is outcome `other` with one finding. */
export async function runOnTarget(target: ConformingTarget, seed: number, runs: number): Promise<TargetRun> {
  const t0 = performance.now();
  const reportDir = mkdtempSync(join(tmpdir(), 'pic-seeds-'));
  let started: StartedTarget | undefined;
  const exercised = () => started?.exercised?.() ?? {};
  try {
    started = await target.start();
    const report = await runConformance(configForTarget(started, seed, runs, reportDir));
    return { outcome: outcomeOf(report), findings: findingsOf(target, seed, report), report, exercised: exercised(), durationMs: performance.now() - t0 };
  } catch (e) {
    const message = `the run ended early: ${(e as Error).name}: ${(e as Error).message}`;
    return { outcome: 'other', findings: [{ target: target.name, seed, rule: '(run)', message }], exercised: exercised(), durationMs: performance.now() - t0 };
  } finally {
    await started?.close();
    rmSync(reportDir, { recursive: true, force: true });
  }
}
