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

/**
 * A rule about the client side of the traffic (`side: client` in the catalogue): what a partner's
 * integration must do, judged by the checking proxy (src/proxy/, checks in src/checks/client/).
 * `loadRules` never returns these: the server's rules, a run's report and the catalogue test stay as they were.
 */
export interface ClientRule {
  id: string;
  level: RuleLevel;
  source: RuleSource;
  title: string;
  statement: string;
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
        required: ['id', 'level', 'source', 'title', 'statement'],
        additionalProperties: false,
        // A server rule names the families that exercise it; a client rule names none (the proxy's traffic does).
        if: { required: ['side'], properties: { side: { const: 'client' } } },
        then: { not: { anyOf: [{ required: ['exercisedBy'] }, { required: ['warnOn'] }] } },
        else: { required: ['exercisedBy'] },
        properties: {
          id: { type: 'string', pattern: '^[a-z0-9]+(-[a-z0-9]+)*$' },
          side: { enum: ['server', 'client'] },
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

interface Catalogue {
  server: Rule[];
  client: ClientRule[];
}

const cache = new Map<string, Promise<Catalogue>>();

function catalogue(path: string): Promise<Catalogue> {
  let loaded = cache.get(path);
  if (!loaded) {
    loaded = read(path);
    loaded.catch(() => cache.delete(path));
    cache.set(path, loaded);
  }
  return loaded;
}

/** Reads and validates the rules catalogue; answers the server's rules (those without `side: client`). Cached per path. */
export async function loadRules(path: string = defaultRulesPath): Promise<Rule[]> {
  return (await catalogue(path)).server;
}

/** The catalogue's client rules (`side: client`), which the checking proxy judges. */
export async function loadClientRules(path: string = defaultRulesPath): Promise<ClientRule[]> {
  return (await catalogue(path)).client;
}

type RawRule = Omit<Rule, 'warnOn' | 'exercisedBy'> & { side?: 'server' | 'client'; warnOn?: number[]; exercisedBy?: string[] };

async function read(path: string): Promise<Catalogue> {
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
  const all = (raw as { rules: RawRule[] }).rules;
  const seen = new Set<string>();
  for (const r of all) {
    if (seen.has(r.id)) throw new SpecError(`the rules catalogue ${path} names rule ${r.id} twice`);
    seen.add(r.id);
  }
  const server = all.filter((r) => r.side !== 'client').map(({ side: _side, ...r }) => ({ ...r, warnOn: r.warnOn ?? [], exercisedBy: r.exercisedBy ?? [] }));
  const client = all.filter((r) => r.side === 'client').map(({ id, level, source, title, statement }) => ({ id, level, source, title, statement }));
  return { server, client };
}
