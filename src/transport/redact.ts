/**
 * Redaction at the transport boundary: every record of a request (report, curl line, error
 * message) passes through here, so no later code can leak a credential.
 */
import type { SpecModel } from '../spec/model.js';

export const REDACTED = '[REDACTED]';

/** The forms a secret can take in a request record: as it is, percent-encoded (URLs, form bodies) and base64-encoded. */
function formsOf(secret: string): string[] {
  return [secret, encodeURIComponent(secret), Buffer.from(secret, 'utf8').toString('base64')];
}

export class Redactor {
  private secrets: string[] = [];
  /** The same secrets as their UTF-8 bytes read as latin1, for `bytes`. */
  private secretBytes: string[] = [];
  private readonly sensitiveHeaders: Set<string>;

  constructor(secrets: Iterable<string>, sensitiveHeaders: Iterable<string>) {
    this.sensitiveHeaders = new Set([...sensitiveHeaders].map((h) => h.toLowerCase()));
    this.addSecrets(secrets);
  }

  /** Learns further secrets (a credential renewed during the run); from now on they are redacted too. */
  addSecrets(secrets: Iterable<string>): void {
    const added = [...secrets].filter((s) => s.length >= 4).flatMap(formsOf);
    // Longest first, so that a secret containing another is replaced whole.
    this.secrets = [...new Set([...this.secrets, ...added])].sort((a, b) => b.length - a.length);
    this.secretBytes = this.secrets.map((s) => Buffer.from(s, 'utf8').toString('latin1'));
  }

  /** Header names whose values are always redacted: Authorization, Cookie, Set-Cookie, and the spec's app-token and XSRF headers. */
  static sensitiveHeaderNames(model: SpecModel): string[] {
    const names = ['authorization', 'cookie', 'set-cookie', 'proxy-authorization'];
    for (const h of model.headers) if (h.role === 'app-token' || h.role === 'xsrf-token') names.push(h.name.toLowerCase());
    if (model.security.session) names.push(model.security.session.headerName.toLowerCase());
    return names;
  }

  isSensitiveHeader(name: string): boolean {
    return this.sensitiveHeaders.has(name.toLowerCase());
  }

  text(s: string): string {
    return replaceAll(s, this.secrets);
  }

  headers(h: Record<string, string>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(h)) out[k] = this.isSensitiveHeader(k) ? REDACTED : this.text(v);
    return out;
  }

  /** Redacts secrets appearing in a byte buffer (for previews of bodies); returns the same buffer when none does. */
  bytes(b: Uint8Array): Uint8Array {
    const s = Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');
    const r = replaceAll(s, this.secretBytes);
    return r === s ? b : Buffer.from(r, 'latin1');
  }
}

function replaceAll(s: string, secrets: readonly string[]): string {
  let out = s;
  for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  return out;
}
