/**
 * Reads a report.json: checks it against the report's JSON Schema (src/report/schema.ts) and what
 * the schema cannot express, and returns it typed; one clear ConfigError line otherwise.
 */
import { Ajv, type ErrorObject } from 'ajv';
import { ConfigError } from '../errors.js';
import { reportSchema } from './schema.js';
import type { Report } from './types.js';

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
