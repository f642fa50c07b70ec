import { readFile } from 'node:fs/promises';
import { Ajv } from 'ajv';
import YAML from 'yaml';
import { SpecError } from '../errors.js';
import { defaultRulesPath } from '../package-root.js';

export type RuleLevel = 'MUST' | 'SHOULD';
export type RuleSource = 'doc' | 'inferred';

export interface Rule {
  id: string;
  level: RuleLevel;
  source: RuleSource;
  title: string;
  statement: string;
  /** Statuses that, where the rule otherwise fails, are only warnings. */
  warnOn: number[];
  /** The case families whose cases this rule judges. */
  exercisedBy: string[];
}

const catalogueSchema = {
  type: 'object',
  required: ['rules'],
  additionalProperties: false,
  properties: {
    rules: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['id', 'level', 'source', 'title', 'statement', 'exercisedBy'],
        additionalProperties: false,
        properties: {
          id: { type: 'string', pattern: '^[a-z0-9]+(-[a-z0-9]+)*$' },
          level: { enum: ['MUST', 'SHOULD'] },
          source: { enum: ['doc', 'inferred'] },
          title: { type: 'string', minLength: 1 },
          statement: { type: 'string', minLength: 1 },
          warnOn: { type: 'array', items: { type: 'integer', minimum: 100, maximum: 599 } },
          exercisedBy: { type: 'array', minItems: 1, items: { type: 'string', pattern: '^[a-z0-9-]+$' } },
        },
      },
    },
  },
} as const;

const validateCatalogue = new Ajv({ allErrors: false }).compile(catalogueSchema);

const cache = new Map<string, Promise<Rule[]>>();

/** Reads and validates the rules catalogue. Cached per path. */
export function loadRules(path: string = defaultRulesPath): Promise<Rule[]> {
  let loaded = cache.get(path);
  if (!loaded) {
    loaded = read(path);
    loaded.catch(() => cache.delete(path));
    cache.set(path, loaded);
  }
  return loaded;
}

async function read(path: string): Promise<Rule[]> {
  let raw: unknown;
  try {
    raw = YAML.parse(await readFile(path, 'utf8'));
  } catch (e) {
    throw new SpecError(`cannot read the rules catalogue ${path}: ${(e as Error).message.split('\n')[0]}`);
  }
  if (!validateCatalogue(raw)) {
    const err = validateCatalogue.errors?.[0];
    throw new SpecError(`the rules catalogue ${path} is malformed: ${err?.instancePath || '/'} ${err?.message ?? ''}`.trim());
  }
  const rules = (raw as { rules: (Omit<Rule, 'warnOn'> & { warnOn?: number[] })[] }).rules.map((r) => ({ ...r, warnOn: r.warnOn ?? [] }));
  const seen = new Set<string>();
  for (const r of rules) {
    if (seen.has(r.id)) throw new SpecError(`the rules catalogue ${path} names rule ${r.id} twice`);
    seen.add(r.id);
  }
  return rules;
}
