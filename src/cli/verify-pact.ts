/**
 * `verify-pact --pact FILE|DIR|URL`: verifies pacts (ours in contracts/, or a partner's) against
 * the target (the embedded reference target when none is configured) with the Pact Verifier.
 * Exit 0 when every interaction holds, 1 when any fails; configuration and connectivity
 * problems throw (exit 2). With PACT_BROKER_BASE_URL set, results are published to the broker
 * (see src/pact/broker.ts for the variables; secrets are never printed). The Pact Verifier's own
 * report is printed unless progress is off (`--no-progress`), in colour only on a terminal
 * without NO_COLOR. With a report directory, report.json, report.html and junit.xml of the
 * verification are written there (verify-pact-report.ts). Ctrl-C (SIGINT) or SIGTERM stops the
 * verifier, puts the person's image back, writes the reports of what was verified (verdict
 * `incomplete`) and exits 130, as a run does.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { assertWritableDir, writeReports } from '../../reporters/write.js';
import type { RunConfig } from '../config/run-config.js';
import { ExitCode, InterruptedError } from '../errors.js';
import type { ImageRestore, PactResult, RunStop } from '../report/types.js';
import { brokerConfigFromEnv, describeBroker, servedBy } from '../pact/broker.js';
import { pactSources } from '../pact/pact-file.js';
import { verifyPacts } from '../pact/verifier.js';
import { openTarget } from '../run/target.js';
import { TargetSession } from '../transport/target-session.js';
import { loadSpec } from '../spec/load.js';
import { verifyPactReport } from './verify-pact-report.js';
import { abortOnSignals } from './abort-on-signals.js';

/** Where the verify-pact output goes: a terminal, a pipe or a file (colour only on a terminal). */
type Out = NodeJS.WritableStream & { isTTY?: boolean };

function printResult(out: NodeJS.WritableStream, r: PactResult): void {
  const passed = r.interactions.filter((i) => i.status === 'pass').length;
  out.write(`${r.status === 'pass' ? 'ok  ' : 'FAIL'}  ${r.consumer} -> ${r.provider} (${r.file}): ${passed}/${r.interactions.length} interactions hold\n`);
  for (const i of r.interactions.filter((x) => x.status === 'fail')) {
    out.write(`  - "${i.description}"${i.providerState ? ` given ${i.providerState}` : ''}: ${i.message ?? 'failed'}\n`);
  }
}

export interface VerifyPactCommandOptions {
  pact: string;
  config: RunConfig;
  out: Out;
  /** Write report.json, report.html and junit.xml here (`--report-dir DIR` or SO_REPORT_DIR); none: no files. */
  reportDir?: string;
}

export async function verifyPactCommand(opts: VerifyPactCommandOptions): Promise<{ exitCode: number; results: PactResult[] }> {
  process.env.PACT_DO_NOT_TRACK = 'true';
  const started = new Date();
  const t0 = performance.now();
  const files = pactSources(opts.pact);
  const broker = brokerConfigFromEnv();
  const spec = await loadSpec(opts.config.specPath);
  if (opts.reportDir !== undefined) await assertWritableDir(opts.reportDir);
  if (broker) {
    opts.out.write(`${describeBroker(broker)}\n`);
    const local = files.filter((f) => !servedBy(broker, f));
    if (local.length > 0) opts.out.write(`note: results are published only for pacts fetched from the broker; not for ${local.length === files.length ? 'these' : `${local.length} of these`} (pass the pact's URL under ${broker.url})\n`);
  }
  const target = await openTarget(opts.config);
  const session = new TargetSession({ baseUrl: target.baseUrl, timeoutMs: opts.config.timeoutMs, concurrency: 1, runId: randomUUID(), ...(opts.config.ca ? { ca: opts.config.ca } : {}) });
  const notes: string[] = [];
  let restore: ImageRestore | undefined;
  const results: PactResult[] = [];
  // The report files (with --report-dir): what was verified, the image's restore, a stop if any; the path of report.html.
  const writeReport = async (extra: { stop?: Pick<RunStop, 'kind' | 'reason'> }): Promise<string | undefined> => {
    if (opts.reportDir === undefined) return undefined;
    const report = verifyPactReport({ spec, config: opts.config, target, results, notes, started, durationMs: performance.now() - t0, ownRequests: session.requestCount, ...(restore ? { restore } : {}), ...extra });
    return (await writeReports(report, opts.reportDir)).html;
  };
  const interrupt = abortOnSignals();
  try {
    opts.out.write(`verifying ${files.length} pact${files.length === 1 ? '' : 's'} against ${target.embedded ? 'the embedded reference target' : target.baseUrl}\n`);
    await verifyPacts(target, spec.model, files, {
      session,
      signal: interrupt.signal,
      ...(broker ? { broker } : {}),
      ...(opts.config.progress ? { report: opts.out } : {}),
      timeoutMs: opts.config.timeoutMs,
      onResult: (r) => (results.push(r), printResult(opts.out, r)),
      onNote: (n) => (notes.push(n), opts.out.write(`${n}\n`)),
      onRestore: (r) => (restore = r),
    });
  } catch (e) {
    // A signal turns whatever ended verification (the child stopped, a request cut) into the stop.
    if (!interrupt.signal.aborted) throw e;
    const stop = new InterruptedError(String(interrupt.signal.reason));
    const html = await writeReport({ stop: { kind: 'interrupted', reason: stop.message } });
    opts.out.write(`verification stopped: ${stop.message}${html ? `; report: ${html}` : ''}\n`);
    throw stop;
  } finally {
    interrupt.release();
    await session.close();
    await target.close();
  }
  const failed = results.filter((r) => r.status === 'fail').length;
  opts.out.write(failed === 0 ? `all ${results.length} pacts hold\n` : `${failed} of ${results.length} pacts do not hold\n`);
  const html = await writeReport({});
  if (html) opts.out.write(`report: ${html}\n`);
  return { exitCode: failed === 0 ? ExitCode.conforms : ExitCode.doesNotConform, results };
}
