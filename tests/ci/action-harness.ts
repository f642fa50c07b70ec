/**
 * Runs the steps of action.yml the way the GitHub runner runs a composite action's `run:` steps:
 * the step's `env:` evaluated (only `${{ inputs.NAME }}` is allowed there, with the input's
 * default when it is not given; anything else fails the test, so the action stays this simple),
 * laid over the caller's environment, and the script run with `bash --noprofile --norc -eo
 * pipefail FILE` in the workspace, with GITHUB_ACTION_PATH, GITHUB_OUTPUT (a new file per step)
 * and GITHUB_STEP_SUMMARY set. The action's outputs are then read the way the runner maps them:
 * `${{ steps.ID.outputs.NAME }}` from that step's GITHUB_OUTPUT file.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export const ROOT = join(import.meta.dirname, '..', '..');

interface ActionInput {
  description: string;
  required?: boolean;
  default?: string;
}

export interface ActionStep {
  name: string;
  id?: string;
  shell: string;
  run: string;
  env?: Record<string, string>;
}

interface ActionManifest {
  name: string;
  description: string;
  inputs: Record<string, ActionInput>;
  outputs: Record<string, { description: string; value: string }>;
  runs: { using: string; steps: ActionStep[] };
}

export const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as ActionManifest;

export const stepNamed = (id: string): ActionStep => {
  const step = action.runs.steps.find((s) => s.id === id || s.name === id);
  if (!step) throw new Error(`action.yml has no step ${id}`);
  return step;
};

/** A step's env as the runner evaluates it for these inputs. */
function evaluateEnv(step: ActionStep, inputs: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(step.env ?? {})) {
    out[name] = String(value).replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_, expr: string) => {
      const m = /^inputs\.([A-Za-z0-9_-]+)$/.exec(expr);
      if (!m) throw new Error(`${step.name}: env ${name} uses ${expr}; the harness evaluates only inputs.NAME`);
      const input = action.inputs[m[1]!];
      if (!input) throw new Error(`${step.name}: env ${name} names an undeclared input ${m[1]}`);
      return inputs[m[1]!] ?? input.default ?? '';
    });
  }
  return out;
}

/** Reads a GITHUB_OUTPUT file (`name=value` lines; the action writes no multi-line value). */
function readOutputFile(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}

export interface StepResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** What the step wrote to its GITHUB_OUTPUT file. */
  stepOutputs: Record<string, string>;
  /** The action's outputs, mapped from the step outputs as action.yml's `outputs:` says. */
  actionOutputs: Record<string, string>;
}

export interface StepOptions {
  inputs?: Record<string, string>;
  /** The caller's environment (the job's and the `uses:` step's env): the step's own env is laid over it. */
  env: Record<string, string>;
  /** The workspace: the step's working directory. */
  cwd: string;
  /** Where GITHUB_OUTPUT files and the step's script go. */
  scratch: string;
  /** Called with each chunk of stderr as it comes. */
  onStderr?: (text: string, child: ChildProcess) => void;
}

function actionOutputsOf(stepId: string | undefined, stepOutputs: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, { value }] of Object.entries(action.outputs)) {
    const m = /^\$\{\{\s*steps\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)\s*\}\}$/.exec(value);
    if (m && m[1] === stepId && stepOutputs[m[2]!] !== undefined) out[name] = stepOutputs[m[2]!]!;
  }
  return out;
}

/** Runs one step of the action to its end. */
export function runStep(step: ActionStep, options: StepOptions): Promise<StepResult> {
  const dir = mkdtempSync(join(options.scratch, 'step-'));
  const script = join(dir, 'step.sh');
  const outputFile = join(dir, 'github-output');
  writeFileSync(script, step.run);
  writeFileSync(outputFile, '');
  const env = { ...options.env, GITHUB_OUTPUT: outputFile, ...evaluateEnv(step, options.inputs ?? {}) };
  const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += String(d)));
  child.stderr.on('data', (d: Buffer) => {
    stderr += String(d);
    options.onStderr?.(stderr, child);
  });
  return new Promise((resolve) =>
    child.on('close', (code) => {
      const stepOutputs = readOutputFile(outputFile);
      resolve({ code, stdout, stderr, stepOutputs, actionOutputs: actionOutputsOf(step.id, stepOutputs) });
    }),
  );
}
