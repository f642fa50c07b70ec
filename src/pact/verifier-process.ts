/**
 * Runs the Pact Verifier in a child process (verifier-child.ts) and hands its messages over as
 * they come. The child's stdout is discarded: pact's native core writes its coloured report there,
 * and the same report comes back in the verifier's JSON. Its stderr is kept for the line that
 * says why it died. The promise settles only once the child has exited, so nothing outlives it.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PactError } from '../errors.js';
import type { VerifierJob, VerifierMessage } from './verifier-protocol.js';

/** From the TypeScript sources (tsx, vitest) the child runs under tsx's loader, resolved from this package. */
function spawnVerifier(): ChildProcess {
  const fromSource = import.meta.url.endsWith('.ts');
  const entry = fileURLToPath(new URL(fromSource ? './verifier-child.ts' : './verifier-child.js', import.meta.url));
  const execArgv = fromSource ? ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href] : [];
  return fork(entry, [], { execArgv, serialization: 'advanced', stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
}

function lastLine(text: string): string {
  const line = text.trim().split('\n').at(-1)?.trim();
  return line ? `: ${line}` : '';
}

/**
 * Verifies `job` in a child process. `onMessage` gets each warning and result in order; an error
 * it throws stops the child and rejects. A child that dies before it is done rejects with a PactError.
 */
export function runVerifierProcess(job: VerifierJob, onMessage: (m: Exclude<VerifierMessage, { kind: 'done' }>) => void): Promise<void> {
  const child = spawnVerifier();
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-4096)));
  return new Promise<void>((resolve, reject) => {
    let done = false;
    let failure: Error | undefined;
    let exit: string | undefined;
    let disconnected = false;
    const stop = (e: Error) => {
      failure ??= e;
      child.kill();
    };
    // Settled once the child has exited and its channel is drained (its last messages are read before 'disconnect').
    const settle = () => {
      if (exit === undefined || !disconnected) return;
      if (failure) reject(failure);
      else if (done) resolve();
      else reject(new PactError(`the Pact verifier stopped before it was done (${exit})${lastLine(stderr)}`));
    };
    child.on('message', (m: VerifierMessage) => {
      if (failure) return;
      if (m.kind === 'done') {
        done = true;
        return;
      }
      try {
        onMessage(m);
      } catch (e) {
        stop(e as Error);
      }
    });
    child.on('error', (e) => {
      const error = new PactError(`the Pact verifier could not start: ${e.message}`);
      if (child.pid === undefined) reject(error);
      else stop(error);
    });
    child.on('disconnect', () => {
      disconnected = true;
      settle();
    });
    child.on('exit', (code, signal) => {
      exit = signal ?? `exit code ${code}`;
      settle();
    });
    child.send(job);
  });
}
