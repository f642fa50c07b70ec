/**
 * Running npm, npx and the installed CLI for the package test: in a folder of the test's own, with
 * TMPDIR inside it (whatever a tool leaves in its temp dir goes when the folder goes), without the
 * SO_* variables of a configured run, and without the npm settings `npm test` exports for this
 * repository's own script (its prefix, its lifecycle), so npm works as in a user's shell.
 */
import { spawn } from 'node:child_process';

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** npm settings a user may have in the environment (the registry, the cache, a proxy); the others are npm's own. */
const USER_NPM_SETTINGS = /^npm_config_(cache|registry|userconfig|globalconfig|cafile|proxy|https_proxy|noproxy|strict_ssl)$/i;

/** The environment for the package test's commands. */
export function cleanEnv(tmp: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SO_') && (!/^npm_/i.test(k) || USER_NPM_SETTINGS.test(k))));
  return { ...env, TMPDIR: tmp, ...extra };
}

/** Runs a command to its end (killed after `timeoutMs`), collecting its output. */
export function run(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number }): Promise<Ran> {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += String(d)));
  child.stderr.on('data', (d: Buffer) => (stderr += String(d)));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
  return new Promise((resolve) =>
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr: signal ? `${stderr}\n(killed: ${signal} after ${options.timeoutMs} ms)` : stderr });
    }),
  );
}

/** npm's warnings in its output ("npm warn ...", "npm WARN ..." of older versions). */
export function npmWarnings(text: string): string[] {
  return text.split('\n').filter((line) => /^npm warn/i.test(line.trim()));
}
