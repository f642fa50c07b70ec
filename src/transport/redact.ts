/**
 * Redaction at the transport boundary: every record of a request (report, curl line, error
 * message) passes through here, so no later code can leak a credential.
 */
import type { SpecModel } from '../spec/model.js';

export const REDACTED = '[REDACTED]';

export class Redactor {
  private readonly secrets: string[];
  private readonly sensitiveHeaders: Set<string>;

  constructor(secrets: Iterable<string>, sensitiveHeaders: Iterable<string>) {
    // Longest first, so that a secret containing another is replaced whole.
    this.secrets = [...new Set([...secrets].filter((s) => s.length >= 4))].sort((a, b) => b.length - a.length);
    this.sensitiveHeaders = new Set([...sensitiveHeaders].map((h) => h.toLowerCase()));
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
    let out = s;
    for (const secret of this.secrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    return out;
  }

  headers(h: Record<string, string>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(h)) out[k] = this.isSensitiveHeader(k) ? REDACTED : this.text(v);
    return out;
  }

  /** Redacts secrets appearing in a byte buffer (for previews of bodies); returns the same buffer when none does. */
  bytes(b: Uint8Array): Uint8Array {
    const s = Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');
    const r = this.text(s);
    return r === s ? b : Buffer.from(r, 'latin1');
  }
}
