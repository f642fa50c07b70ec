/**
 * The CLI's own errors: every usage mistake, an unknown command, --help, --version and an internal
 * error each end with their exit code and, for errors, exactly one line on stderr and no stack
 * trace (the CLI in a child process, as a user runs it).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../support/cli.js';

const ROOT = join(import.meta.dirname, '..', '..');
const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;


const cli = runCli;

function expectOneLine(r: CliResult, code: number, line: RegExp): void {
  expect(r.code, r.stderr).toBe(code);
  const lines = r.stderr.split('\n').filter(Boolean);
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(line);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

describe.concurrent('CLI error paths', () => {
  const usage: [string, string[], RegExp][] = [
    ['an unknown command', ['frobnicate'], /^person-image-conformance: unknown command "frobnicate"; try --help$/],
    ['an unknown flag', ['run', '--frobnicate'], /^person-image-conformance: Unknown option '--frobnicate'/],
    ['a flag without its value', ['run', '--runs'], /^person-image-conformance: Option '--runs <value>' argument missing/],
    ['a value that is no number', ['run', '--runs', 'many'], /^person-image-conformance: --runs takes a whole number, not "many"$/],
    ['a number out of range', ['run', '--concurrency', '0'], /^person-image-conformance: --concurrency must be between 1 and 256, not 0$/],
    ['an argument run does not take', ['run', 'now'], /^person-image-conformance: run takes no arguments, got "now"$/],
    ['an unknown rule in --only', ['run', '--only', 'no-such-rule', '--dry-run'], /^person-image-conformance: --only names unknown rules: no-such-rule \(see spec\/rules.yaml\)$/],
    ['a bad shard', ['run', '--shard', '3/2'], /^person-image-conformance: --shard takes I\/N with 1 <= I <= N, not "3\/2"$/],
    ['half a session', ['run', '--session-cookie', 'a=b'], /^person-image-conformance: --session-cookie and --xsrf-token go together$/],
    ['an unknown auth scheme', ['run', '--auth', 'digest:x'], /^person-image-conformance: --auth: unknown scheme "digest"/],
    ['report without files', ['report'], /^person-image-conformance: report needs at least one report.json$/],
    ['verify-pact without --pact', ['verify-pact'], /^person-image-conformance: verify-pact needs --pact FILE\|DIR$/],
    ['check-pact without --pact', ['check-pact'], /^person-image-conformance: check-pact needs --pact FILE$/],
    ['serve on a port that is none', ['serve', '--port', '99999'], /^person-image-conformance: --port takes a port number 0..65535, not "99999"$/],
    ['a spec that does not exist', ['run', '--spec', 'no/such/spec.yaml', '--dry-run'], /^person-image-conformance: .*no\/such\/spec\.yaml/],
  ];
  for (const [what, args, line] of usage) {
    it(`${what}: exit 2 and one line`, async () => {
      expectOneLine(await cli(args), 2, line);
    });
  }

  it('no command at all: the help on stdout, exit 2', async () => {
    const r = await cli([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/^person-image-conformance — conformance suite/);
    expect(r.stdout).toMatch(/Exit codes:/);
  });

  it('--help: the help on stdout, exit 0, every option of run listed with its variable', async () => {
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    for (const option of ['--target URL', '--auth SCHEME:CREDENTIAL', '--auth-command CMD', '[SO_TARGET]', '[SO_AUTH_COMMAND]']) expect(r.stdout).toContain(option);
  });

  it('--version: the package version, exit 0', async () => {
    const r = await cli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${version}\n`);
  });

  it('an internal error: exit 2 and one line naming it, no stack trace; SO_DEBUG shows the stack', async () => {
    const preload = join(ROOT, 'tests', 'fixtures', 'internal-error.mjs');
    expectOneLine(await cli(['run', '--runs', '1', '--no-progress'], { preload }), 2, /^person-image-conformance: internal error: boom from the test preload$/);
    const debug = await cli(['run', '--runs', '1', '--no-progress'], { preload, env: { SO_DEBUG: '1' } });
    expect(debug.code).toBe(2);
    expect(debug.stderr).toMatch(/internal error: boom from the test preload\nTypeError: boom from the test preload\n\s+at /);
  });
});
