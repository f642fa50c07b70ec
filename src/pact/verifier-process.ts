/**
 * Runs the Pact Verifier in a child process (verifier-child.ts) and hands its messages over as
 * they come. The child's stdout is discarded: pact's native core writes its coloured report there,
 * and the same report comes back in the verifier's JSON. Its stderr is kept for the line that
 * says why it died. The promise settles only once the child has exited, so nothing outlives it.
 */
import { InterruptedError, PactError } from '../errors.js';
import { forkSibling } from '../fork-child.js';
import type { VerifierJob, VerifierMessage } from './verifier-protocol.js';

/**
 * Why the child died, from its stderr: the message of the last error it printed (with its code,
 * e.g. "Error: socket hang up (ECONNRESET)"), else its last line that is not Node's version
 * banner; '' when it printed nothing. An uncaught error ends with the banner ("Node.js v20.20.2"),
 * which says nothing of the cause.
 */
export function verifierDeathCause(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !/^Node\.js v\d/.test(l));
  const error = lines.findLast((l) => /^[\w.]*(Error|Exception)\b[^:]*:/.test(l));
  const code = /\bcode: '([^']+)'/.exec(stderr)?.[1];
  const line = error ? `${error}${code && !error.includes(code) ? ` (${code})` : ''}` : lines.at(-1);
  return line ? `: ${line}` : '';
}

/**
 * Verifies `job` in a child process. `onMessage` gets each warning and result in order; an error
 * it throws stops the child and rejects. A child that dies before it is done rejects with a PactError;
 * `signal` aborted stops the child and rejects with an InterruptedError (once the child has exited).
 */
export function runVerifierProcess(job: VerifierJob, onMessage: (m: Exclude<VerifierMessage, { kind: 'done' }>) => void, signal?: AbortSignal): Promise<void> {
  const child = forkSibling(import.meta.url, 'verifier-child');
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
    const onAbort = () => stop(new InterruptedError(String(signal?.reason ?? 'an abort')));
    signal?.addEventListener('abort', onAbort, { once: true });
    const settle = () => {
      if (exit === undefined || !disconnected) return;
      signal?.removeEventListener('abort', onAbort);
      if (failure) reject(failure);
      else if (done) resolve();
      else reject(new PactError(`the Pact verifier stopped before it was done (${exit})${verifierDeathCause(stderr)}`));
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
    if (signal?.aborted) onAbort();
  });
}
