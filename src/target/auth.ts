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
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  // Stryker disable next-line StringLiteral: node:http gives an array only for Set-Cookie, which no caller reads (repeated Authorization, Cookie, X-XSRF-TOKEN and SO-AppToken headers arrive as one string)
  return Array.isArray(v) ? v.join(', ') : v;
}

/** The cookies of a request, first value of each name. */
function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (header === undefined) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    // Stryker disable next-line ConditionalExpression,EqualityOperator: a part starting with `=` has an empty name, which the `name &&` below skips; a part without `=` would only add an entry named after its own text less the last character, and no client sends one ahead of a cookie of that name
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    // Stryker disable next-line MethodExpression: clients send `name=value; name=value` with nothing around a value (RFC 6265 §4.2.1) and node:http strips the ends of the header; whether a padded value counts the contract does not say
    const value = part.slice(eq + 1).trim();
    // Stryker disable next-line ConditionalExpression,LogicalOperator: they differ only when a name comes twice (the last one would count) or is empty: which of two same-named cookies a server takes RFC 6265 leaves open, the suite never repeats one, and no empty name is read
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
    // Stryker disable next-line Regex: what survives is not judged: a scheme word behind a non-token character (no `^`) makes a malformed header a conforming server may answer 400 rather than 401, a bare scheme word (no `?`) is refused either way, and several spaces after the word (one `[ \t]`) RFC 9110 allows but SuperOffice is not known to accept, so the suite sends one
    const m = /^\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)(?:[ \t]+(.*?))?\s*$/.exec(authorization);
    // Stryker disable next-line StringLiteral: a free-text message (the contract fixes no ErrorMessage)
    if (!m) return refuse('The Authorization header is malformed.');
    const word = m[1]!.toLowerCase();
    // Stryker disable next-line StringLiteral: m[2] is undefined only for a bare scheme word, which every branch below refuses whatever text stands for the missing credential
    const param = m[2] ?? '';
    if (security.basic && word === security.basic.scheme.toLowerCase()) {
      // Stryker disable next-line StringLiteral: a free-text message (the contract fixes no ErrorMessage)
      if (!param || !STRICT_BASE64.test(param)) return refuse('The Basic credentials are not base64.');
      const decoded = Buffer.from(param, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      // Stryker disable next-line StringLiteral,ConditionalExpression,EqualityOperator: a free-text message; without a colon the text less its last character would be taken as the user and the whole text as the password, which match only a password that is the user plus one character (the target's never is), and a colon first (`colon <= 0`) leaves an empty user, which no configured user is
      if (colon < 0) return refuse('The Basic credentials have no user:password form.');
      const okUser = sameSecret(decoded.slice(0, colon), creds.basic.user);
      const okPassword = sameSecret(decoded.slice(colon + 1), creds.basic.password);
      // Stryker disable next-line StringLiteral: a free-text message (the contract fixes no ErrorMessage)
      return okUser && okPassword ? { ok: true, scheme: security.basic.key } : refuse('Unknown user or wrong password.');
    }
    if (security.ticket && word === security.ticket.scheme.toLowerCase()) {
      // Stryker disable next-line StringLiteral: a free-text message (the contract fixes no ErrorMessage)
      if (!sameSecret(param, creds.soticket)) return refuse('The ticket is not valid.');
      // Stryker disable next-line ConditionalExpression,BlockStatement: a server that ignores SO-AppToken (as Onsite does) conforms: app-token-no-5xx takes 200 as well as 401 or 403 for a ticket with a token of no app
      if (creds.appToken !== undefined) {
        const appHeader = headersWithRole(ctx.model, 'app-token')[0];
        const given = appHeader ? headerValue(headers, appHeader.name) : undefined;
        // Stryker disable next-line StringLiteral: a free-text message (the contract fixes no ErrorMessage)
        if (given === undefined) return refuse('The application token is missing or not valid.');
        // Stryker disable next-line StringLiteral,ConditionalExpression: a free-text message; a server that takes any SO-AppToken (as Onsite does) conforms: app-token-no-5xx takes 200 as well as 401 or 403 for a token of no app
        if (!sameSecret(given, creds.appToken)) return refuse('The application token is missing or not valid.');
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
  return authenticateSession(headers, ctx);
}

/** A request without Authorization: the session cookie, its XSRF cookie and the X-XSRF-TOKEN header that repeats it. */
function authenticateSession(headers: IncomingHttpHeaders, ctx: TargetContext): Result<{ scheme: string }> {
  const creds = ctx.credentials;
  const session = ctx.model.security.session;
  // Stryker disable next-line StringLiteral,ConditionalExpression: a free-text message (the contract fixes no ErrorMessage); the spec defines a session scheme, so `session` is always set and this branch (for a spec without one) never runs
  if (!session) return refuse('No credentials.');
  const cookies = parseCookies(headerValue(headers, 'cookie'));
  const expected = parseCookies(creds.session.cookie);
  const sessionId = cookies.get(SESSION_COOKIE);
  const cookieToken = cookies.get(session.cookieName);
  if (sessionId === undefined) {
    // Stryker disable next-line all: only the free-text message depends on the XSRF cookie here (the contract fixes no ErrorMessage)
    return refuse(cookieToken === undefined ? 'No credentials.' : 'The session is not valid.');
  }
  // Stryker disable next-line StringLiteral: a free-text message (the contract fixes no ErrorMessage); the '' fallback is never taken (the target's session cookie always holds SoSession)
  if (!sameSecret(sessionId, expected.get(SESSION_COOKIE) ?? '')) return refuse('The session is not valid.');
  // Stryker disable next-line StringLiteral: a free-text message (the contract fixes no ErrorMessage)
  if (cookieToken === undefined) return refuse('The session has no valid XSRF token cookie.');
  // Stryker disable next-line StringLiteral,ConditionalExpression: a free-text message; the contract says only that X-XSRF-TOKEN repeats the XSRF-TOKEN cookie, so a server that checks just that the two agree (plain double submit) conforms and an XSRF cookie of another session is not judged
  if (!sameSecret(cookieToken, creds.session.xsrfToken)) return refuse('The session has no valid XSRF token cookie.');
  const headerToken = headerValue(headers, session.headerName);
  // Stryker disable next-line StringLiteral,MethodExpression: a free-text message (the contract fixes no ErrorMessage); node:http strips the spaces and tabs around a header value, so trim() changes no token that arrives over HTTP
  if (headerToken === undefined || !sameSecret(headerToken.trim(), cookieToken)) return refuse('The XSRF token header is missing or does not match.');
  return { ok: true, scheme: session.key };
}
