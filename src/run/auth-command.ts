/**
 * `--auth-command CMD` (SO_AUTH_COMMAND): a command that prints one credential, `SCHEME:CREDENTIAL`
 * as `--auth` takes it. The run executes it at the start and whenever a credential it accepted
 * earlier is refused (a ticket or token that expired). The scheme wanted is in the command's
 * environment as SO_AUTH_SCHEME (empty at the start: any scheme). Its output is a secret: it never
 * reaches a message unredacted.
 */
import { spawn } from 'node:child_process';
import { parseAuth, secretsOf, type Credential, type CredentialScheme } from '../config/credentials.js';
import { ConfigError, ConformanceError } from '../errors.js';

export interface AuthCommandOptions {
  /** Most time the command may take. Default 30 s. */
  timeoutMs?: number;
  /** Values to hide from every message (the previous credentials): the command's output is hidden anyway. */
  secrets?: readonly string[];
}

const DEFAULT_TIMEOUT_MS = 30_000;
const MAX_OUTPUT = 64 * 1024;

function hide(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of [...secrets].filter((x) => x.length >= 4).sort((a, b) => b.length - a.length)) out = out.split(s).join('[REDACTED]');
  return out;
}

/** Runs the command (through the shell) and returns the credential it printed. Throws ConfigError with one redacted line. */
export async function runAuthCommand(command: string, scheme: CredentialScheme | undefined, options: AuthCommandOptions = {}): Promise<Credential> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const { stdout, stderr, code, timedOut } = await new Promise<{ stdout: string; stderr: string; code: number | null; timedOut: boolean }>((resolve, reject) => {
    const child = spawn(command, { shell: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SO_AUTH_SCHEME: scheme ?? '' } });
    let out = '';
    let err = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (d: Buffer) => (out = (out + d.toString('utf8')).slice(0, MAX_OUTPUT)));
    child.stderr.on('data', (d: Buffer) => (err = (err + d.toString('utf8')).slice(-MAX_OUTPUT)));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new ConfigError(`--auth-command could not be started: ${e.message}`));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ stdout: out, stderr: err, code, timedOut });
    });
  });
  const lines = stdout.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  // Whatever the command printed may hold the credential: hide every line of its output from messages.
  const secrets = [...(options.secrets ?? []), ...lines, ...lines.map((l) => l.slice(l.indexOf(':') + 1))];
  const lastErr = hide(stderr.trim().split(/\r?\n/).pop() ?? '', secrets);
  if (timedOut) throw new ConfigError(`--auth-command gave no credential within ${Math.round(timeoutMs / 1000)} s`);
  if (code !== 0) throw new ConfigError(`--auth-command exited with ${code ?? 'a signal'}${lastErr ? `: ${lastErr}` : ''}`);
  if (lines.length !== 1) throw new ConfigError(`--auth-command must print one line SCHEME:CREDENTIAL (e.g. bearer:TOKEN), it printed ${lines.length}`);
  let credential: Credential;
  try {
    credential = parseAuth(lines[0]!);
  } catch (e) {
    const why = e instanceof ConformanceError ? e.message.replace(/^--auth/, 'its line') : 'unreadable';
    throw new ConfigError(`--auth-command printed a line that is no credential (${hide(why, secrets)})`);
  }
  if (scheme !== undefined && credential.scheme !== scheme) {
    throw new ConfigError(`--auth-command was asked for a ${scheme} credential (SO_AUTH_SCHEME) and printed a ${credential.scheme} one`);
  }
  if (secretsOf(credential).some((s) => s.length === 0)) throw new ConfigError('--auth-command printed an empty credential');
  return credential;
}
