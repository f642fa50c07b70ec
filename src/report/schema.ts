/**
 * The JSON schema of report.json (src/report/types.ts) and the validator every reader uses
 * before it trusts a report file. Unknown members are allowed (a newer engine may add optional
 * fields); the members the reporters read are checked for type and range.
 */
import { Ajv, type ErrorObject } from 'ajv';
import { ConfigError } from '../errors.js';
import type { Report } from './types.js';

const count = { type: 'integer', minimum: 0 } as const;
const ms = { type: 'number', minimum: 0 } as const;
const str = { type: 'string' } as const;
const headers = { type: 'object', additionalProperties: { type: 'string' } } as const;
const counts = { type: 'object', additionalProperties: count } as const;

const bodyPreview = {
  type: 'object',
  required: ['size'],
  properties: {
    size: count,
    mediaType: str,
    text: str,
    hex: str,
    imageBase64: str,
    file: str,
  },
} as const;

const counterexample = {
  type: 'object',
  required: ['description', 'message', 'request', 'curl', 'replay', 'seed'],
  properties: {
    description: str,
    message: str,
    request: {
      type: 'object',
      required: ['method', 'url', 'headers'],
      properties: { method: str, url: str, headers, body: bodyPreview },
    },
    response: {
      type: 'object',
      required: ['status', 'headers', 'durationMs'],
      properties: { status: { type: 'integer' }, headers, body: bodyPreview, durationMs: ms },
    },
    error: str,
    curl: str,
    replay: str,
    path: str,
    seed: { type: 'integer' },
    shrunk: { type: 'boolean' },
  },
} as const;

const ruleResult = {
  type: 'object',
  required: ['id', 'level', 'source', 'title', 'status', 'cases', 'failures', 'warnings'],
  properties: {
    id: { type: 'string', minLength: 1 },
    level: { enum: ['MUST', 'SHOULD'] },
    source: { enum: ['doc', 'inferred'] },
    title: str,
    status: { enum: ['pass', 'fail', 'warn', 'not-run'] },
    cases: count,
    failures: count,
    warnings: count,
    message: str,
    counterexample,
    observations: counts,
  },
} as const;

const pactResult = {
  type: 'object',
  required: ['file', 'consumer', 'provider', 'status', 'interactions'],
  properties: {
    file: str,
    consumer: str,
    provider: str,
    status: { enum: ['pass', 'fail'] },
    interactions: {
      type: 'array',
      items: {
        type: 'object',
        required: ['description', 'status'],
        properties: { description: str, providerState: str, status: { enum: ['pass', 'fail'] }, message: str },
      },
    },
  },
} as const;

export const reportSchema = {
  $id: 'https://person-image-conformance/report.schema.json',
  type: 'object',
  required: [
    'schemaVersion',
    'tool',
    'verdict',
    'spec',
    'seed',
    'target',
    'startedAt',
    'durationMs',
    'configuration',
    'requests',
    'rules',
    'coverage',
    'latency',
    'notes',
  ],
  properties: {
    schemaVersion: { const: 1 },
    tool: { type: 'object', required: ['name', 'version'], properties: { name: str, version: str } },
    verdict: { enum: ['conforms', 'conforms-with-warnings', 'does-not-conform', 'incomplete'] },
    spec: {
      type: 'object',
      required: ['file', 'sha256'],
      properties: { file: str, sha256: { type: 'string', pattern: '^[0-9a-fA-F]{64}$' } },
    },
    seed: { type: 'integer' },
    target: { type: 'object', required: ['url', 'embedded'], properties: { url: str, embedded: { type: 'boolean' } } },
    startedAt: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}' },
    durationMs: ms,
    configuration: {
      type: 'object',
      required: ['runs', 'concurrency', 'rate', 'timeoutMs', 'only', 'authSchemes', 'personId'],
      properties: {
        runs: count,
        concurrency: count,
        rate: { type: ['number', 'null'], minimum: 0 },
        timeoutMs: ms,
        only: { type: 'array', items: str },
        authSchemes: { type: 'array', items: str },
        personId: { type: ['integer', 'null'] },
        shard: str,
      },
    },
    requests: count,
    rules: { type: 'array', items: ruleResult },
    coverage: { type: 'object', additionalProperties: counts },
    latency: {
      type: 'object',
      required: ['count', 'p50', 'p95', 'p99', 'max', 'bucketsMs', 'counts'],
      properties: {
        count,
        p50: ms,
        p95: ms,
        p99: ms,
        max: ms,
        bucketsMs: { type: 'array', items: ms },
        counts: { type: 'array', items: count },
      },
    },
    pact: { type: 'array', items: pactResult },
    stop: {
      type: 'object',
      required: ['kind', 'reason', 'afterRequests'],
      properties: {
        kind: { enum: ['circuit-breaker', 'target-gone', 'throttled', 'credential-expired', 'interrupted'] },
        reason: str,
        afterRequests: count,
      },
    },
    restore: {
      type: 'object',
      required: ['outcome', 'message'],
      properties: { outcome: { enum: ['restored', 'removed', 'failed'] }, message: str },
    },
    notes: { type: 'array', items: str },
    sha256: { type: 'string', pattern: '^[0-9a-fA-F]{64}$' },
    shards: {
      type: 'array',
      items: {
        type: 'object',
        required: ['startedAt', 'durationMs', 'requests'],
        properties: { shard: str, startedAt: str, durationMs: ms, requests: count, sha256: str },
      },
    },
  },
} as const;

const ajv = new Ajv({ allErrors: false, strict: true, allowUnionTypes: true });
const validate = ajv.compile(reportSchema);

function describe(err: ErrorObject | undefined): string {
  if (!err) return 'does not match the report schema';
  const where = err.instancePath || '/';
  if (err.keyword === 'enum') {
    const allowed = (err.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ');
    return `${where} must be one of ${allowed}`;
  }
  if (err.keyword === 'required') return `${where} lacks the member "${(err.params as { missingProperty: string }).missingProperty}"`;
  if (err.keyword === 'const') return `${where} must be ${JSON.stringify((err.params as { allowedValue: unknown }).allowedValue)}`;
  return `${where} ${err.message ?? 'is invalid'}`;
}

/** Problems the schema cannot express; the renderers rely on these too. */
function semanticProblem(r: Report): string | undefined {
  const { bucketsMs, counts: c } = r.latency;
  if (c.length !== bucketsMs.length && c.length !== bucketsMs.length + 1) {
    return `/latency has ${c.length} counts for ${bucketsMs.length} bucket bounds (expected ${bucketsMs.length} or ${bucketsMs.length + 1})`;
  }
  for (let i = 1; i < bucketsMs.length; i++) {
    if ((bucketsMs[i] ?? 0) <= (bucketsMs[i - 1] ?? 0)) return `/latency/bucketsMs must be increasing (at index ${i})`;
  }
  return undefined;
}

/** True when `value` has the shape of a Report. */
export function isReport(value: unknown): value is Report {
  return validate(value) && semanticProblem(value as Report) === undefined;
}

/**
 * Checks the shape of a parsed report.json and returns it typed; throws ConfigError with one
 * clear line naming `source` and the first problem otherwise.
 */
export function parseReport(value: unknown, source: string): Report {
  if (!validate(value)) {
    throw new ConfigError(`${source} is not a valid report.json: ${describe(validate.errors?.[0])}`);
  }
  const problem = semanticProblem(value as Report);
  if (problem) throw new ConfigError(`${source} is not a valid report.json: ${problem}`);
  return value as Report;
}
