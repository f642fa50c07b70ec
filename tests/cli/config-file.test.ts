/**
 * run's config file: the shipped schema follows the options table, flag beats environment beats
 * file beats default, --print-config names each value's source and hides secrets, `${ENV}`
 * references in secrets, and one line naming file, line and key for every mistake in the file.
 * Also two small CLI fixes: `--runs -1` meets the range check, and a loopback target without
 * --person-id is not called remote. No random input.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFileOptions, runOptions } from '../../src/cli/options.js';
import { parseFlags, resolveRunConfig } from '../../src/cli/parse.js';
import { findConfigFile, readConfigFile } from '../../src/config/config-file.js';
import { layerRunOptions, resolveWithFileLines } from '../../src/config/config-layers.js';
import { configFileSchema, valueKind } from '../../src/config/config-schema.js';
import { formatConfig } from '../../src/config/print-config.js';
import { ConfigError, UsageError } from '../../src/errors.js';
import { runCli, type CliResult } from '../support/cli.js';

const ROOT = join(import.meta.dirname, '..', '..');
const SHIPPED_SCHEMA = join(ROOT, 'schema', 'config.schema.json');
const YAML_NAME = 'person-image-conformance.config.yaml';
const JSON_NAME = 'person-image-conformance.config.json';
const scratch = mkdtempSync(join(tmpdir(), 'pic-config-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let folders = 0;
/** A folder of its own holding the given files. */
function folderWith(files: Record<string, string>): string {
  const dir = join(scratch, `c${folders++}`);
  mkdirSync(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** Flags, environment and the config file of `cwd`, resolved as `run` resolves them. */
function resolveIn(cwd: string, argv: string[], env: NodeJS.ProcessEnv = {}) {
  const flags = parseFlags(argv, [...runOptions, ...configFileOptions]).values;
  const layered = layerRunOptions(flags, env, runOptions, cwd);
  return { layered, config: resolveWithFileLines(layered, () => resolveRunConfig(layered.values, env, runOptions)) };
}

/** The error `fn` throws (fails the test when it throws none). */
function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error, got none');
}

/** A config file with every option of the table, each a value of its kind. */
function everyOption(): Record<string, unknown> {
  const sample = { boolean: true, number: 1, string: 'x', strings: ['basic:u:p', 'bearer:8A:t'], 'string-or-true': true } as const;
  return Object.fromEntries(runOptions.map((o) => [o.flag, sample[valueKind(o)]]));
}

describe('the JSON Schema of the config file', () => {
  it('schema/config.schema.json is the schema built from the options table (regenerate: this file with -u)', async () => {
    await expect(`${JSON.stringify(configFileSchema(runOptions), null, 2)}\n`).toMatchFileSnapshot(SHIPPED_SCHEMA);
  });

  const shipped = () => new Ajv({ allowUnionTypes: true }).compile(JSON.parse(readFileSync(SHIPPED_SCHEMA, 'utf8')) as object);

  it('accepts a file with every option of run (and "$schema"), and the loader reads it', () => {
    const all = { $schema: './node_modules/person-image-conformance/schema/config.schema.json', ...everyOption() };
    const check = shipped();
    expect(check(all), JSON.stringify(check.errors)).toBe(true);
    const cwd = folderWith({ [JSON_NAME]: JSON.stringify(all, null, 2) });
    const file = readConfigFile({ path: JSON_NAME, foundBy: 'working directory' }, {}, runOptions, cwd);
    expect(Object.keys(file.values).sort()).toEqual(runOptions.map((o) => o.flag).sort());
  });

  it('rejects an unknown key, a wrong type and an empty string', () => {
    const check = shipped();
    expect(check({ rnus: 5 })).toBe(false);
    expect(check({ runs: '5' })).toBe(false);
    expect(check({ 'dry-run': 'yes' })).toBe(false);
    expect(check({ target: '' })).toBe(false);
    expect(check({ auth: [1] })).toBe(false);
  });

  it('an option added to the table is a key of the schema: the shipped file then no longer matches', () => {
    const shippedText = readFileSync(SHIPPED_SCHEMA, 'utf8');
    const grown = configFileSchema([...runOptions, { flag: 'new-option', value: 'N', description: 'A new option' }]);
    expect(grown.properties).toHaveProperty('new-option', { description: 'A new option.', type: 'number' });
    expect(`${JSON.stringify(grown, null, 2)}\n`).not.toBe(shippedText);
  });

  it('ships: package.json "files" holds schema/', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { files: string[] };
    expect(pkg.files).toContain('schema');
  });
});

describe('precedence: flag, then environment, then file, then default', () => {
  const cwd = folderWith({ [YAML_NAME]: 'runs: 9\nconcurrency: 3\n' });

  it('each layer wins over the next', () => {
    expect(resolveIn(cwd, ['--runs', '7'], { SO_RUNS: '8' }).config.runs).toBe(7);
    expect(resolveIn(cwd, [], { SO_RUNS: '8' }).config.runs).toBe(8);
    expect(resolveIn(cwd, []).config.runs).toBe(9);
    expect(resolveIn(scratch, []).config.runs).toBe(25);
  });

  it('records where each value came from', () => {
    const { sources } = resolveIn(cwd, ['--timeout', '5000'], { SO_RUNS: '8' }).layered;
    expect(sources.timeout).toEqual({ from: 'flag' });
    expect(sources.runs).toEqual({ from: 'env', name: 'SO_RUNS' });
    expect(sources.concurrency).toEqual({ from: 'file', line: 2 });
    expect(sources.seed).toEqual({ from: 'default' });
  });

  it('a blank variable (an unset CI variable) gives way to the file', () => {
    expect(resolveIn(cwd, [], { SO_RUNS: '' }).config.runs).toBe(9);
  });

  it('--config beats SO_CONFIG, which beats the working directory; SO_CONFIG set but empty is an error', () => {
    expect(findConfigFile('a.yaml', { SO_CONFIG: 'b.yaml' }, cwd)).toEqual({ path: 'a.yaml', foundBy: '--config' });
    expect(findConfigFile(undefined, { SO_CONFIG: 'b.yaml' }, cwd)).toEqual({ path: 'b.yaml', foundBy: 'SO_CONFIG' });
    expect(findConfigFile(undefined, {}, cwd)).toEqual({ path: YAML_NAME, foundBy: 'working directory' });
    expect(findConfigFile(undefined, {}, scratch)).toBeUndefined();
    expect(errorOf(() => findConfigFile(undefined, { SO_CONFIG: ' ' }, cwd))).toBeInstanceOf(UsageError);
  });

  it('two config files in the working directory are an error, not a silent choice', () => {
    const both = folderWith({ [YAML_NAME]: 'runs: 1\n', [JSON_NAME]: '{"runs": 2}' });
    expect(errorOf(() => findConfigFile(undefined, {}, both)).message).toMatch(/config\.json and .*config\.yaml are both in/);
  });

  it('a missing --config file is one ConfigError line', () => {
    expect(errorOf(() => resolveIn(scratch, ['--config', 'nope.yaml'])).message).toMatch(/^--config nope\.yaml: cannot read it \(ENOENT\)$/);
  });

  it('true for an option whose value may be left out is its implied value; false leaves it out', () => {
    const table = [{ flag: 'trace', value: '[all]', impliedValue: 'some', description: 'd' }];
    const layeredFrom = (text: string) => layerRunOptions({}, {}, table, folderWith({ [YAML_NAME]: text })).values;
    expect(layeredFrom('trace: true\n').trace).toBe('some');
    expect(layeredFrom('trace: all\n').trace).toBe('all');
    expect(layeredFrom('trace: false\n').trace).toBeUndefined();
    expect(errorOf(() => layeredFrom('trace: 3\n')).message).toBe(`${YAML_NAME}:1: trace: must be a string or true/false, not a number`);
  });

  it("relative paths in a file are read from the file's folder; booleans are switches", () => {
    const dir = folderWith({ 'pic.yaml': 'report-dir: out\ndry-run: true\nno-progress: true\n' });
    const { config } = resolveIn(scratch, ['--config', join(dir, 'pic.yaml')]);
    expect(join(scratch, config.reportDir)).toBe(join(dir, 'out'));
    expect(config.dryRun).toBe(true);
    expect(config.progress).toBe(false);
  });
});

describe('${ENV} references in secrets', () => {
  const cwd = folderWith({
    [YAML_NAME]: ['auth:', '  - "basic:certify:${PIC_PW}"', 'app-token: ${PIC_APP}', 'auth-command: echo bearer:${TOKEN}', 'xsrf-token: "$${literal}"', 'session-cookie: "a=b"', ''].join('\n'),
  });

  it('are replaced by the variable; "$${" stays a literal "${"; other options keep "${" as written', () => {
    const { config } = resolveIn(cwd, [], { PIC_PW: 'pa:ss', PIC_APP: 'app123' });
    expect(config.credentials).toContainEqual({ scheme: 'basic', user: 'certify', password: 'pa:ss' });
    expect(config.credentials).toContainEqual({ scheme: 'session', cookie: 'a=b', xsrfToken: '${literal}' });
    expect(config.appToken).toBe('app123');
    expect(config.authCommand).toBe('echo bearer:${TOKEN}');
  });

  it('an unset or empty variable is one line naming the file, the line, the key and the variable', () => {
    const unset = errorOf(() => resolveIn(cwd, [], { PIC_PW: 'x' }));
    expect(unset).toBeInstanceOf(ConfigError);
    expect(unset.message).toBe(`${YAML_NAME}:3: app-token: \${PIC_APP} is not set`);
    expect(errorOf(() => resolveIn(cwd, [], { PIC_PW: '', PIC_APP: 'a' })).message).toBe(`${YAML_NAME}:1: auth: \${PIC_PW} is set but empty`);
  });
});

describe('mistakes in the file: one line naming the file, the line and the key', () => {
  const cases: [string, string, string, RegExp][] = [
    ['an unknown key', YAML_NAME, 'target: http://127.0.0.1:1/api/v1\nruns: 3\nrnus: 4\n', /^person-image-conformance\.config\.yaml:3: unknown key "rnus"; the keys are the options of run/],
    ['a camelCase key', YAML_NAME, 'personId: 4\n', /^person-image-conformance\.config\.yaml:1: unknown key "personId" \(did you mean "person-id"\?\)$/],
    ['a wrong type (YAML)', YAML_NAME, 'runs: 3\nconcurrency: many\n', /^person-image-conformance\.config\.yaml:2: concurrency: must be a number, not a string$/],
    ['a wrong type (JSON)', JSON_NAME, '{\n  "runs": 3,\n  "target": "http://127.0.0.1:1/api/v1",\n  "dry-run": "yes"\n}\n', /^person-image-conformance\.config\.json:4: dry-run: must be true or false, not a string$/],
    ['a wrong list item', YAML_NAME, 'auth:\n  - bearer:8A:t\n  - 12\n', /^person-image-conformance\.config\.yaml:3: auth\[1\]: must be a string, not a number$/],
    ['bad YAML', YAML_NAME, 'runs: 3\ntarget: "http://x\n', /^person-image-conformance\.config\.yaml:3: not valid JSON or YAML: Missing closing "quote$/],
    ['JSON without a comma', JSON_NAME, '{\n  "runs": 3\n  "seed": 4\n}\n', /^person-image-conformance\.config\.json:2: not valid JSON or YAML: /],
    ['bad JSON', JSON_NAME, '{\n  "runs": 3,\n  "runs": 4\n}\n', /^person-image-conformance\.config\.json:3: not valid JSON or YAML: Map keys must be unique$/],
    ['a list instead of options', YAML_NAME, '- runs\n', /^person-image-conformance\.config\.yaml:1: the file must hold options as key: value pairs, not a list$/],
    ['a value out of range', YAML_NAME, 'runs: 3\nconcurrency: -1\n', /^person-image-conformance\.config\.yaml:2: --concurrency must be between 1 and 256, not -1$/],
  ];
  for (const [what, name, text, line] of cases) {
    it(what, () => {
      const cwd = folderWith({ [name]: text });
      const e = errorOf(() => resolveIn(cwd, []));
      expect(e).toBeInstanceOf(ConfigError);
      expect(e.message).toMatch(line);
      expect(e.message).not.toContain('\n');
    });
  }

  it('a wrong type never echoes the value (it may be a secret)', () => {
    const cwd = folderWith({ [YAML_NAME]: 'app-token: 987654321\n' });
    expect(errorOf(() => resolveIn(cwd, [])).message).toBe(`${YAML_NAME}:1: app-token: must be a string, not a number`);
  });
});

describe('--print-config', () => {
  const secrets = { file: 'file-secret-1', env: 'env-secret-2', flag: 'flag-secret-3', cookie: 'cookie-secret-4' };
  const cwd = folderWith({ [YAML_NAME]: `target: http://127.0.0.1:1/api/v1\napp-token: ${secrets.file}\nsession-cookie: "sid=${secrets.cookie}"\nrate: 2.5\n` });

  it('names the file and each value with its source, and redacts every secret', () => {
    const env = { SO_AUTH: `soticket:${secrets.env},bearer:8A:${secrets.env}`, SO_RUNS: '8' };
    const { layered } = resolveIn(cwd, ['--xsrf-token', secrets.flag, '--concurrency', '2'], env);
    const text = formatConfig(layered, runOptions, env);
    expect(text.split('\n')[0]).toBe(`config file: ${YAML_NAME} (found in the working directory)`);
    const row = (key: string) => text.split('\n').find((l) => l.startsWith(`${key} `))?.split(/\s{2,}/);
    expect(row('target')).toEqual(['target', 'http://127.0.0.1:1/api/v1', 'file, line 1']);
    expect(row('auth')).toEqual(['auth', 'soticket:<redacted>, bearer:<redacted>', 'env SO_AUTH']);
    expect(row('app-token')).toEqual(['app-token', '<redacted>', 'file, line 2']);
    expect(row('session-cookie')).toEqual(['session-cookie', '<redacted>', 'file, line 3']);
    expect(row('xsrf-token')).toEqual(['xsrf-token', '<redacted>', 'flag --xsrf-token']);
    expect(row('rate')).toEqual(['rate', '2.5', 'file, line 4']);
    expect(row('runs')).toEqual(['runs', '8', 'env SO_RUNS']);
    expect(row('concurrency')).toEqual(['concurrency', '2', 'flag --concurrency']);
    expect(row('seed')).toEqual(['seed', 'random', 'default']);
    expect(runOptions.every((o) => row(o.flag) !== undefined)).toBe(true);
    for (const s of Object.values(secrets)) expect(text).not.toContain(s);
  });
});

describe('small CLI fixes', () => {
  const resolve = (argv: string[]) => resolveRunConfig(parseFlags(argv, runOptions).values, {}, runOptions);

  it('--runs -1 gets the range message, not "ambiguous"', () => {
    expect(errorOf(() => resolve(['--runs', '-1'])).message).toBe('--runs must be between 1 and 1000000, not -1');
  });

  it('a negative number reaches the check of every numeric option (and a negative seed is a seed)', () => {
    for (const o of runOptions.filter((x) => valueKind(x) === 'number')) {
      const parsed = parseFlags([`--${o.flag}`, '-1', '--no-progress'], runOptions).values;
      expect(parsed[o.flag], o.flag).toBe('-1');
      expect(parsed['no-progress']).toBe(true);
      if (o.flag === 'seed') continue;
      expect(errorOf(() => resolve([`--${o.flag}`, '-1'])).message, o.flag).toMatch(new RegExp(`^--${o.flag} (must be between|takes a positive number)`));
    }
    expect(resolve(['--seed', '-5']).seed).toBe(-5);
    expect(resolve(['--seed', '-5', '--', '-3']).seed).toBe(-5);
  });
});


function cli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return runCli(args, { env });
}

function expectOneLineExit2(r: CliResult, line: RegExp): void {
  expect(r.code, r.stderr).toBe(2);
  const lines = r.stderr.split('\n').filter(Boolean);
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(line);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

describe.concurrent('the CLI (a child process, as a user runs it)', () => {
  let server: Server;
  let base = '';
  let requests = 0;
  beforeAll(async () => {
    server = createServer((req, res) => {
      requests++;
      req.resume();
      res.writeHead(500).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
  });
  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    expect(requests, 'nothing in this block sends a request').toBe(0);
  });

  it('run --print-config prints the merged options, redacted, and exits 0 without a request', async () => {
    const dir = folderWith({ 'pic.json': JSON.stringify({ target: base, 'person-id': 3, 'app-token': '${PIC_APP_TOKEN}' }, null, 2) });
    const r = await cli(['run', '--config', join(dir, 'pic.json'), '--print-config', '--runs', '7'], { SO_AUTH: 'bearer:8A:cli-secret', PIC_APP_TOKEN: 'app-secret' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^config file: .*pic\.json \(from --config\)\n/);
    expect(r.stdout).toMatch(/\ntarget +http:\/\/127\.0\.0\.1:\d+\/api\/v1 +file, line 2\n/);
    expect(r.stdout).toMatch(/\nruns +7 +flag --runs\n/);
    expect(r.stdout).toMatch(/\napp-token +<redacted> +file, line 4\n/);
    expect(r.stdout).not.toMatch(/cli-secret|app-secret/);
  });

  it('an unknown key in SO_CONFIG is exit 2 and one line naming file, line and key', async () => {
    const dir = folderWith({ 'pic.yaml': 'runs: 3\ntimeuot: 5\n' });
    expectOneLineExit2(await cli(['run', '--no-progress'], { SO_CONFIG: join(dir, 'pic.yaml') }), /^person-image-conformance: .*pic\.yaml:2: unknown key "timeuot"/);
  });

  it('a wrong type is exit 2 and one line', async () => {
    const dir = folderWith({ 'pic.yaml': 'runs: [3]\n' });
    expectOneLineExit2(await cli(['run', '--config', join(dir, 'pic.yaml')]), /pic\.yaml:1: runs: must be a number, not a list$/);
  });

  it('bad YAML is exit 2 and one line', async () => {
    const dir = folderWith({ 'pic.yaml': 'runs: 3\nseed: : 4\n' });
    expectOneLineExit2(await cli(['run', '--config', join(dir, 'pic.yaml')]), /pic\.yaml:2: not valid JSON or YAML: /);
  });

  it('--runs -1 is exit 2 with the range message', async () => {
    expectOneLineExit2(await cli(['run', '--runs', '-1']), /^person-image-conformance: --runs must be between 1 and 1000000, not -1$/);
  });

  it('a loopback --target without --person-id (or credentials) is not called remote', async () => {
    const reportDir = join(scratch, 'loopback-reports');
    const noPerson = await cli(['run', '--target', base, '--no-progress', '--report-dir', reportDir], { SO_AUTH: 'bearer:8A:t' });
    expectOneLineExit2(noPerson, /--target needs --person-id \(SO_PERSON_ID\) too/);
    const noAuth = await cli(['run', '--target', base, '--person-id', '3', '--no-progress', '--report-dir', reportDir]);
    expectOneLineExit2(noAuth, /--target needs credentials too/);
    expect(noPerson.stderr + noAuth.stderr).not.toMatch(/remote/);
  });
});
