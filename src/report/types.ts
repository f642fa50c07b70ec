/**
 * The shape of reports/report.json. Everything a reporter shows comes from here: the HTML and
 * JUnit renderers read nothing else. Documented in README.md ("report.json").
 */
import type { StopKind } from '../errors.js';
import type { RuleLevel, RuleSource } from '../spec/rules.js';

/**
 * `incomplete`: the run stopped before it could judge every rule (see `Report.stop`) and no MUST
 * rule had failed yet; a run that stopped after a MUST failure is `does-not-conform`.
 */
export type Verdict = 'conforms' | 'conforms-with-warnings' | 'does-not-conform' | 'incomplete';
export type RuleStatus = 'pass' | 'fail' | 'warn' | 'not-run';

export interface BodyPreview {
  /** Length in bytes of the whole body. */
  size: number;
  mediaType?: string;
  /** The first bytes as UTF-8 text, when they are text. */
  text?: string;
  /** The first bytes as hex, when they are not text. */
  hex?: string;
  /** The whole body in base64, when it is an image small enough to show inline (thumbnails). */
  imageBase64?: string;
  /** The file beside the report that holds the whole body, relative to the report folder. */
  file?: string;
}

export interface RecordedRequest {
  method: string;
  /** The URL with no credentials in it. */
  url: string;
  /** Header values with every secret redacted. */
  headers: Record<string, string>;
  body?: BodyPreview;
}

export interface RecordedResponse {
  status: number;
  headers: Record<string, string>;
  body?: BodyPreview;
  durationMs: number;
}

export interface Counterexample {
  /** What the case is, in words ("PNG palette 4-bit interlaced 17x13, multipart, Accept text/xml"). */
  description: string;
  /** Why it failed. */
  message: string;
  request: RecordedRequest;
  /** Absent when the connection dropped or timed out. */
  response?: RecordedResponse;
  /** The transport error, when there was no response. */
  error?: string;
  /** A curl command that replays the request; credentials come from environment placeholders. */
  curl: string;
  /** The CLI command that replays the case exactly. */
  replay: string;
  /** fast-check's replay path. */
  path?: string;
  seed: number;
  /** False when the run stopped before this case could be shrunk: it is the first failing case as sent. */
  shrunk?: boolean;
}

export interface RuleResult {
  id: string;
  level: RuleLevel;
  source: RuleSource;
  title: string;
  status: RuleStatus;
  /** Cases that exercised the rule. */
  cases: number;
  /** Cases that broke the rule at its level. */
  failures: number;
  /** Cases that gave a warning under the rule. */
  warnings: number;
  /** Findings of the first failure, or of the first warning when there is no failure. */
  message?: string;
  counterexample?: Counterexample;
  /** Observed outcomes worth telling (status -> count), for rules that only observe. */
  observations?: Record<string, number>;
}

export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** Upper bounds of the histogram buckets in ms; the last bucket is open-ended. */
  bucketsMs: number[];
  counts: number[];
}

export interface PactInteractionResult {
  description: string;
  providerState?: string;
  status: 'pass' | 'fail';
  message?: string;
}

export interface PactResult {
  file: string;
  consumer: string;
  provider: string;
  status: 'pass' | 'fail';
  interactions: PactInteractionResult[];
}

export interface RunConfiguration {
  runs: number;
  concurrency: number;
  /** Requests per second; null when unthrottled. */
  rate: number | null;
  timeoutMs: number;
  only: string[];
  authSchemes: string[];
  personId: number | null;
  shard?: string;
}

/** One input of a merged report (src/report/merge.ts). */
export interface ShardSummary {
  /** `i/n` when the input was a sharded run. */
  shard?: string;
  startedAt: string;
  durationMs: number;
  requests: number;
  /** The input report's own sha256. */
  sha256?: string;
}

/** Why a run stopped before its end. */
export type { StopKind };

export interface RunStop {
  kind: StopKind;
  /** One line, redacted: what happened and what to do. */
  reason: string;
  /** Requests sent when the run stopped. */
  afterRequests: number;
}

/** What became of the configured person's image, which the run saves first and puts back. */
export interface ImageRestore {
  /** `restored`: the saved image was put back; `removed`: the person had none and the run's image was deleted; `failed`: see message. */
  outcome: 'restored' | 'removed' | 'failed';
  message: string;
}

export interface Report {
  schemaVersion: 1;
  tool: { name: string; version: string };
  verdict: Verdict;
  spec: { file: string; sha256: string };
  seed: number;
  target: { url: string; embedded: boolean };
  startedAt: string;
  durationMs: number;
  configuration: RunConfiguration;
  /** Requests sent, in all. */
  requests: number;
  rules: RuleResult[];
  /** What was exercised: dimension -> value -> cases. */
  coverage: Record<string, Record<string, number>>;
  latency: LatencySummary;
  pact?: PactResult[];
  /** Present when the run stopped before its end: the verdict is then `incomplete` unless a MUST rule had already failed. */
  stop?: RunStop;
  /** What became of the person's image (absent on merged reports and where nothing was saved). */
  restore?: ImageRestore;
  /** Notes about the run that are not findings (e.g. the image restored). */
  notes: string[];
  /** Present on a report merged from several runs: the inputs, in order. */
  shards?: ShardSummary[];
  /** sha256 over the canonical report without this field. */
  sha256?: string;
}
