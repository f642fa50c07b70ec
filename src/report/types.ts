/**
 * The shape of reports/report.json as TypeScript types, derived from its JSON schema
 * (src/report/schema.ts, where each field is described), so the two cannot drift apart.
 * Everything a reporter shows comes from here: the HTML and JUnit renderers read nothing else.
 * Documented in README.md ("report.json").
 */
import type { FromSchema, JSONSchema } from 'json-schema-to-ts';
import type { StopKind } from '../errors.js';
import type { RuleLevel, RuleSource } from '../spec/rules.js';
import type {
  bodyPreviewSchema,
  counterexampleSchema,
  imageRestoreSchema,
  latencySummarySchema,
  pactInteractionResultSchema,
  pactResultSchema,
  recordedRequestSchema,
  recordedResponseSchema,
  reportSchema,
  ruleResultSchema,
  runStopSchema,
  shardSummarySchema,
} from './schema.js';

/**
 * The type of a schema without the `[x: string]: unknown` member FromSchema gives every object
 * that allows unknown members: readers may meet them, but nothing in the code names one.
 * Maps such as headers (`additionalProperties: { type: 'string' }`) keep theirs.
 */
type Known<T> = T extends readonly (infer U)[]
  ? Known<U>[]
  : T extends object
    ? { [K in keyof T as string extends K ? (unknown extends T[K] ? never : K) : K]: Known<T[K]> }
    : T;

type Of<S extends JSONSchema> = Known<FromSchema<S>>;

/** The whole of report.json. */
export type Report = Of<typeof reportSchema>;

/**
 * `incomplete`: the run stopped before it could judge every rule (see `Report.stop`) and no MUST
 * rule had failed yet; a run that stopped after a MUST failure is `does-not-conform`.
 */
export type Verdict = Report['verdict'];

/** One rule's outcome: its status, counts, first finding and shrunk counterexample. */
export type RuleResult = Of<typeof ruleResultSchema>;
export type RuleStatus = RuleResult['status'];

/** The first bytes of a body (text or hex), its size, a thumbnail of a small image, the file holding it. */
export type BodyPreview = Of<typeof bodyPreviewSchema>;
/** A request as sent, credentials redacted. */
export type RecordedRequest = Of<typeof recordedRequestSchema>;
/** An answer as received, secrets redacted. */
export type RecordedResponse = Of<typeof recordedResponseSchema>;
/** A failing case: what it is, why it failed, the exchange, and how to replay it. */
export type Counterexample = Of<typeof counterexampleSchema>;

/** Request durations: percentiles and a histogram. */
export type LatencySummary = Of<typeof latencySummarySchema>;

/** One interaction of a verified pact. */
export type PactInteractionResult = Of<typeof pactInteractionResultSchema>;
/** One verified pact file. */
export type PactResult = Of<typeof pactResultSchema>;

/** One input of a merged report (src/report/merge.ts). */
export type ShardSummary = Of<typeof shardSummarySchema>;

/** Why a run stopped before its end. */
export type { StopKind };
/** A run that stopped before its end: what stopped it, why, and after how many requests. */
export type RunStop = Of<typeof runStopSchema>;

/** What became of the configured person's image, which the run saves first and puts back. */
export type ImageRestore = Of<typeof imageRestoreSchema>;

// The schema's enums name the same values as the engine's own types: these fail to compile when they part.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Holds<T extends true> = T;
type Agreements = [Holds<Same<RunStop['kind'], StopKind>>, Holds<Same<RuleResult['level'], RuleLevel>>, Holds<Same<RuleResult['source'], RuleSource>>];
