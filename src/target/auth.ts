/**
 * Authentication: the first check of every request. The scheme words, the XSRF header and
 * cookie and the app-token header all come from the spec model.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { headersWithRole } from '../spec/model.js';
import { SESSION_COOKIE } from './credentials.js';
import type { Result, TargetContext } from './types.js';

function refuse(message: string): { ok: false; status: 401; message: string } {
  return { ok: false, status: 401, message };
}

/** Constant-time comparison of two strings. */
function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v.join(', ') : v;
}

/** The cookies of a request, first value of each name. */
function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (name && !out.has(name)) out.set(name, value);
  }
  return out;
}

const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function authenticate(headers: IncomingHttpHeaders, ctx: TargetContext): Result<{ scheme: string }> {
  const { security } = ctx.model;
  const creds = ctx.credentials;
  const authorization = headerValue(headers, 'authorization');
  if (authorization !== undefined) {
    const m = /^\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)(?:[ \t]+(.*?))?\s*$/.exec(authorization);
    // Stryker disable next-line StringLiteral: a free-text message (the contract fixes no ErrorMessage)
    if (!m) return refuse('The Authorization header is malformed.');
    const word = (m[1] ?? '').toLowerCase();
    const param = m[2] ?? '';
    if (security.basic && word === security.basic.scheme.toLowerCase()) {
      // Stryker disable next-line StringLiteral: a free-text message (the contract fixes no ErrorMessage)
      if (!param || !STRICT_BASE64.test(param)) return refuse('The Basic credentials are not base64.');
      const decoded = Buffer.from(param, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      // Stryker disable next-line StringLiteral: a free-text message (the contract fixes no ErrorMessage)
      if (colon < 0) return refuse('The Basic credentials have no user:password form.');
      const okUser = sameSecret(decoded.slice(0, colon), creds.basic.user);
      const okPassword = sameSecret(decoded.slice(colon + 1), creds.basic.password);
      // Stryker disable next-line StringLiteral: a free-text message (the contract fixes no ErrorMessage)
      return okUser && okPassword ? { ok: true, scheme: security.basic.key } : refuse('Unknown user or wrong password.');
    }
    if (security.ticket && word === security.ticket.scheme.toLowerCase()) {
      // Stryker disable next-line StringLiteral: a free-text message (the contract fixes no ErrorMessage)
      if (!sameSecret(param, creds.soticket)) return refuse('The ticket is not valid.');
      if (creds.appToken !== undefined) {
        const appHeader = headersWithRole(ctx.model, 'app-token')[0];
        const given = appHeader ? headerValue(headers, appHeader.name) : undefined;
        // Stryker disable next-line StringLiteral: a free-text message (the contract fixes no ErrorMessage)
        if (given === undefined || !sameSecret(given, creds.appToken)) return refuse('The application token is missing or not valid.');
      }
      return { ok: true, scheme: security.ticket.key };
    }
    if (security.bearer && word === security.bearer.scheme.toLowerCase()) {
      // Stryker disable next-line StringLiteral: a free-text message (the contract fixes no ErrorMessage)
      return sameSecret(param, creds.bearer) ? { ok: true, scheme: security.bearer.key } : refuse('The access token is not valid or has expired.');
    }
    // Stryker disable next-line StringLiteral: a free-text message (the contract fixes no ErrorMessage)
    return refuse('The authentication scheme is not supported.');
  }
  const session = security.session;
  // Stryker disable next-line StringLiteral: a free-text message (the contract fixes no ErrorMessage)
  if (!session) return refuse('No credentials.');
  const cookies = parseCookies(headerValue(headers, 'cookie'));
  const expected = parseCookies(creds.session.cookie);
  const sessionId = cookies.get(SESSION_COOKIE);
  const cookieToken = cookies.get(session.cookieName);
  // Stryker disable next-line StringLiteral: a free-text message (the contract fixes no ErrorMessage)
  if (sessionId === undefined && cookieToken === undefined) return refuse('No credentials.');
  if (sessionId === undefined || !sameSecret(sessionId, expected.get(SESSION_COOKIE) ?? '')) return refuse('The session is not valid.');
  // Stryker disable next-line StringLiteral: a free-text message (the contract fixes no ErrorMessage)
  if (cookieToken === undefined || !sameSecret(cookieToken, creds.session.xsrfToken)) return refuse('The session has no valid XSRF token cookie.');
  const headerToken = headerValue(headers, session.headerName);
  // Stryker disable next-line StringLiteral: a free-text message (the contract fixes no ErrorMessage)
  if (headerToken === undefined || !sameSecret(headerToken.trim(), cookieToken)) return refuse('The XSRF token header is missing or does not match.');
  return { ok: true, scheme: session.key };
}
