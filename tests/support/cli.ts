/**
 * The CLI as a user runs it, from the sources (tsx), with only the given SO_* variables in its
 * environment (the test runner's own SO_* are dropped): its exit code and what it printed.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

const ROOT = join(import.meta.dirname, '..', '..');

export function runCli(args: string[], options: { env?: Record<string, string>; preload?: string } = {}): Promise<CliResult> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SO_')));
  const imports = ['--import', 'tsx', ...(options.preload ? ['--import', options.preload] : [])];
  const child = spawn(process.execPath, [...imports, 'src/cli/main.ts', ...args], { cwd: ROOT, env: { ...clean, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += String(d)));
  child.stderr.on('data', (d: Buffer) => (stderr += String(d)));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}
