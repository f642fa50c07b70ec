/**
 * The JSON schema of report.json, the one description of its shape: the TypeScript types in
 * src/report/types.ts are derived from it, and every reader validates a report file with it
 * before trusting it. Unknown members are allowed (a newer engine may add optional fields);
 * the members the reporters read are checked for type and range. The `description`s are the
 * fields' documentation (README.md "report.json" tells the same). Reading a report with it:
 * src/report/parse.ts.
 */
const count = { type: 'integer', minimum: 0 } as const;
const ms = { type: 'number', minimum: 0 } as const;
const str = { type: 'string' } as const;
const sha256 = { type: 'string', pattern: '^[0-9a-fA-F]{64}$' } as const;
const headers = { type: 'object', additionalProperties: { type: 'string' }, description: 'Header values with every secret redacted.' } as const;
const counts = { type: 'object', additionalProperties: count } as const;
const passOrFail = { enum: ['pass', 'fail'] } as const;

export const bodyPreviewSchema = {
  type: 'object',
  required: ['size'],
  properties: {
    size: { ...count, description: 'Length in bytes of the whole body.' },
    mediaType: str,
    text: { ...str, description: 'The first bytes as UTF-8 text, when they are text.' },
    hex: { ...str, description: 'The first bytes as hex, when they are not text.' },
    imageBase64: { ...str, description: 'The whole body in base64, when it is an image small enough to show inline (thumbnails).' },
    file: { ...str, description: 'The file beside the report that holds the whole body, relative to the report folder.' },
  },
} as const;

export const recordedRequestSchema = {
  type: 'object',
  required: ['method', 'url', 'headers'],
  properties: { method: str, url: { ...str, description: 'The URL with no credentials in it.' }, headers, body: bodyPreviewSchema },
} as const;

export const recordedResponseSchema = {
  type: 'object',
  required: ['status', 'headers', 'durationMs'],
  properties: { status: { type: 'integer' }, headers, body: bodyPreviewSchema, durationMs: ms },
} as const;

export const counterexampleSchema = {
  type: 'object',
  required: ['description', 'message', 'request', 'curl', 'replay', 'seed'],
  properties: {
    description: { ...str, description: 'What the case is, in words ("PNG palette 4-bit interlaced 17x13, multipart, Accept text/xml").' },
    message: { ...str, description: 'Why it failed.' },
    request: recordedRequestSchema,
    response: { ...recordedResponseSchema, description: 'Absent when the connection dropped or timed out.' },
    error: { ...str, description: 'The transport error, when there was no response.' },
    curl: { ...str, description: 'A curl command that replays the request; credentials come from environment placeholders.' },
    replay: { ...str, description: 'The CLI command that replays the case exactly.' },
    path: { ...str, description: "fast-check's replay path." },
    seed: { type: 'integer' },
    shrunk: { type: 'boolean', description: 'False when the run stopped before this case could be shrunk: it is the first failing case as sent.' },
  },
} as const;

export const ruleResultSchema = {
  type: 'object',
  required: ['id', 'level', 'source', 'title', 'status', 'cases', 'failures', 'warnings'],
  properties: {
    id: { type: 'string', minLength: 1 },
    level: { enum: ['MUST', 'SHOULD'] },
    source: { enum: ['doc', 'inferred'] },
    title: str,
    status: { enum: ['pass', 'fail', 'warn', 'not-run'] },
    cases: { ...count, description: 'Cases that exercised the rule.' },
    failures: { ...count, description: 'Cases that broke the rule at its level.' },
    warnings: { ...count, description: 'Cases that gave a warning under the rule.' },
    message: { ...str, description: 'Findings of the first failure, or of the first warning when there is no failure.' },
    counterexample: counterexampleSchema,
    observations: { ...counts, description: 'Observed outcomes worth telling (status -> count), for rules that only observe.' },
  },
} as const;

export const latencySummarySchema = {
  type: 'object',
  required: ['count', 'p50', 'p95', 'p99', 'max', 'bucketsMs', 'counts'],
  properties: {
    count,
    p50: ms,
    p95: ms,
    p99: ms,
    max: ms,
    bucketsMs: { type: 'array', items: ms, description: 'Upper bounds of the histogram buckets in ms; the last bucket is open-ended.' },
    counts: { type: 'array', items: count },
  },
} as const;

export const pactInteractionResultSchema = {
  type: 'object',
  required: ['description', 'status'],
  properties: { description: str, providerState: str, status: passOrFail, message: str },
} as const;

export const pactResultSchema = {
  type: 'object',
  required: ['file', 'consumer', 'provider', 'status', 'interactions'],
  properties: { file: str, consumer: str, provider: str, status: passOrFail, interactions: { type: 'array', items: pactInteractionResultSchema } },
} as const;

const runConfigurationSchema = {
  type: 'object',
  required: ['runs', 'concurrency', 'rate', 'timeoutMs', 'only', 'authSchemes', 'personId'],
  properties: {
    runs: count,
    concurrency: count,
    rate: { type: ['number', 'null'], minimum: 0, description: 'Requests per second; null when unthrottled.' },
    timeoutMs: ms,
    only: { type: 'array', items: str },
    authSchemes: { type: 'array', items: str },
    personId: { type: ['integer', 'null'] },
    shard: str,
  },
} as const;

export const shardSummarySchema = {
  type: 'object',
  description: 'One input of a merged report (src/report/merge.ts).',
  required: ['startedAt', 'durationMs', 'requests'],
  properties: {
    shard: { ...str, description: '`i/n` when the input was a sharded run.' },
    startedAt: str,
    durationMs: ms,
    requests: count,
    sha256: { ...str, description: "The input report's own sha256." },
  },
} as const;

export const runStopSchema = {
  type: 'object',
  description: 'Why a run stopped before its end.',
  required: ['kind', 'reason', 'afterRequests'],
  properties: {
    kind: { enum: ['circuit-breaker', 'target-gone', 'throttled', 'credential-expired', 'interrupted'] },
    reason: { ...str, description: 'One line, redacted: what happened and what to do.' },
    afterRequests: { ...count, description: 'Requests sent when the run stopped.' },
  },
} as const;

export const imageRestoreSchema = {
  type: 'object',
  description: "What became of the configured person's image, which the run saves first and puts back.",
  required: ['outcome', 'message'],
  properties: {
    outcome: {
      enum: ['restored', 'removed', 'failed'],
      description: '`restored`: the saved image was put back; `removed`: the person had none and the run\'s image was deleted; `failed`: see message.',
    },
    message: str,
  },
} as const;

const baselineResultSchema = {
  type: 'object',
  description: 'One entry of the baseline the run was given (`--baseline FILE`): an accepted finding.',
  required: ['rule', 'reason', 'expires', 'expired', 'hidden'],
  properties: {
    rule: { ...str, description: 'The rule whose finding is accepted.' },
    reason: { ...str, description: 'Why it is accepted, as the baseline file says.' },
    expires: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'The last day (UTC) the entry is in force.' },
    expired: { type: 'boolean', description: 'True when the run started after that day: the finding counts in the verdict again.' },
    hidden: {
      type: 'boolean',
      description: "True when the entry was in force and its rule failed or warned: the rule's status and message stay in the report, but the verdict counts a failure as a warning.",
    },
  },
} as const;

export const reportSchema = {
  $id: 'https://person-image-conformance/report.schema.json',
  type: 'object',
  required: ['schemaVersion', 'tool', 'verdict', 'spec', 'seed', 'target', 'startedAt', 'durationMs', 'configuration', 'requests', 'rules', 'coverage', 'latency', 'notes'],
  properties: {
    schemaVersion: { const: 1 },
    tool: { type: 'object', required: ['name', 'version'], properties: { name: str, version: str } },
    verdict: {
      enum: ['conforms', 'conforms-with-warnings', 'does-not-conform', 'incomplete'],
      description: '`incomplete`: the run stopped before it could judge every rule (see `stop`) and no MUST rule had failed yet; a run that stopped after a MUST failure is `does-not-conform`.',
    },
    spec: { type: 'object', required: ['file', 'sha256'], properties: { file: str, sha256 } },
    seed: { type: 'integer' },
    target: { type: 'object', required: ['url', 'embedded'], properties: { url: str, embedded: { type: 'boolean' } } },
    startedAt: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}' },
    durationMs: ms,
    configuration: runConfigurationSchema,
    requests: { ...count, description: 'Requests sent, in all.' },
    rules: { type: 'array', items: ruleResultSchema },
    coverage: { type: 'object', additionalProperties: counts, description: 'What was exercised: dimension -> value -> cases.' },
    latency: latencySummarySchema,
    pact: { type: 'array', items: pactResultSchema },
    stop: { ...runStopSchema, description: 'Present when the run stopped before its end: the verdict is then `incomplete` unless a MUST rule had already failed.' },
    restore: { ...imageRestoreSchema, description: "What became of the person's image (absent on merged reports and where nothing was saved)." },
    notes: { type: 'array', items: str, description: 'Notes about the run that are not findings (e.g. the image restored).' },
    sha256: { ...sha256, description: 'sha256 over the canonical report without this field.' },
    shards: { type: 'array', items: shardSummarySchema, description: 'Present on a report merged from several runs: the inputs, in order.' },
    baseline: { type: 'array', items: baselineResultSchema, description: 'Present when the run was given a baseline (`--baseline FILE`): each accepted finding and what it hid.' },
  },
} as const;
