/**
 * The credentials of a run as they are now. Tickets and Bearer tokens expire (3600 s on Online):
 * a credential the target accepted earlier and now refuses, also on a plain read, has expired.
 * That is no finding: the keeper renews it with `--auth-command` (one renewal at a time per
 * scheme, shared by every request that noticed), or the run stops with CredentialExpiredError.
 * Every request that carries a valid credential takes its headers from here when it is sent, so
 * cases built ahead of time use the renewed credential.
 */
import { secretsOf, type Credential, type CredentialScheme } from '../config/credentials.js';
import { CredentialExpiredError, ConformanceError } from '../errors.js';
import type { SpecModel } from '../spec/model.js';
import { authHeaders, type SendAs } from '../transport/auth-headers.js';
import type { Redactor } from '../transport/redact.js';
import { runAuthCommand } from './auth-command.js';

export interface CredentialKeeperOptions {
  model: SpecModel;
  appToken?: string;
  redactor: Redactor;
  /** The shell command that prints a fresh `SCHEME:CREDENTIAL` (`--auth-command`). */
  authCommand?: string;
  /** Most time the command may take. */
  authCommandTimeoutMs?: number;
}

export class CredentialKeeper {
  private readonly current: Credential[];
  private readonly generations = new Map<CredentialScheme, number>();
  private readonly accepted = new Set<CredentialScheme>();
  private readonly renewing = new Map<CredentialScheme, Promise<void>>();
  private renewals = 0;
  /** The scheme of the run's own reads (ImageInfo, the image snapshot): the first one the target accepted. */
  readScheme: CredentialScheme;

  constructor(
    credentials: readonly Credential[],
    private readonly options: CredentialKeeperOptions,
  ) {
    if (credentials.length === 0) throw new ConformanceError('E_CONFIG', 'no credentials to run with');
    this.current = [...credentials];
    this.readScheme = credentials[0]!.scheme;
  }

  /** The credentials as they are now, in the configured order. */
  all(): Credential[] {
    return [...this.current];
  }

  /** How often the scheme's credential was renewed: a request remembers it, to tell whether a renewal came after it was sent. */
  generation(scheme: CredentialScheme): number {
    return this.generations.get(scheme) ?? 0;
  }

  /** Credentials renewed during the run, in all. */
  get renewedCount(): number {
    return this.renewals;
  }

  /** The headers that carry the scheme's current credential (and the app token), sent `as` the case's recipe says (its scheme word). */
  headers(scheme: CredentialScheme, as: SendAs = {}): Record<string, string> {
    const credential = this.current.find((c) => c.scheme === scheme);
    if (!credential) throw new ConformanceError('E_CONFIG', `no configured credential for ${scheme}`);
    return authHeaders(this.options.model, credential, this.options.appToken, as);
  }

  /** The headers of the run's own reads. */
  readHeaders(): Record<string, string> {
    return this.headers(this.readScheme);
  }

  /** The target accepted the scheme's credential (the pre-flight read): a later refusal may mean it expired. */
  markAccepted(scheme: CredentialScheme): void {
    this.accepted.add(scheme);
  }

  wasAccepted(scheme: CredentialScheme): boolean {
    return this.accepted.has(scheme);
  }

  /**
   * Renews the scheme's credential, which the target refused after it had accepted it. `seen` is
   * the generation the refused request was sent with: when a renewal already came after it,
   * nothing is done. Throws CredentialExpiredError when there is no --auth-command or it fails.
   */
  async renew(scheme: CredentialScheme, seen: number): Promise<void> {
    if (this.generation(scheme) !== seen) return;
    let pending = this.renewing.get(scheme);
    if (!pending) {
      pending = this.renewOnce(scheme).finally(() => this.renewing.delete(scheme));
      this.renewing.set(scheme, pending);
    }
    await pending;
  }

  private async renewOnce(scheme: CredentialScheme): Promise<void> {
    const expired = `the ${scheme} credential was accepted earlier in the run and is now refused, also on a plain ImageInfo read: it expired`;
    if (!this.options.authCommand) {
      throw new CredentialExpiredError(`${expired}; the run stopped (give --auth-command or SO_AUTH_COMMAND to renew it)`, scheme);
    }
    let fresh: Credential;
    try {
      fresh = await runAuthCommand(this.options.authCommand, scheme, {
        ...(this.options.authCommandTimeoutMs !== undefined ? { timeoutMs: this.options.authCommandTimeoutMs } : {}),
        secrets: this.current.flatMap(secretsOf),
      });
    } catch (e) {
      throw new CredentialExpiredError(this.options.redactor.text(`${expired}, and renewing it failed: ${(e as Error).message}`), scheme);
    }
    this.options.redactor.addSecrets(secretsOf(fresh));
    const i = this.current.findIndex((c) => c.scheme === scheme);
    this.current[i] = fresh;
    this.generations.set(scheme, this.generation(scheme) + 1);
    this.renewals++;
  }
}
