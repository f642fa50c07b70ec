/**
 * The report of `verify-pact --report-dir DIR`: report.json in the same schema as a run's, with no
 * rules (none were run) and the `pact` section, so report.html, junit.xml and the report command
 * read it as they read a run's. The verdict is the pacts': `does-not-conform` when one does not
 * hold, else `conforms` (`incomplete` when it was stopped before its end). Credentials that a
 * target echoed into a message are redacted.
 */
import type { RunConfig } from '../config/run-config.js';
import { secretsOf } from '../config/credentials.js';
import { computeVerdict } from '../report/merge.js';
import type { ImageRestore, PactResult, Report, RunStop } from '../report/types.js';
import type { OpenTarget } from '../run/target.js';
import { LatencyHistogram } from '../run/latency.js';
import type { LoadedSpec } from '../spec/load.js';
import { Redactor } from '../transport/redact.js';
import { toolName, toolVersion } from '../version.js';

export interface VerifyPactRun {
  spec: LoadedSpec;
  config: RunConfig;
  target: OpenTarget;
  results: PactResult[];
  restore?: ImageRestore;
  notes: string[];
  started: Date;
  durationMs: number;
  /** The suite's own requests (the image's save and restore); the verifier's are counted as interactions. */
  ownRequests: number;
  /** Verification stopped before its end (Ctrl-C): `results` holds the pacts verified before it. */
  stop?: Pick<RunStop, 'kind' | 'reason'>;
}

function redactedPacts(results: PactResult[], redactor: Redactor): PactResult[] {
  const text = (s: string | undefined) => (s === undefined ? undefined : redactor.text(s));
  return results.map((p) => ({
    ...p,
    interactions: p.interactions.map((i) => ({
      ...i,
      description: redactor.text(i.description),
      ...(i.providerState !== undefined ? { providerState: text(i.providerState) } : {}),
      ...(i.message !== undefined ? { message: text(i.message) } : {}),
    })),
  }));
}

/** report.json of a verify-pact run. */
export function verifyPactReport(run: VerifyPactRun): Report {
  const { spec, config, target } = run;
  const redactor = new Redactor([...target.credentials.flatMap(secretsOf), ...(target.appToken ? [target.appToken] : [])], Redactor.sensitiveHeaderNames(spec.model));
  const pact = redactedPacts(run.results, redactor);
  const requests = run.ownRequests + run.results.reduce((n, p) => n + p.interactions.length, 0);
  return {
    schemaVersion: 1,
    tool: { name: toolName, version: toolVersion },
    verdict: computeVerdict([], pact, run.stop !== undefined),
    spec: { file: spec.path.split('/').slice(-2).join('/'), sha256: spec.sha256 },
    seed: config.seed,
    target: { url: target.baseUrl, embedded: target.embedded },
    startedAt: run.started.toISOString(),
    durationMs: Math.round(run.durationMs),
    configuration: {
      runs: 0,
      concurrency: 1,
      rate: null,
      timeoutMs: config.timeoutMs,
      only: [],
      authSchemes: target.credentials.slice(0, 1).map((c) => c.scheme),
      personId: target.personId ?? null,
    },
    requests,
    rules: [],
    coverage: {},
    latency: new LatencyHistogram().summary(),
    pact,
    ...(run.stop ? { stop: { kind: run.stop.kind, reason: redactor.text(run.stop.reason), afterRequests: requests } } : {}),
    ...(run.restore ? { restore: { ...run.restore, message: redactor.text(run.restore.message) } } : {}),
    notes: ['verify-pact: Pact verification only, no conformance rules were run', ...run.notes.map((n) => redactor.text(n))],
  };
}
