/**
 * The Pact Verifier's own report ("Verifying a pact between ...") keeps pact's ANSI colours only
 * on a terminal: NO_COLOR, TERM=dumb, a pipe or a file get it plain, and `--no-progress` leaves it
 * out. Pact's native core prints it coloured to whatever file descriptor 1 is, so the CLI runs are
 * the proof: `verify-pact` and `run --pact` into pipes (as in a CI log), and under a pseudo-terminal.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/package-root.js';
import { colourWanted, writeVerifierReport } from '../../src/pact/verifier-output.js';
import { itWithTools } from '../support/tools.js';
import { contractsDir, removeTempDirs, tempDir } from './helpers.js';

afterAll(() => removeTempDirs());

const ESC = '\u001b';
const BLOCK = 'Verifying a pact between crm-photo-sync and superoffice-person-image';
const colouredLines = [`\nVerifying a pact between ${ESC}[1mcrm-photo-sync${ESC}[0m and ${ESC}[1msuperoffice-person-image${ESC}[0m`, `      has status code ${ESC}[1m200${ESC}[0m (${ESC}[32mOK${ESC}[0m)`];

function captured(isTTY: boolean): { stream: { isTTY: boolean; write: (s: string) => boolean }; text: () => string } {
  let text = '';
  return { stream: { isTTY, write: (s: string) => ((text += s), true) }, text: () => text };
}

describe('when the verifier report is coloured', () => {
  it('only on a terminal, without NO_COLOR (set and not empty) and TERM=dumb', () => {
    expect(colourWanted({ isTTY: true }, {})).toBe(true);
    expect(colourWanted({ isTTY: true }, { NO_COLOR: '' })).toBe(true);
    expect(colourWanted({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(colourWanted({ isTTY: true }, { TERM: 'dumb' })).toBe(false);
    expect(colourWanted({ isTTY: false }, {})).toBe(false);
    expect(colourWanted({}, {})).toBe(false);
  });

  it('writes the lines as pact made them on a terminal, and without ANSI codes elsewhere', () => {
    const tty = captured(true);
    writeVerifierReport(tty.stream, colouredLines, {});
    expect(tty.text()).toBe(`${colouredLines.join('\n')}\n`);
    for (const [stream, env] of [[captured(false), {}], [captured(true), { NO_COLOR: '1' }]] as const) {
      writeVerifierReport(stream.stream, colouredLines, env);
      expect(stream.text()).not.toContain(ESC);
      expect(stream.text()).toContain(BLOCK);
      expect(stream.text()).toContain('has status code 200 (OK)');
    }
  });
});

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const main = join(packageRoot, 'src', 'cli', 'main.ts');

function baseEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SO_') && k !== 'NO_COLOR' && k !== 'FORCE_COLOR'));
  return { ...env, TERM: 'xterm-256color' };
}

function spawnCli(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  const child = spawn(command, args, { cwd: packageRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += String(d)));
  child.stderr.on('data', (d: Buffer) => (stderr += String(d)));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/** The CLI with stdout and stderr as pipes, as in a CI log or `> file`. */
function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return spawnCli(process.execPath, ['--import', tsx, main, ...args], { ...baseEnv(), ...env });
}

/** The CLI under a pseudo-terminal (util-linux `script`): stdout and stderr are a TTY. */
function cliOnTerminal(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const line = [process.execPath, '--import', tsx, main, ...args].map(quote).join(' ');
  return spawnCli('script', ['-qec', line, '/dev/null'], { ...baseEnv(), ...env });
}

describe('the verifier report on the command line', () => {
  it('verify-pact into a pipe: the report is there, plain', async () => {
    const r = await cli(['verify-pact', '--pact', contractsDir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(BLOCK);
    expect(r.stdout).toContain('all 2 pacts hold');
    expect(r.stdout + r.stderr).not.toContain(ESC);
  }, 120_000);

  it('verify-pact --no-progress: our summary only, not the verifier report', async () => {
    const r = await cli(['verify-pact', '--pact', contractsDir, '--no-progress']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain('Verifying a pact between');
    expect(r.stdout).toMatch(/^ok {4}crm-photo-sync -> superoffice-person-image/m);
    expect(r.stdout + r.stderr).not.toContain(ESC);
  }, 120_000);

  it('run --pact into pipes: the report goes with the progress on stderr, plain; --no-progress leaves it out', async () => {
    const reports = tempDir('pact-colour-run');
    const args = ['run', '--pact', contractsDir, '--runs', '1', '--only', 'valid-raw-upload', '--seed', '7', '--report-dir', reports];
    const shown = await cli(args);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stderr).toContain(BLOCK);
    expect(shown.stdout + shown.stderr).not.toContain(ESC);
    const quiet = await cli([...args, '--no-progress']);
    expect(quiet.code, quiet.stderr).toBe(0);
    expect(quiet.stdout + quiet.stderr).not.toContain('Verifying a pact between');
    expect(quiet.stdout).toMatch(/^verdict: conforms/m);
  }, 180_000);

  itWithTools(
    'on a terminal the report keeps its colours, and NO_COLOR=1 takes them away',
    ['script'],
    async () => {
      const coloured = await cliOnTerminal(['verify-pact', '--pact', contractsDir]);
      expect(coloured.code, coloured.stdout).toBe(0);
      expect(coloured.stdout).toContain(`Verifying a pact between ${ESC}[1mcrm-photo-sync${ESC}[0m`);
      const plain = await cliOnTerminal(['verify-pact', '--pact', contractsDir], { NO_COLOR: '1' });
      expect(plain.code, plain.stdout).toBe(0);
      expect(plain.stdout).toContain(BLOCK);
      expect(plain.stdout).not.toContain(ESC);
    },
    180_000,
  );
});
