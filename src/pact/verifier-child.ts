/**
 * The Pact Verifier in a child process of its own, started by verifier-process.ts. Pact's native
 * core prints its report straight to file descriptor 1, in ANSI colour whatever that descriptor
 * is (pact-core 16 offers no switch for it): the parent discards this process's stdout and prints
 * the report itself from the verifier's JSON, coloured only on a terminal (verifier-output.ts).
 * State handlers and the request filter run here, beside the Verifier's proxy that calls them.
 */
import { Verifier } from '@pact-foundation/pact';
import { requestFilter } from './request-filter.js';
import { stateHandlers, type VerificationState } from './states.js';
import type { VerifierJob, VerifierMessage } from './verifier-protocol.js';

if (!process.send) throw new Error('verifier-child runs as a child process with an IPC channel (see verifier-process.ts)');

function send(message: VerifierMessage): Promise<void> {
  return new Promise((resolve) => process.send!(message, undefined, {}, () => resolve()));
}

/** Verifies one pact source; the outcome is the verifier's JSON, or its error message when it rejected. */
async function verifyOne(job: VerifierJob, pact: VerifierJob['pacts'][number], state: VerificationState): Promise<VerifierMessage> {
  const verifier = new Verifier({
    providerBaseUrl: job.providerBaseUrl,
    pactUrls: [pact.file],
    logLevel: job.logLevel,
    timeout: job.timeoutMs,
    stateHandlers: stateHandlers({ personId: job.personId, personIdName: job.model.personIdParameter.name, state, onWarning: (text) => void send({ kind: 'warning', text }) }),
    requestFilter: requestFilter({ model: job.model, basePath: job.basePath, credential: job.credential, ...(job.appToken ? { appToken: job.appToken } : {}), state }),
    ...pact.publish,
  } as ConstructorParameters<typeof Verifier>[0]);
  try {
    return { kind: 'result', file: pact.file, outcome: await verifier.verifyProvider(), rejected: false };
  } catch (e) {
    return { kind: 'result', file: pact.file, outcome: String((e as Error | undefined)?.message ?? e), rejected: true };
  }
}

async function verifyAll(job: VerifierJob): Promise<void> {
  const state: VerificationState = { refuseCredentials: false, seen: [] };
  for (const pact of job.pacts) await send(await verifyOne(job, pact, state));
  await send({ kind: 'done' });
}

process.once('message', (job: VerifierJob) => {
  verifyAll(job).then(
    () => process.exit(0),
    (e: unknown) => {
      process.stderr.write(`${(e as Error | undefined)?.message ?? String(e)}\n`);
      process.exit(1);
    },
  );
});
// Ctrl-C reaches the whole process group: the parent decides (it stops this process, then restores
// the person's image), so an interrupt is no reason to die here first.
process.on('SIGINT', () => undefined);
// The run went away (or stopped listening): nothing is left to verify for.
process.once('disconnect', () => process.exit(0));
