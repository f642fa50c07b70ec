/**
 * Reads a baseline file (`run --baseline FILE`, SO_BASELINE): JSON or YAML, a list of
 * `{rule, reason, expires}` validated with ajv against src/config/baseline-schema.ts. Every
 * problem is one ConfigError line naming the file and the entry; whether each rule id is in the
 * catalogue is checked once the catalogue is loaded (src/run/baseline.ts).
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FromSchema } from 'json-schema-to-ts';
import YAML from 'yaml';
import { ConfigError } from '../errors.js';
import { baselineFileSchema } from './baseline-schema.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/** One accepted finding: a rule id, why, and the last day (UTC, YYYY-MM-DD) it is accepted. */
type BaselineEntry = FromSchema<typeof baselineFileSchema>[number];

/** A baseline as the run uses it: the file it came from and its entries. */
export interface Baseline {
  file: string;
  entries: BaselineEntry[];
}

const validate = addFormats(new Ajv({ allErrors: false, strict: true })).compile<BaselineEntry[]>(baselineFileSchema);

/** `entry N` (1-based) for an instance path such as `/0/reason`, or `the file` for the top level. */
function where(instancePath: string): { entry: string; member: string | undefined } {
  const [, index, member] = instancePath.split('/');
  return index === undefined ? { entry: 'the file', member: undefined } : { entry: `entry ${Number(index) + 1}`, member };
}

/** One line for ajv's first error, in the words of a baseline file. */
function describe(err: ErrorObject | undefined, value: unknown): string {
  if (!err) return 'does not match the baseline schema';
  const { entry, member } = where(err.instancePath);
  const got = member !== undefined ? (value as Record<string, unknown>[])[Number(err.instancePath.split('/')[1])]?.[member] : undefined;
  switch (err.keyword) {
    case 'type':
      return entry === 'the file' ? 'it must be a list of {rule, reason, expires} entries' : member ? `${entry}: ${member} must be a ${String(err.params.type)}` : `${entry} must be an object {rule, reason, expires}`;
    case 'required':
      return `${entry} lacks "${String(err.params.missingProperty)}"`;
    case 'additionalProperties':
      return `${entry} has an unknown member "${String(err.params.additionalProperty)}" (allowed: rule, reason, expires)`;
    case 'pattern':
    case 'format':
      return member === 'reason' ? `${entry}: reason is blank` : `${entry}: expires must be a date YYYY-MM-DD, not ${JSON.stringify(got)}`;
    case 'minLength':
      return `${entry}: ${member ?? 'a member'} is empty`;
    default:
      return `${entry}${member ? ` ${member}` : ''} ${err.message ?? 'is invalid'}`;
  }
}

/** Reads and validates a baseline file; one ConfigError line for anything wrong with it. */
export function readBaselineFile(file: string): Baseline {
  let raw: string;
  try {
    raw = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(`--baseline ${file}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  let value: unknown;
  try {
    value = YAML.parse(raw.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new ConfigError(`--baseline ${file} is neither JSON nor YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  if (!validate(value)) throw new ConfigError(`--baseline ${file}: ${describe(validate.errors?.[0], value)}`);
  const seen = new Set<string>();
  for (const [i, e] of value.entries()) {
    if (seen.has(e.rule)) throw new ConfigError(`--baseline ${file}: entry ${i + 1} names rule ${e.rule} again (one entry per rule)`);
    seen.add(e.rule);
  }
  return { file, entries: value };
}
