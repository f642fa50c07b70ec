import type { Baseline } from './baseline-file.js';
import type { KeylessSigning } from '../attest/keyless-config.js';
import type { SigningKey } from '../attest/keys.js';
import type { Credential } from './credentials.js';

/** Everything a run needs, resolved from flags and environment variables. */
export interface RunConfig {
  /** The base URL up to and including /api/v1; undefined starts the embedded target. */
  target?: string;
  credentials: Credential[];
  /** A shell command that prints one `SCHEME:CREDENTIAL` line: run at the start and whenever a credential expires (`--auth-command`). */
  authCommand?: string;
  appToken?: string;
  /** The person whose image the run may replace (and restores); undefined picks the embedded target's first person. */
  personId?: number;
  seed: number;
  /** Cases per property. */
  runs: number;
  concurrency: number;
  /** Requests per second; undefined means the default for the target (unthrottled on loopback). */
  rate?: number;
  timeoutMs: number;
  reportDir: string;
  /** Rule ids to run; empty means all. */
  only: string[];
  specPath?: string;
  /** Pact files (a file or a folder) to verify against the target in the same run. */
  pact?: string;
  /** Run only this shard of the case families (`--shard i/n`). */
  shard?: { index: number; total: number };
  /** Show progress on the terminal. */
  progress: boolean;
  /** Print the plan (cases, requests, bytes, duration) and send nothing. */
  dryRun?: boolean;
  /** Upload budget in MiB; undefined means the default for the target (512 remote, unlimited on loopback). */
  maxUploadMb?: number;
  /** PEM of extra CA certificates trusted for the target (from --ca FILE). */
  ca?: string;
  /** `--har`: exchanges.har of the counterexamples (written from the report), or of every exchange of the run (`--har all`, streamed). */
  har?: 'counterexamples' | 'all';
  /** Accepted findings (`--baseline FILE`): they do not fail the verdict until they expire (src/run/baseline.ts). */
  baseline?: Baseline;
  /** The key of `--sign-key FILE`, read and checked before the run: the reports are signed into report.intoto.jsonl (src/attest/). */
  signKey?: SigningKey;
  /** `--sign-keyless`: the Sigstore instances and the OIDC token's source, checked before the run; the reports are signed into report.sigstore.json. */
  signKeyless?: KeylessSigning;
}

export const defaults = {
  runs: 25,
  concurrency: 4,
  timeoutMs: 30_000,
  reportDir: 'reports',
} as const;
