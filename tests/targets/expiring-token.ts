/**
 * A conforming target whose tickets and Bearer tokens expire (contract notes, "Authentication":
 * an expired token gives 401; "Platform facts": a credential that worked earlier in a run and
 * now gets 401 has expired, which is not the server breaking a rule). Each ticket and token is
 * accepted for `usesPerCredential` requests (40 by default), then refused with 401 as expired;
 * Basic and session credentials never expire.
 *
 * Beside it, a token service on 127.0.0.1 issues a fresh credential on `GET /token`, as plain
 * text in the `--auth` syntax: `bearer:8A:...`, or `soticket:7T:...` with `?scheme=soticket`.
 * `runOverrides.authCommand` is the `--auth-command` a run executes to renew a credential:
 * tests/targets/fetch-token.mjs against that service, which asks for the scheme the run names in
 * SO_AUTH_SCHEME (src/run/auth-command.ts).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { fileURLToPath } from 'node:url';
import type { Credential } from '../../src/config/credentials.js';
import { embeddedCredentials } from '../../src/run/target.js';
import { defaultBehaviour as d } from '../../src/target/behaviour.js';
import { startReferenceTarget } from '../../src/target/server.js';
import type { Result, TargetBehaviour, TargetContext } from '../../src/target/types.js';
import type { StartedTarget } from './index.js';
import { listenOnLoopback, type Listening } from '../support/loopback.js';

const DEFAULT_USES_PER_CREDENTIAL = 40;

type ExpiringScheme = 'bearer' | 'soticket';

/** The script a run's auth command calls. */
export const FETCH_TOKEN_SCRIPT = fileURLToPath(new URL('./fetch-token.mjs', import.meta.url));

/** Quotes a word for a POSIX shell. */
function shellWord(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The auth command for a token service URL: node (this one) running fetch-token.mjs. */
function authCommandFor(tokenUrl: string): string {
  return [process.execPath, FETCH_TOKEN_SCRIPT, tokenUrl].map(shellWord).join(' ');
}

function newExpiringCredential(scheme: ExpiringScheme): string {
  return `${scheme === 'bearer' ? '8A' : '7T'}:${randomBytes(30).toString('base64')}`;
}

/** Every ticket and token issued, with how often each was accepted. */
class CredentialLedger {
  private readonly uses = new Map<string, number>();
  private issuedCount = 0;
  private expiredCount = 0;

  constructor(readonly usesPerCredential: number) {}

  private static key(scheme: ExpiringScheme, credential: string): string {
    return `${scheme}\n${credential}`;
  }

  issue(scheme: ExpiringScheme, credential = newExpiringCredential(scheme)): string {
    this.uses.set(CredentialLedger.key(scheme, credential), 0);
    this.issuedCount++;
    return credential;
  }

  /** Uses so far; undefined for a credential never issued. */
  usesOf(scheme: ExpiringScheme, credential: string): number | undefined {
    return this.uses.get(CredentialLedger.key(scheme, credential));
  }

  countUse(scheme: ExpiringScheme, credential: string): void {
    const key = CredentialLedger.key(scheme, credential);
    this.uses.set(key, (this.uses.get(key) ?? 0) + 1);
  }

  countExpired(): void {
    this.expiredCount++;
  }

  issued(): number {
    return this.issuedCount;
  }

  /** Requests refused because their ticket or token was used up. */
  expired(): number {
    return this.expiredCount;
  }
}

const AUTHORIZATION = /^\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)(?:[ \t]+(.*?))?\s*$/;

function expiringSchemeOf(word: string, ctx: TargetContext): ExpiringScheme | undefined {
  const w = word.toLowerCase();
  if (ctx.model.security.bearer && w === ctx.model.security.bearer.scheme.toLowerCase()) return 'bearer';
  if (ctx.model.security.ticket && w === ctx.model.security.ticket.scheme.toLowerCase()) return 'soticket';
  return undefined;
}

/**
 * The `authenticate` step: a ticket or token the ledger issued is checked by the reference
 * target's own step as if it were the current one, and counted when accepted; once used up it
 * gets 401. Everything else (Basic, sessions, unknown tokens) is the reference target's step.
 */
function expiringAuthBehaviour(ledger: CredentialLedger): Partial<TargetBehaviour> {
  return {
    authenticate: (headers: IncomingHttpHeaders, ctx: TargetContext): Result<{ scheme: string }> => {
      const raw = headers.authorization;
      const m = AUTHORIZATION.exec(Array.isArray(raw) ? raw.join(', ') : (raw ?? ''));
      const scheme = m ? expiringSchemeOf(m[1] ?? '', ctx) : undefined;
      const credential = m?.[2] ?? '';
      const uses = scheme ? ledger.usesOf(scheme, credential) : undefined;
      if (!scheme || uses === undefined) return d.authenticate(headers, ctx);
      if (uses >= ledger.usesPerCredential) {
        ledger.countExpired();
        return { ok: false, status: 401, message: scheme === 'bearer' ? 'The access token has expired.' : 'The ticket has expired.' };
      }
      const result = d.authenticate(headers, { ...ctx, credentials: { ...ctx.credentials, [scheme]: credential } });
      if (result.ok) ledger.countUse(scheme, credential);
      return result;
    },
  };
}

export interface ExpiringTokenTarget extends StartedTarget {
  /** The token service's `GET /token` URL. */
  tokenUrl: string;
  ledger: CredentialLedger;
}

/** The token service: `GET /token[?scheme=bearer|soticket]` answers a fresh credential as `SCHEME:CREDENTIAL`. */
function startTokenService(ledger: CredentialLedger): Promise<Listening> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://token.invalid');
    req.resume();
    if (req.method !== 'GET' || url.pathname !== '/token') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    const scheme = (url.searchParams.get('scheme') ?? 'bearer').toLowerCase();
    if (scheme !== 'bearer' && scheme !== 'soticket') {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('scheme must be bearer or soticket\n');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }).end(`${scheme}:${ledger.issue(scheme)}\n`);
  });
  return listenOnLoopback(server);
}

export interface ExpiringTokenOptions {
  usesPerCredential?: number;
}

export async function startExpiringTokenTarget(options: ExpiringTokenOptions = {}): Promise<ExpiringTokenTarget> {
  const ledger = new CredentialLedger(options.usesPerCredential ?? DEFAULT_USES_PER_CREDENTIAL);
  const bearer = ledger.issue('bearer');
  const soticket = ledger.issue('soticket');
  const t = await startReferenceTarget({ behaviour: expiringAuthBehaviour(ledger), credentials: { bearer, soticket } });
  const service = await startTokenService(ledger);
  const tokenUrl = `${service.origin}/token`;
  const all = embeddedCredentials(t);
  // Online-like: the expiring token first (the run reads ImageInfo and restores the image with it), then the ticket.
  const order: Credential['scheme'][] = ['bearer', 'soticket', 'basic', 'session'];
  const credentials = order.map((s) => all.find((c) => c.scheme === s)!);
  return {
    url: t.url,
    credentials,
    persons: t.persons,
    runOverrides: { authCommand: authCommandFor(tokenUrl) },
    // Beyond the two it started with.
    exercised: () => ({ 'refused as expired': ledger.expired(), 'credentials issued': ledger.issued() - 2 }),
    tokenUrl,
    ledger,
    close: async () => {
      await service.close();
      await t.close();
    },
  };
}
