/** `person-image-conformance run`: the conformance run, its reports, and the verdict line. */
import { writeReports } from '../../reporters/write.js';
import type { RunConfig } from '../config/run-config.js';
import { ExitCode, InterruptedError } from '../errors.js';
import { runConformance } from '../run/engine.js';
import { isLoopbackUrl } from '../run/loopback.js';
import { silentProgress, terminalProgress } from '../run/progress.js';

export async function runCommand(config: RunConfig, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  if (config.target !== undefined && /^http:\/\//i.test(config.target) && URL.canParse(config.target) && !isLoopbackUrl(config.target)) {
    process.stderr.write(`warning: ${config.target} is plain http:// and not loopback: credentials travel unencrypted\n`);
  }
  if (config.dryRun) {
    const { planRun, formatPlan } = await import('../run/plan.js');
    out.write(formatPlan(await planRun(config)));
    return ExitCode.conforms;
  }
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) return;
    process.stderr.write(`\n${signal}: stopping; the person's image is being restored…\n`);
    controller.abort(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const progress = config.progress ? terminalProgress() : silentProgress;
    progress.note(`person-image-conformance: seed ${config.seed}, ${config.runs} cases per family${config.target ? `, target ${config.target}` : ', embedded reference target'}`);
    const report = await runConformance(config, { progress, signal: controller.signal });
    const files = await writeReports(report, config.reportDir);
    const failing = report.rules.filter((r) => r.status === 'fail').map((r) => r.id);
    const warning = report.rules.filter((r) => r.status === 'warn').map((r) => r.id);
    for (const n of report.notes) progress.note(`  ${n}`);
    out.write(
      `verdict: ${report.verdict} (${report.rules.filter((r) => r.status === 'pass').length} rules pass` +
        (failing.length ? `, failing: ${failing.join(', ')}` : '') +
        (warning.length ? `, warnings: ${warning.join(', ')}` : '') +
        `; ${report.requests} requests in ${(report.durationMs / 1000).toFixed(1)} s) — ${files.html}\n`,
    );
    return report.verdict === 'does-not-conform' ? ExitCode.doesNotConform : ExitCode.conforms;
  } catch (e) {
    if (controller.signal.aborted && !(e instanceof InterruptedError)) throw new InterruptedError(String(controller.signal.reason));
    throw e;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
