/** Turns flags and environment variables into a RunConfig, with one clear error for each mistake. */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { keylessSigningOf } from '../attest/keyless-config.js';
import { loadSigningKey } from '../attest/keys.js';
import { readBaselineFile } from '../config/baseline-file.js';
import { parseAuth, type Credential } from '../config/credentials.js';
import { defaults, type RunConfig } from '../config/run-config.js';
import { ConfigError, UsageError } from '../errors.js';
import type { OptionSpec } from './options.js';

export { parseAuth };

export type ParsedValues = Record<string, string | string[] | boolean | undefined>;

/**
 * `--runs -1` as `--runs=-1`: Node's parseArgs calls a value that starts with a dash ambiguous,
 * but a negative number after an option that takes a value is that value, and meets its range check.
 */
function joinNegativeNumbers(argv: string[], options: Record<string, { type: 'string' | 'boolean' }>): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') return [...out, ...argv.slice(i)];
    const next = argv[i + 1];
    const takesValue = arg.startsWith('--') && options[arg.slice(2)]?.type === 'string';
    if (takesValue && next !== undefined && /^-\.?\d/.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}

/** `--flag` with no value after it (the end, or another `-…` next) becomes `--flag=VALUE` for an option with an implied value (`--har`). */
function withImpliedValues(argv: string[], table: OptionSpec[]): string[] {
  const implied = new Map<string, string>(table.flatMap((o) => (o.impliedValue !== undefined ? [[`--${o.flag}`, `--${o.flag}=${o.impliedValue}`] as const] : [])));
  const end = argv.indexOf('--');
  return argv.map((arg, i) => {
    const next = argv[i + 1];
    const bare = implied.has(arg) && (end === -1 || i < end) && (next === undefined || next.startsWith('-'));
    return bare ? implied.get(arg)! : arg;
  });
}

/** Parses argv against the option table; unknown flags and missing values are usage errors. */
export function parseFlags(argv: string[], table: OptionSpec[], extra: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }> = {}): { values: ParsedValues; positionals: string[] } {
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }> = { ...extra };
  for (const o of table) options[o.flag] = o.value ? { type: 'string', ...(o.repeatable ? { multiple: true } : {}) } : { type: 'boolean' };
  try {
    const { values, positionals } = parseArgs({ args: joinNegativeNumbers(withImpliedValues(argv, table), options), options, allowPositionals: true, strict: true });
    return { values: values as ParsedValues, positionals };
  } catch (e) {
    throw new UsageError((e as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, '').split('\n')[0]!);
  }
}

/**
 * Options that decide what is tested: an empty value (an unset CI variable, `--target ''`) is a
 * usage error, never a silent fall-back to the default (for --target: the embedded reference target).
 */
const MUST_NOT_BE_EMPTY = new Set(['target', 'auth', 'auth-command', 'session-cookie', 'xsrf-token', 'app-token', 'person-id', 'baseline', 'sign-key']);

/** The value of an option: the flag, else its environment variable. */
function pick(values: ParsedValues, env: NodeJS.ProcessEnv, table: OptionSpec[], flag: string): string | string[] | undefined {
  const spec = table.find((o) => o.flag === flag);
  const v = values[flag];
  if (v !== undefined && typeof v !== 'boolean') {
    if (MUST_NOT_BE_EMPTY.has(flag) && [v].flat().some((x) => x.trim() === '')) throw new UsageError(`--${flag} is empty; give a value or leave the option out`);
    return v;
  }
  const e = spec?.env ? env[spec.env] : undefined;
  if (e !== undefined && e.trim() === '' && MUST_NOT_BE_EMPTY.has(flag)) {
    throw new UsageError(`${spec!.env} is set but empty (an unset CI variable?); give it a value or unset it`);
  }
  return e !== undefined && e !== '' ? e : undefined;
}

function integer(name: string, raw: string | string[] | undefined, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (raw === undefined) return undefined;
  const s = Array.isArray(raw) ? raw[raw.length - 1]! : raw;
  if (!/^-?\d+$/.test(s.trim())) throw new UsageError(`--${name} takes a whole number, not ${JSON.stringify(s)}`);
  const n = Number(s);
  if (n < min || n > max) throw new UsageError(`--${name} must be between ${min} and ${max}, not ${n}`);
  return n;
}

function positive(name: string, raw: string | string[] | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const s = Array.isArray(raw) ? raw[raw.length - 1]! : raw;
  const n = Number(s);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--${name} takes a positive number, not ${JSON.stringify(s)}`);
  return n;
}

/** SO_AUTH is comma-separated; a comma inside a credential is kept when the next piece is no `scheme:`. */
export function splitAuthEnv(value: string): string[] {
  const out: string[] = [];
  for (const piece of value.split(',')) {
    if (out.length > 0 && !/^\s*(basic|soticket|bearer):/i.test(piece)) out[out.length - 1] += `,${piece}`;
    else out.push(piece.trim());
  }
  return out.filter((s) => s.length > 0);
}

/** `--har` / SO_HAR: `counterexamples` (the flag alone; SO_HAR also `1` or `true`) or `all`; `0` or `false` in SO_HAR: none. */
function harMode(raw: string | undefined): RunConfig['har'] {
  if (raw === undefined) return undefined;
  const v = raw.trim().toLowerCase();
  if (v === 'counterexamples' || v === '1' || v === 'true') return 'counterexamples';
  if (v === 'all') return 'all';
  if (v === '0' || v === 'false') return undefined;
  throw new UsageError(`--har (SO_HAR) takes no value (the counterexamples' exchanges) or \`all\` (every exchange), not ${JSON.stringify(raw)}`);
}

/** `--sign-key FILE` (SO_SIGN_KEY): read and checked here, before the run sends anything; a bad key is exit 2, never a run left unsigned. */
function signKeyOf(values: ParsedValues, env: NodeJS.ProcessEnv, table: OptionSpec[]): Pick<RunConfig, 'signKey'> {
  const path = pick(values, env, table, 'sign-key') as string | undefined;
  return path === undefined ? {} : { signKey: loadSigningKey(path) };
}

/** A switch with a variable (`--sign-keyless`, SO_SIGN_KEYLESS): the flag or the file's true/false, else the variable's 1/true/yes or 0/false/no (blank: off). */
function switchOf(values: ParsedValues, env: NodeJS.ProcessEnv, table: OptionSpec[], flag: string): boolean {
  const spec = table.find((o) => o.flag === flag);
  if (spec === undefined) return false;
  const v = values[flag];
  if (typeof v === 'boolean') return v;
  const raw = spec.env !== undefined ? env[spec.env] : undefined;
  const e = raw?.trim().toLowerCase() ?? '';
  if (e === '' || e === '0' || e === 'false' || e === 'no') return false;
  if (e === '1' || e === 'true' || e === 'yes') return true;
  throw new UsageError(`${spec.env!} takes 1 or 0 (true or false), not ${JSON.stringify(raw)}`);
}

/**
 * `--sign-keyless` (SO_SIGN_KEYLESS=1): the Sigstore instances and the OIDC token's source,
 * checked here, before the run sends anything (no token: exit 2, never a run left unsigned).
 */
function signKeylessOf(values: ParsedValues, env: NodeJS.ProcessEnv, table: OptionSpec[]): Pick<RunConfig, 'signKeyless'> {
  return switchOf(values, env, table, 'sign-keyless') ? { signKeyless: keylessSigningOf(env) } : {};
}

/** `--baseline FILE` (SO_BASELINE): read and checked here, before the run sends anything (its rule ids once the catalogue is loaded). */
function withBaseline(config: RunConfig, file: string | string[] | undefined): void {
  if (typeof file === 'string') config.baseline = readBaselineFile(file);
}

export function resolveRunConfig(values: ParsedValues, env: NodeJS.ProcessEnv, table: OptionSpec[]): RunConfig {
  const auth = pick(values, env, table, 'auth');
  const authSpecs = Array.isArray(auth) ? auth : auth !== undefined ? splitAuthEnv(auth) : [];
  const credentials: Credential[] = authSpecs.map(parseAuth);
  const cookie = pick(values, env, table, 'session-cookie') as string | undefined;
  const xsrf = pick(values, env, table, 'xsrf-token') as string | undefined;
  if ((cookie === undefined) !== (xsrf === undefined)) throw new UsageError('--session-cookie and --xsrf-token go together');
  if (cookie !== undefined && xsrf !== undefined) credentials.push({ scheme: 'session', cookie, xsrfToken: xsrf });
  const only = (pick(values, env, table, 'only') as string | undefined)?.split(',').map((s) => s.trim()).filter(Boolean) ?? [];
  const seed = integer('seed', pick(values, env, table, 'seed'), -(2 ** 31), 2 ** 31 - 1) ?? Math.floor(Math.random() * 2 ** 31);
  const config: RunConfig = {
    credentials,
    seed,
    runs: integer('runs', pick(values, env, table, 'runs'), 1, 1_000_000) ?? defaults.runs,
    concurrency: integer('concurrency', pick(values, env, table, 'concurrency'), 1, 256) ?? defaults.concurrency,
    timeoutMs: integer('timeout', pick(values, env, table, 'timeout'), 1, 3_600_000) ?? defaults.timeoutMs,
    reportDir: (pick(values, env, table, 'report-dir') as string | undefined) ?? defaults.reportDir,
    only,
    progress: values['no-progress'] !== true,
  };
  const target = pick(values, env, table, 'target') as string | undefined;
  if (target !== undefined) config.target = target;
  const authCommand = pick(values, env, table, 'auth-command') as string | undefined;
  if (authCommand !== undefined) config.authCommand = authCommand;
  const appToken = pick(values, env, table, 'app-token') as string | undefined;
  if (appToken !== undefined) config.appToken = appToken;
  const personId = integer('person-id', pick(values, env, table, 'person-id'), 1, 2 ** 31 - 1);
  if (personId !== undefined) config.personId = personId;
  const rate = positive('rate', pick(values, env, table, 'rate'));
  if (rate !== undefined) config.rate = rate;
  const pact = pick(values, env, table, 'pact') as string | undefined;
  if (pact !== undefined) config.pact = pact;
  const shard = pick(values, env, table, 'shard') as string | undefined;
  if (shard !== undefined) {
    const m = /^(\d+)\/(\d+)$/.exec(shard.trim());
    if (!m || Number(m[1]) < 1 || Number(m[1]) > Number(m[2])) throw new UsageError(`--shard takes I/N with 1 <= I <= N, not ${JSON.stringify(shard)}`);
    config.shard = { index: Number(m[1]), total: Number(m[2]) };
  }
  const spec = pick(values, env, table, 'spec') as string | undefined;
  if (spec !== undefined) config.specPath = spec;
  if (values['dry-run'] === true) config.dryRun = true;
  const maxUploadMb = positive('max-upload-mb', pick(values, env, table, 'max-upload-mb'));
  if (maxUploadMb !== undefined) config.maxUploadMb = maxUploadMb;
  const caFile = pick(values, env, table, 'ca') as string | undefined;
  if (caFile !== undefined) {
    let pem: string;
    try {
      pem = readFileSync(caFile, 'utf8');
    } catch (e) {
      throw new ConfigError(`--ca ${caFile}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new ConfigError(`--ca ${caFile}: no PEM certificate in it`);
    config.ca = pem;
  }
  const har = harMode(pick(values, env, table, 'har') as string | undefined);
  if (har !== undefined) config.har = har;
  withBaseline(config, pick(values, env, table, 'baseline'));
  Object.assign(config, signKeyOf(values, env, table), signKeylessOf(values, env, table));
  return config;
}
