/**
 * The GitHub Action (action.yml), its steps run as the runner runs them (./action-harness.ts):
 * the set-up step picks its install from what the action's folder holds (npm is a stand-in that
 * records its calls: the tests install nothing) and refuses a Node.js too old; the run step hands
 * the inputs to the CLI as SO_* variables (an empty target stops it with exit 2 instead of testing
 * the embedded target), runs it, and sets the outputs verdict, report-dir and exit-code, with 1
 * (does not conform) and 2 (could not judge) kept apart; a SIGINT to the step's shell reaches the
 * CLI, which stops and reports. The run step runs the real CLI against the embedded reference
 * target and a broken target, with a fake GITHUB_STEP_SUMMARY and GITHUB_OUTPUT, and no
 * credential reaches either file or the log. The built CLI (dist/src/cli/main.js) is stood in for
 * by a script that runs the sources through tsx: the tests build nothing.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/types.js';
import { startReferenceTarget } from '../../src/target/server.js';
import { brokenTargets } from '../broken-targets/catalogue.js';
import { action, ROOT, runStep, stepNamed, type StepResult } from './action-harness.js';

const scratch = mkdtempSync(join(tmpdir(), 'pic-action-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const setup = stepNamed('Set up person-image-conformance');
const run = stepNamed('run');

/** A folder standing in for the action's checkout, with a dist/src/cli/main.js of the given content (or none). */
function actionFolder(main: string | undefined): string {
  const dir = mkdtempSync(join(scratch, 'action-'));
  if (main !== undefined) {
    mkdirSync(join(dir, 'dist', 'src', 'cli'), { recursive: true });
    writeFileSync(join(dir, 'dist', 'src', 'cli', 'main.js'), main);
  }
  return dir;
}

const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const mainTs = join(ROOT, 'src', 'cli', 'main.ts');
/** The built CLI's stand-in: the sources through tsx, SIGINT and SIGTERM passed on, its exit code kept. */
const cliStandIn = `import { spawn } from 'node:child_process';
const child = spawn(process.execPath, ['--import', ${JSON.stringify(tsxLoader)}, ${JSON.stringify(mainTs)}, ...process.argv.slice(2)], { stdio: 'inherit' });
for (const s of ['SIGINT', 'SIGTERM']) process.on(s, () => child.kill(s));
child.on('exit', (code, signal) => process.exit(code ?? (signal === 'SIGINT' ? 130 : 143)));
`;
/** A CLI that prints the SO_* variables it was given and the verdict line, and exits with FAKE_EXIT. */
const cliRecorder = `const so = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('SO_')));
process.stdout.write(JSON.stringify({ argv: process.argv.slice(2), so }) + '\\n');
if (process.env.FAKE_VERDICT) process.stdout.write('verdict: ' + process.env.FAKE_VERDICT + ' (a stand-in)\\n');
process.exit(Number(process.env.FAKE_EXIT ?? 0));
`;

/** Stand-ins for npm (records its calls) and node (only `node --version`), each in a folder of its own for PATH. */
const fakeBin = mkdtempSync(join(scratch, 'bin-'));
writeFileSync(join(fakeBin, 'npm'), '#!/usr/bin/env bash\necho "$PWD :: $*" >>"$NPM_LOG"\n');
chmodSync(join(fakeBin, 'npm'), 0o755);
const fakeNodeBin = mkdtempSync(join(scratch, 'node-'));
writeFileSync(join(fakeNodeBin, 'node'), '#!/usr/bin/env bash\necho "$FAKE_NODE_VERSION"\n');
chmodSync(join(fakeNodeBin, 'node'), 0o755);

interface Job {
  workspace: string;
  summary: string;
  env: Record<string, string>;
}

/** A fresh workspace and job summary file, and the runner's environment for a step of this action (no SO_* but `extra`'s). */
function job(actionPath: string, extra: Record<string, string> = {}): Job {
  const workspace = mkdtempSync(join(scratch, 'ws-'));
  const summary = `${workspace}-summary.md`;
  writeFileSync(summary, '');
  const kept = Object.fromEntries(['PATH', 'HOME', 'LANG', 'SYSTEMROOT'].flatMap((k) => (process.env[k] ? [[k, process.env[k]!]] : [])));
  const env = { ...kept, TMPDIR: scratch, TSX_DISABLE_CACHE: '1', GITHUB_ACTIONS: 'true', GITHUB_ACTION_PATH: actionPath, GITHUB_WORKSPACE: workspace, GITHUB_STEP_SUMMARY: summary, ...extra };
  return { workspace, summary, env };
}

const readReport = (dir: string) => JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as Report;

describe('action.yml', () => {
  it('is a composite action whose inputs reach its scripts only through env, with the outputs verdict, report-dir and exit-code', () => {
    expect(action.runs.using).toBe('composite');
    expect(Object.keys(action.inputs).sort()).toEqual(['app-token', 'auth', 'baseline', 'pact', 'person-id', 'report-dir', 'runs', 'seed', 'sign-key', 'sign-keyless', 'target'].sort());
    for (const step of action.runs.steps) {
      expect(step.shell, step.name).toBe('bash');
      // An expression pasted into a script is a script injection; inputs go through env only.
      expect(step.run, step.name).not.toContain('${{');
    }
    expect(Object.fromEntries(Object.entries(action.outputs).map(([k, v]) => [k, v.value]))).toEqual({
      verdict: '${{ steps.run.outputs.verdict }}',
      'report-dir': '${{ steps.run.outputs.report-dir }}',
      'exit-code': '${{ steps.run.outputs.exit-code }}',
    });
  });
});

describe('the set-up step', () => {
  const npmLog = () => join(scratch, `npm-${Math.random().toString(36).slice(2)}.log`);
  const setupWith = async (actionPath: string, extra: Record<string, string>) => {
    const log = npmLog();
    const j = job(actionPath, { PATH: `${fakeBin}:${process.env.PATH}`, NPM_LOG: log, ...extra });
    const r = await runStep(setup, { env: j.env, cwd: j.workspace, scratch });
    return { r, calls: existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [] };
  };

  it('a release that carries dist/: only the production dependencies, in the action folder, no install scripts', async () => {
    const dir = actionFolder(cliRecorder);
    const { r, calls } = await setupWith(dir, {});
    expect(r.code, r.stderr).toBe(0);
    expect(calls).toEqual([`${dir} :: ci --omit=dev --ignore-scripts --no-audit --no-fund`]);
  });

  it('a plain checkout: every dependency (the compiler is a devDependency), then the build', async () => {
    const dir = actionFolder(undefined);
    const { r, calls } = await setupWith(dir, {});
    expect(r.code, r.stderr).toBe(0);
    expect(calls).toEqual([`${dir} :: ci --ignore-scripts --no-audit --no-fund`, `${dir} :: run build`]);
  });

  it.each([
    ['v20.18.0', false],
    ['v18.20.4', false],
    ['v19.99.99', false],
    ['', false],
    ['v20.18.1', true],
    ['v20.20.2', true],
    ['v22.0.0', true],
    ['v24.1.0-nightly', true],
  ])('Node.js %s: %s', async (version, ok) => {
    const { r, calls } = await setupWith(actionFolder(cliRecorder), { PATH: `${fakeNodeBin}:${fakeBin}:${process.env.PATH}`, FAKE_NODE_VERSION: version });
    if (ok) {
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(calls).toHaveLength(1);
    } else {
      expect(r.code).toBe(2);
      expect(r.stdout).toMatch(/^::error title=person-image-conformance::Node\.js >= 20\.18\.1 is needed, found .*actions\/setup-node/m);
      expect(calls).toEqual([]);
    }
  });
});

describe('the run step hands the inputs to the CLI', () => {
  const recorder = actionFolder(cliRecorder);
  const runRecorder = async (inputs: Record<string, string>, extra: Record<string, string> = {}) => {
    const j = job(recorder, extra);
    const r = await runStep(run, { inputs, env: j.env, cwd: j.workspace, scratch });
    const line = r.stdout.split('\n').find((l) => l.startsWith('{'));
    return { r, j, seen: line ? (JSON.parse(line) as { argv: string[]; so: Record<string, string> }) : undefined };
  };

  it('each input as its SO_* variable (sign-key and baseline too, whether or not the CLI knows them yet)', async () => {
    const inputs = {
      target: 'https://crm.example.com/SuperOffice/api/v1',
      auth: 'basic:u:p',
      'app-token': 'app',
      'person-id': '7',
      runs: '3',
      seed: '11',
      'report-dir': 'out/r',
      pact: 'contracts',
      'sign-key': 'key.pem',
      'sign-keyless': 'true',
      baseline: 'last/report.json',
    };
    const { r, seen } = await runRecorder(inputs, { FAKE_VERDICT: 'conforms' });
    expect(r.code, r.stderr).toBe(0);
    expect(seen?.argv).toEqual(['run']);
    expect(seen?.so).toEqual({
      SO_TARGET: inputs.target,
      SO_AUTH: inputs.auth,
      SO_APP_TOKEN: inputs['app-token'],
      SO_PERSON_ID: inputs['person-id'],
      SO_RUNS: inputs.runs,
      SO_SEED: inputs.seed,
      SO_REPORT_DIR: inputs['report-dir'],
      SO_PACT: inputs.pact,
      SO_SIGN_KEY: inputs['sign-key'],
      SO_SIGN_KEYLESS: inputs['sign-keyless'],
      SO_BASELINE: inputs.baseline,
    });
  });

  it('an empty input sets nothing and leaves the caller\'s SO_* alone; a given one wins over it; target "embedded" unsets SO_TARGET', async () => {
    const { r, seen } = await runRecorder({ target: 'embedded', auth: '', runs: '4' }, { SO_TARGET: 'https://elsewhere/api/v1', SO_AUTH: 'bearer:from-the-caller', SO_RUNS: '9', SO_RATE: '2' });
    expect(r.code, r.stderr).toBe(0);
    expect(seen?.so).toEqual({ SO_AUTH: 'bearer:from-the-caller', SO_RUNS: '4', SO_RATE: '2', SO_REPORT_DIR: 'reports' });
  });

  it('an empty target (an unset variable) stops the step with exit 2 and verdict none, and the CLI never runs', async () => {
    const { r, j, seen } = await runRecorder({ target: '' });
    expect(seen).toBeUndefined();
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/^::error title=person-image-conformance::the target input is empty .*embedded/m);
    expect(r.actionOutputs).toEqual({ verdict: 'none', 'report-dir': join(j.workspace, 'reports'), 'exit-code': '2' });
  });

  it.each([
    [0, 'conforms'],
    [0, 'conforms-with-warnings'],
    [1, 'does-not-conform'],
    [2, 'incomplete'],
    [2, ''],
    [130, 'incomplete'],
  ])('the CLI exits %i after the verdict line "%s" (none: no report): the step exits so, and the outputs say so', async (exit, verdict) => {
    const { r } = await runRecorder({ target: 'embedded', 'report-dir': '/abs/reports' }, { FAKE_EXIT: String(exit), ...(verdict ? { FAKE_VERDICT: verdict } : {}) });
    expect(r.code).toBe(exit);
    expect(r.actionOutputs).toEqual({ verdict: verdict || 'none', 'report-dir': '/abs/reports', 'exit-code': String(exit) });
  });
});

describe('the run step runs the CLI', () => {
  const cli = actionFolder(cliStandIn);

  it('against the embedded reference target: exit 0, the outputs, the job summary, no annotation', async () => {
    const j = job(cli);
    const r = await runStep(run, { inputs: { target: 'embedded', runs: '3', seed: '5' }, env: j.env, cwd: j.workspace, scratch });
    expect(r.code, r.stderr).toBe(0);
    const reportDir = join(j.workspace, 'reports');
    expect(r.actionOutputs).toEqual({ verdict: 'conforms', 'report-dir': reportDir, 'exit-code': '0' });
    const report = readReport(reportDir);
    expect(report.verdict).toBe('conforms');
    expect(r.stdout).toMatch(/^verdict: conforms \(the embedded reference target/m);
    expect(r.stdout).not.toMatch(/^::(error|warning)/m);
    const summary = readFileSync(j.summary, 'utf8');
    expect(summary).toMatch(/^## ✅ person-image-conformance: conforms$/m);
    expect(summary).toMatch(/\(the embedded reference target, not an installation\) · \*\*seed\*\* 5 · 3 cases per family/);
    const n = report.rules.length;
    expect(summary).toContain(`| ${n} | ${n} | 0 | 0 | 0 | ${report.requests} | ${(report.durationMs / 1000).toFixed(1)} s |`);
    expect(summary).not.toContain('Failing and warned rules');
  });

  it('against a broken target: exit 1, does-not-conform, the failing and warned rules in the summary and as annotations, no credential anywhere', async () => {
    const must = brokenTargets['empty-body-rejected']!.behaviour;
    const should = brokenTargets['error-body-shape']!.behaviour;
    expect(Object.keys(must).filter((k) => k in should)).toEqual([]);
    const t = await startReferenceTarget({ behaviour: { ...must, ...should } });
    try {
      const { user, password } = t.credentials.basic;
      const secrets = [password, Buffer.from(`${user}:${password}`).toString('base64'), t.credentials.soticket, t.credentials.soticket.split(':')[1]!];
      const j = job(cli, { SO_ONLY: 'empty-body-rejected,error-body-shape' });
      const inputs = { target: t.url, auth: `basic:${user}:${password},soticket:${t.credentials.soticket}`, 'person-id': String(t.persons[0]), runs: '5', seed: '3', 'report-dir': 'out/certify' };
      const r: StepResult = await runStep(run, { inputs, env: j.env, cwd: j.workspace, scratch });
      expect(r.code, r.stderr).toBe(1);
      const reportDir = join(j.workspace, 'out', 'certify');
      expect(r.actionOutputs).toEqual({ verdict: 'does-not-conform', 'report-dir': reportDir, 'exit-code': '1' });
      expect(r.stdout).toMatch(/^::error title=empty-body-rejected::An empty body gets 400 \(MUST\): .*%0Acounterexample: .*%0Areplay: person-image-conformance run .*--only empty-body-rejected$/m);
      expect(r.stdout).toMatch(/^::warning title=error-body-shape::/m);
      const summary = readFileSync(j.summary, 'utf8');
      expect(summary).toMatch(/^## ❌ person-image-conformance: does-not-conform$/m);
      expect(summary).toMatch(/\(an installation\)/);
      expect(summary).toMatch(/^\| `empty-body-rejected` \| MUST \| fail \| \d+ of \d+ \| .+ — why: .+ \| `person-image-conformance run .*--only empty-body-rejected` \|$/m);
      expect(summary).toMatch(/^\| `error-body-shape` \| SHOULD \| warn \| /m);
      const everything = [summary, readFileSync(join(reportDir, 'report.json'), 'utf8'), JSON.stringify(r.stepOutputs), r.stdout, r.stderr].join('\n');
      for (const s of secrets) expect(everything.includes(s), `a credential (${s.length} chars) leaked`).toBe(false);
    } finally {
      await t.close();
    }
  });

  it('an SO_TARGET the caller set empty reaches the CLI, which refuses it in one line: exit 2, verdict none, no report', async () => {
    const j = job(cli, { SO_TARGET: '' });
    const r = await runStep(run, { inputs: {}, env: j.env, cwd: j.workspace, scratch });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/SO_TARGET is set but empty/);
    expect(r.actionOutputs['verdict']).toBe('none');
    expect(r.actionOutputs['exit-code']).toBe('2');
    expect(existsSync(join(j.workspace, 'reports', 'report.json'))).toBe(false);
    expect(readFileSync(j.summary, 'utf8')).toBe('');
  });

  it('a SIGINT to the step\'s shell (a cancelled job) reaches the CLI: exit 130, verdict incomplete, the stop in the summary', async () => {
    const j = job(cli);
    let sent = false;
    // Sent once the first family is done: the run is under way, with nine families still to go.
    const r = await runStep(run, {
      inputs: { target: 'embedded', runs: '25', seed: '8' },
      env: j.env,
      cwd: j.workspace,
      scratch,
      onStderr: (text, child) => {
        if (!sent && /\d+\/\d+ cases/.test(text)) {
          sent = true;
          child.kill('SIGINT');
        }
      },
    });
    expect(sent).toBe(true);
    expect(r.code, r.stderr).toBe(130);
    expect(r.actionOutputs).toEqual({ verdict: 'incomplete', 'report-dir': join(j.workspace, 'reports'), 'exit-code': '130' });
    expect(readReport(join(j.workspace, 'reports')).stop?.kind).toBe('interrupted');
    expect(readFileSync(j.summary, 'utf8')).toMatch(/^> \*\*Stopped early\*\* \(interrupted, after \d+ requests\): interrupted by SIGINT/m);
    expect(r.stdout).toMatch(/^::error title=run stopped early \(interrupted\)::interrupted by SIGINT/m);
  });
});
