/** `person-image-conformance run`: the conformance run, its reports, and the verdict line. */
import { assertWritableDir, writeCounterexampleHar, writeReports } from '../../reporters/write.js';
import { statementPayload, writeSignedEnvelope } from '../attest/sign.js';
import { writeGithubActionsOutput } from '../ci/github-actions.js';
import type { RunConfig } from '../config/run-config.js';
import { ExitCode, InterruptedError } from '../errors.js';
import type { Report } from '../report/types.js';
import { baselineSummary } from '../run/baseline.js';
import { runConformance, type EngineOptions } from '../run/engine.js';
import { isLoopbackUrl } from '../run/loopback.js';
import { silentProgress, terminalProgress } from '../run/progress.js';
import { abortOnSignals } from './abort-on-signals.js';

/** 0 conforms, 1 does not conform, 2 incomplete (130 when a signal stopped it). */
function exitCodeOf(report: Pick<Report, 'verdict' | 'stop'>): number {
  if (report.verdict === 'does-not-conform') return ExitCode.doesNotConform;
  if (report.verdict === 'incomplete') return report.stop?.kind === 'interrupted' ? ExitCode.interrupted : ExitCode.usage;
  return ExitCode.conforms;
}

/** The verdict line: the verdict, what it stands on, and where the report is. */
function verdictLine(report: Report, html: string): string {
  const failing = report.rules.filter((r) => r.status === 'fail').map((r) => r.id);
  const warning = report.rules.filter((r) => r.status === 'warn').map((r) => r.id);
  const notRun = report.rules.filter((r) => r.status === 'not-run').length;
  return (
    `verdict: ${report.verdict}${report.target.embedded ? ' (the embedded reference target, not an installation)' : ''} ` +
    `(${report.rules.filter((r) => r.status === 'pass').length} rules pass` +
    (failing.length ? `, failing: ${failing.join(', ')}` : '') +
    (warning.length ? `, warnings: ${warning.join(', ')}` : '') +
    baselineSummary(report.baseline) +
    (report.stop && notRun ? `, ${notRun} not run` : '') +
    `; ${report.requests} requests in ${(report.durationMs / 1000).toFixed(1)} s) — ${html}\n` +
    (report.stop ? `stopped early: ${report.stop.reason}\n` : '')
  );
}

/**
 * One in-toto Statement of the report files, signed with the key (report.intoto.jsonl) and/or
 * through Sigstore (report.sigstore.json), each announced by a line. A failure is a ConfigError
 * (exit 2) after the reports and any signature already written.
 */
async function signReports(report: Report, config: RunConfig, files: string[], out: NodeJS.WritableStream): Promise<void> {
  const payload = await statementPayload(report, config.reportDir, files);
  if (config.signKey) {
    const attestation = await writeSignedEnvelope(config.reportDir, payload, config.signKey);
    out.write(`attestation: ${attestation} (signed, keyid ${config.signKey.keyid})\n`);
  }
  if (config.signKeyless) {
    const { writeKeylessBundle } = await import('../attest/keyless-sign.js');
    const signed = await writeKeylessBundle(config.reportDir, payload, config.signKeyless);
    out.write(`keyless signature: ${signed.path} (Sigstore bundle: Fulcio certificate, Rekor log index ${signed.logIndex})\n`);
  }
}

/** Runs, writes the three report files (also when the run stopped early) and returns the exit code. `engine` is for tests. */
export async function runCommand(config: RunConfig, out: NodeJS.WritableStream = process.stdout, engine: Omit<EngineOptions, 'progress' | 'signal'> = {}): Promise<number> {
  if (config.target !== undefined && /^http:\/\//i.test(config.target) && URL.canParse(config.target) && !isLoopbackUrl(config.target)) {
    process.stderr.write(`warning: ${config.target} is plain http:// and not loopback: credentials travel unencrypted\n`);
  }
  if (config.dryRun) {
    const { planRun, formatPlan } = await import('../run/plan.js');
    out.write(formatPlan(await planRun(config)));
    return ExitCode.conforms;
  }
  await assertWritableDir(config.reportDir);
  const interrupt = abortOnSignals();
  try {
    const progress = config.progress ? terminalProgress() : silentProgress;
    progress.note(`person-image-conformance: seed ${config.seed}, ${config.runs} cases per family${config.target ? `, target ${config.target}` : ', embedded reference target'}`);
    const report = await runConformance(config, { ...engine, progress, signal: interrupt.signal });
    const files = await writeReports(report, config.reportDir);
    // `--har`: the counterexamples' exchanges, from the report (`--har all` streamed every exchange during the run).
    if (config.har === 'counterexamples') await writeCounterexampleHar(report, config.reportDir);
    for (const n of report.notes) progress.note(`  ${n}`);
    out.write(verdictLine(report, files.html));
    // Job summary and annotations under GitHub Actions (also for a run that stopped early); the verdict line stays first on stdout.
    await writeGithubActionsOutput(report, config.reportDir, process.env, out);
    if (config.signKey || config.signKeyless) await signReports(report, config, [files.json, files.html, files.junit], out);
    return exitCodeOf(report);
  } catch (e) {
    // A signal that came before the run could start (the pre-flight) still exits 130.
    if (interrupt.signal.aborted && !(e instanceof InterruptedError)) throw new InterruptedError(String(interrupt.signal.reason));
    throw e;
  } finally {
    interrupt.release();
  }
}
