/**
 * Run's config file: found (`--config FILE`, else SO_CONFIG, else person-image-conformance.config
 * .json/.yaml/.yml in the working directory), parsed with positions (the yaml package reads JSON
 * and YAML), validated against the schema built from the options table, its secrets' `${ENV}`
 * references expanded and its relative paths read from its folder. Every problem is one
 * ConfigError line naming the file, the line and the key.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import { isMap, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import type { OptionSpec } from '../cli/options.js';
import { ConfigError, UsageError } from '../errors.js';
import { configFileSchema, isPathOption } from './config-schema.js';

/** The names looked for in the working directory, in this order; more than one there is an error. */
const configFileNames = ['person-image-conformance.config.json', 'person-image-conformance.config.yaml', 'person-image-conformance.config.yml'] as const;

type ConfigFileValue = string | string[] | number | boolean;

export interface ConfigFile {
  /** The file as the user named it (or its name in the working directory). */
  path: string;
  /** How it was found: `--config`, `SO_CONFIG`, or in the working directory. */
  foundBy: '--config' | 'SO_CONFIG' | 'working directory';
  values: Record<string, ConfigFileValue>;
  /** The line of each key. */
  lines: Record<string, number>;
}

type FoundFile = Pick<ConfigFile, 'path' | 'foundBy'>;

/** Which file holds the options: `--config`, else SO_CONFIG (set but empty is an error), else one of configFileNames in `cwd`. */
export function findConfigFile(flag: string | undefined, env: NodeJS.ProcessEnv, cwd: string): FoundFile | undefined {
  if (flag !== undefined) {
    if (flag.trim() === '') throw new UsageError('--config is empty; give a file or leave the option out');
    return { path: flag, foundBy: '--config' };
  }
  const fromEnv = env.SO_CONFIG;
  if (fromEnv !== undefined) {
    if (fromEnv.trim() === '') throw new UsageError('SO_CONFIG is set but empty (an unset CI variable?); give it a file or unset it');
    return { path: fromEnv, foundBy: 'SO_CONFIG' };
  }
  const present = configFileNames.filter((n) => existsSync(join(cwd, n)));
  if (present.length > 1) throw new ConfigError(`${present.join(' and ')} are both in ${cwd}; keep one, or choose with --config FILE`);
  return present[0] !== undefined ? { path: present[0], foundBy: 'working directory' } : undefined;
}

/** The first line of a yaml parse error, without its " at line L, column C:" tail. */
function parseProblem(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

function parse(found: FoundFile, text: string): { doc: Document; lines: LineCounter } {
  const lines = new LineCounter();
  const doc = parseDocument(text.replace(/^\uFEFF/, ''), { lineCounter: lines, prettyErrors: true });
  const err = doc.errors[0];
  if (err) throw new ConfigError(`${found.path}:${err.linePos?.[0].line ?? 1}: not valid JSON or YAML: ${parseProblem(err.message)}`);
  return { doc, lines };
}

/** The line of a key (`key: true`) or of the value at a path (`['auth', 1]`). */
function lineAt(doc: Document, lines: LineCounter, path: (string | number)[], key = false): number {
  const root = doc.contents;
  if (path.length === 0 || !isMap(root)) return lines.linePos(root?.range?.[0] ?? 0).line;
  if (key) {
    const pair = root.items.find((p) => isScalar(p.key) && p.key.value === path[0]);
    return lines.linePos((pair?.key as { range?: [number, number, number] } | undefined)?.range?.[0] ?? 0).line;
  }
  const node = doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
  return node?.range ? lines.linePos(node.range[0]).line : lineAt(doc, lines, path.slice(0, 1), true);
}

/** The type of a value, never the value itself (it may be a secret). */
function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return { string: 'a string', number: 'a number', boolean: 'true/false', object: 'an object' }[typeof value as string] ?? typeof value;
}

const typeWords: Record<string, string> = { number: 'a number', boolean: 'true or false', string: 'a string', 'string,array': 'a string or a list of strings', 'string,boolean': 'a string or true/false' };

/** `personId`, `--person-id` or `person_id` for `person-id`. */
function suggestion(key: string, table: readonly OptionSpec[]): string {
  const kebab = key.replace(/^-+/, '').replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/_/g, '-').toLowerCase();
  const known = table.find((o) => o.flag === kebab);
  return known ? ` (did you mean "${known.flag}"?)` : '; the keys are the options of run without the dashes (see --help)';
}

interface Located {
  line: number;
  text: string;
}

function locate(err: ErrorObject, doc: Document, lines: LineCounter, data: unknown, table: readonly OptionSpec[]): Located {
  const path = err.instancePath.split('/').slice(1).map((s, i) => (i > 0 && /^\d+$/.test(s) ? Number(s) : s.replace(/~1/g, '/').replace(/~0/g, '~')));
  const name = path.length === 0 ? 'the file' : path.length === 1 ? String(path[0]) : `${String(path[0])}[${String(path[1])}]`;
  const value = path.reduce<unknown>((v, k) => (v as Record<string | number, unknown> | undefined)?.[k], data);
  if (err.keyword === 'additionalProperties') {
    const key = String(err.params.additionalProperty);
    return { line: lineAt(doc, lines, [key], true), text: `unknown key "${key}"${suggestion(key, table)}` };
  }
  const line = lineAt(doc, lines, path);
  if (path.length === 0) return { line, text: `the file must hold options as key: value pairs, not ${kindOf(value)}` };
  if (err.keyword === 'type') return { line, text: `${name}: must be ${typeWords[String(err.params.type)] ?? String(err.params.type)}, not ${kindOf(value)}` };
  if (err.keyword === 'minLength' || err.keyword === 'minItems') return { line, text: `${name}: must not be empty` };
  return { line, text: `${name}: ${err.message ?? 'is invalid'}` };
}

/** Validates the parsed file; the problem nearest the top of the file is the one line reported. */
function validate(found: FoundFile, doc: Document, lines: LineCounter, table: readonly OptionSpec[]): Record<string, ConfigFileValue> {
  const data: unknown = doc.contents === null ? {} : doc.toJS();
  const check = new Ajv({ allErrors: true, allowUnionTypes: true }).compile(configFileSchema(table));
  if (check(data)) return data as Record<string, ConfigFileValue>;
  const problems = (check.errors ?? []).map((e) => locate(e, doc, lines, data, table)).sort((a, b) => a.line - b.line);
  const first = problems[0] ?? { line: 1, text: 'does not match the schema' };
  throw new ConfigError(`${found.path}:${first.line}: ${first.text}`);
}

/** `${NAME}` replaced by the variable (unset or empty: an error), `$${` kept as a literal `${`. */
function expandReferences(value: string, env: NodeJS.ProcessEnv, where: string): string {
  return value.replace(/\$(\$?)\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, escaped: string, name: string) => {
    if (escaped) return `\${${name}}`;
    const v = env[name];
    if (v === undefined) throw new ConfigError(`${where}: \${${name}} is not set`);
    if (v === '') throw new ConfigError(`${where}: \${${name}} is set but empty`);
    return v;
  });
}

/** A relative path in the file, as seen from the working directory. */
function fromFileFolder(value: string, file: string, cwd: string): string {
  if (isAbsolute(value)) return value;
  return relative(cwd, resolve(cwd, dirname(file), value)) || '.';
}

/** Reads, validates and resolves a config file found by findConfigFile. */
export function readConfigFile(found: FoundFile, env: NodeJS.ProcessEnv, table: readonly OptionSpec[], cwd: string): ConfigFile {
  let text: string;
  try {
    text = readFileSync(resolve(cwd, found.path), 'utf8');
  } catch (e) {
    const named = found.foundBy === 'working directory' ? found.path : `${found.foundBy} ${found.path}`;
    throw new ConfigError(`${named}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const { doc, lines } = parse(found, text);
  const raw = validate(found, doc, lines, table);
  const values: Record<string, ConfigFileValue> = {};
  const keyLines: Record<string, number> = {};
  for (const o of table) {
    const v = raw[o.flag];
    if (v === undefined) continue;
    keyLines[o.flag] = lineAt(doc, lines, [o.flag], true);
    const where = `${found.path}:${keyLines[o.flag]!}: ${o.flag}`;
    const each = (s: string) => (o.secret ? expandReferences(s, env, where) : isPathOption(o) ? fromFileFolder(s, found.path, cwd) : s);
    values[o.flag] = typeof v === 'string' ? each(v) : Array.isArray(v) ? v.map(each) : v;
  }
  return { ...found, values, lines: keyLines };
}
