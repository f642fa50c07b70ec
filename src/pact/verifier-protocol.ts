/**
 * What the run (verifier-process.ts) and the Pact Verifier's child process (verifier-child.ts)
 * say to each other over the IPC channel. Advanced serialization: the spec model and the
 * credential travel as they are, never on a command line or in the environment.
 */
import type { Credential } from '../config/credentials.js';
import type { SpecModel } from '../spec/model.js';

/** Pact's own log levels. */
export type PactLogLevel = 'error' | 'warn' | 'info' | 'debug' | 'trace';

/** One pact source; `publish` holds the Verifier's broker options for a pact fetched from the broker. */
interface VerifierPactJob {
  file: string;
  publish?: Record<string, unknown>;
}

/** Everything the child needs to verify the pacts against the target. */
export interface VerifierJob {
  /** The target's origin (the request filter puts the base path before each pact path). */
  providerBaseUrl: string;
  /** The target's base path (`/SuperOffice/api/v1`). */
  basePath: string;
  pacts: VerifierPactJob[];
  logLevel: PactLogLevel;
  timeoutMs: number;
  personId: number;
  model: SpecModel;
  credential: Credential;
  appToken?: string;
}

/**
 * From the child, in order: warnings of the state handlers, then one `result` per pact source
 * (`outcome` is the verifier's JSON when it resolved, its error message when it rejected), then `done`.
 */
export type VerifierMessage =
  | { kind: 'warning'; text: string }
  | { kind: 'result'; file: string; outcome: string; rejected: boolean }
  | { kind: 'done' };
