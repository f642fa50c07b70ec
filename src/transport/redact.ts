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

/**
 * A secret's first characters that mark a leak of it even when the rest is missing (a message
 * or preview cut inside it) or differs (a tampered copy): from there on, as far as the text
 * matches the secret, it is redacted. Shorter secrets are redacted only whole.
 */
const LEAK_PREFIX = 12;

/**
 * The credentials inside the values of sensitive headers as sent: the whole value, the part after
 * the scheme word, a Basic credential's decoded `user:password` and password, each cookie value.
 */
export function credentialsIn(value: string): string[] {
  const out = [value];
  const space = value.indexOf(' ');
  const credential = space > 0 ? value.slice(space + 1).trim() : value;
  out.push(credential);
  if (/^basic$/i.test(value.slice(0, space))) {
    const decoded = Buffer.from(credential, 'base64').toString('utf8');
    out.push(decoded, decoded.slice(decoded.indexOf(':') + 1));
  }
  for (const pair of value.split(';')) {
    const eq = pair.indexOf('=');
    if (eq > 0) out.push(pair.slice(eq + 1).trim());
  }
  return out;
}

/** Each secret of at least 4 characters in all its forms, added to `known`; longest first, so that a secret containing another is replaced whole. */
function withForms(known: readonly string[], secrets: Iterable<string>): string[] {
  const added = [...secrets].filter((s) => s.length >= 4).flatMap(formsOf);
  return [...new Set([...known, ...added])].sort((a, b) => b.length - a.length);
}

/** The secrets as their UTF-8 bytes read as latin1, for `bytes`. */
function asLatin1(secrets: readonly string[]): string[] {
  // Stryker disable next-line StringLiteral: Buffer.from(s, '') reads s as UTF-8 too
  return secrets.map((s) => Buffer.from(s, 'utf8').toString('latin1'));
}

export class Redactor {
  private secrets: string[];
  private secretBytes: string[];
  private readonly sensitiveHeaders: Set<string>;

  constructor(secrets: Iterable<string>, sensitiveHeaders: Iterable<string>) {
    this.sensitiveHeaders = new Set([...sensitiveHeaders].map((h) => h.toLowerCase()));
    this.secrets = withForms([], secrets);
    this.secretBytes = asLatin1(this.secrets);
  }

  /** Learns further secrets (a credential renewed during the run); from now on they are redacted too. */
  addSecrets(secrets: Iterable<string>): void {
    this.secrets = withForms(this.secrets, secrets);
    this.secretBytes = asLatin1(this.secrets);
  }

  /** Header names whose values are always redacted: Authorization, Cookie, Set-Cookie, and the spec's app-token and XSRF headers. */
  static sensitiveHeaderNames(model: SpecModel): string[] {
    const names = ['authorization', 'cookie', 'set-cookie', 'proxy-authorization'];
    for (const h of model.headers) if (h.role === 'app-token' || h.role === 'xsrf-token') names.push(h.name.toLowerCase());
    if (model.security.session) names.push(model.security.session.headerName.toLowerCase());
    return names;
  }

  /**
   * A redactor for one exchange: this one's secrets plus the credentials its request carried in
   * sensitive headers (a tampered or expired credential the run sent on purpose is a secret of its
   * own: most of it is the real one).
   */
  forExchange(sent: Record<string, string>): Redactor {
    const carried = Object.entries(sent).filter(([k]) => this.isSensitiveHeader(k)).flatMap(([, v]) => credentialsIn(v));
    // What was sent goes first: a tampered copy is replaced whole before the real secret's prefix cuts it.
    const r = new Redactor(carried, this.sensitiveHeaders);
    r.secrets = [...new Set([...r.secrets, ...this.secrets])];
    r.secretBytes = asLatin1(r.secrets);
    return r;
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

/** Characters of a copy that may differ from the secret (a tampered copy) before a match ends. */
const LEAK_MISMATCHES = 2;

/**
 * Replaces every secret by REDACTED; then every cut or altered copy: text that starts with a
 * secret's first LEAK_PREFIX characters, up to its last character that still matches the secret
 * (at most LEAK_MISMATCHES characters differing on the way). Whole secrets go first, so that a
 * copy of one never cuts into another.
 */
function replaceAll(s: string, secrets: readonly string[]): string {
  let out = s;
  // Stryker disable next-line ConditionalExpression: split and join without the secret in the text change nothing (the test only spares the work)
  for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  for (const secret of secrets) {
    // Stryker disable next-line ConditionalExpression,EqualityOperator: a secret of at most 12 characters is its own head, and the loop above left no copy of it
    if (secret.length < LEAK_PREFIX) continue;
    const head = secret.slice(0, LEAK_PREFIX);
    // Stryker disable next-line ArithmeticOperator: the text at `at` now starts with REDACTED, which holds no secret's head, so searching on from before it finds the same next copy
    for (let at = out.indexOf(head); at !== -1; at = out.indexOf(head, at + REDACTED.length)) {
      out = out.slice(0, at) + REDACTED + out.slice(at + copiedLength(out, at, secret));
    }
  }
  // A copy altered inside its head (a tampered credential the suite sent, echoed back) still ends
  // with the secret's last LEAK_PREFIX characters: from there back, as far as it matches.
  for (const secret of secrets) {
    // Stryker disable next-line ConditionalExpression,EqualityOperator: a secret of at most 12 characters is its own tail, and the first loop left no copy of it
    if (secret.length <= LEAK_PREFIX) continue;
    const tail = secret.slice(-LEAK_PREFIX);
    // Stryker disable next-line ArithmeticOperator: every copy before `at` is redacted already, so searching on from before it finds the same next copy
    for (let at = out.indexOf(tail); at !== -1; at = out.indexOf(tail, at + REDACTED.length)) {
      const start = at - copiedLengthBack(out, at, secret);
      out = out.slice(0, start) + REDACTED + out.slice(at + LEAK_PREFIX);
      at = start;
    }
  }
  return out;
}

/** How many characters before `at` (where the secret's last LEAK_PREFIX characters stand) are a copy of the secret's before them. */
function copiedLengthBack(text: string, at: number, secret: string): number {
  const before = secret.length - LEAK_PREFIX;
  let matched = 0;
  let misses = 0;
  // Stryker disable next-line LogicalOperator,ConditionalExpression,ArithmeticOperator: past the text's start or the secret's (one, not both) every comparison is a miss, so the miss limit ends the walk with the same length
  for (let n = 1; n <= before && at - n >= 0; n++) {
    if (text[at - n] === secret[before - n]) matched = n;
    else if (++misses > LEAK_MISMATCHES) break;
  }
  return matched;
}

/** How far the text at `at` is a copy of `secret` (it starts with the secret's first LEAK_PREFIX characters). */
function copiedLength(text: string, at: number, secret: string): number {
  let matched = LEAK_PREFIX;
  let misses = 0;
  // Stryker disable next-line EqualityOperator,LogicalOperator,ArithmeticOperator: past the end of the secret or of the text (one, not both) every comparison is a miss, so the miss limit ends the loop with the same length
  for (let n = LEAK_PREFIX; n < secret.length && at + n < text.length; n++) {
    if (text[at + n] === secret[n]) matched = n + 1;
    else if (++misses > LEAK_MISMATCHES) break;
  }
  return matched;
}
