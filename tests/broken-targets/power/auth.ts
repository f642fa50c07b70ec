/**
 * Power targets for credentials as real clients send them (scheme words in any case, an
 * SO-AppToken of no app) and for bad credentials a lax check lets through (a session wrong in one
 * way, Basic decoded leniently, an empty Authorization header).
 */
import type { IncomingHttpHeaders } from 'node:http';
import { headersWithRole } from '../../../src/spec/model.js';
import { defaultBehaviour as d } from '../../../src/target/behaviour.js';
import { SESSION_COOKIE } from '../../../src/target/credentials.js';
import type { TargetContext } from '../../../src/target/types.js';
import type { PowerTarget } from './types.js';

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join(', ') : v);

/** The cookies of a request by name (the last of a name counts: these targets are lax anyway). */
function cookiesOf(h: IncomingHttpHeaders): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (one(h.cookie) ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) out.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return out;
}

function withCookies(h: IncomingHttpHeaders, cookies: Map<string, string>): IncomingHttpHeaders {
  return { ...h, cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') };
}

/** The session's XSRF cookie and header names, and the target's own session values. */
function sessionOf(c: TargetContext) {
  const session = c.model.security.session;
  if (!session) throw new Error('the spec has no session scheme');
  const own = cookiesOf({ cookie: c.credentials.session.cookie });
  return { cookieName: session.cookieName, headerName: session.headerName.toLowerCase(), sessionId: own.get(SESSION_COOKIE) ?? '', xsrfToken: c.credentials.session.xsrfToken };
}

/** A session request (no Authorization) goes to `lax`; every other to the reference behaviour. */
function forSessions(lax: (h: IncomingHttpHeaders, c: TargetContext) => IncomingHttpHeaders) {
  return (h: IncomingHttpHeaders, c: TargetContext) => d.authenticate(h.authorization === undefined ? lax(h, c) : h, c);
}

export const authTargets: PowerTarget[] = [
  {
    // `if (scheme == "SOTicket")`: SOTICKET and soticket, the same scheme (RFC 9110 §11.1), are refused.
    name: 'matches the SOTicket scheme word case-sensitively',
    valueClass: 'auth: valid soticket as SOTICKET',
    behaviour: {
      authenticate: (h: IncomingHttpHeaders, c: TargetContext) => {
        const word = /^\s*(\S+)/.exec(one(h.authorization) ?? '')?.[1];
        const spelled = c.model.security.ticket?.scheme;
        const sameScheme = word !== undefined && spelled !== undefined && word.toLowerCase() === spelled.toLowerCase();
        return sameScheme && word !== spelled ? { ok: false, status: 401, message: 'The authentication scheme is not supported.' } : d.authenticate(h, c);
      },
    },
    caughtBy: 'valid-credentials-accepted',
  },
  {
    // Looks the app up and dereferences what it did not find.
    name: 'answers 500 to an SO-AppToken of no registered app',
    valueClass: 'auth: SO-AppToken: random',
    behaviour: {
      authenticate: (h: IncomingHttpHeaders, c: TargetContext) => {
        const name = headersWithRole(c.model, 'app-token')[0]?.name.toLowerCase();
        const given = name === undefined ? undefined : one(h[name]);
        return given !== undefined && given !== c.credentials.appToken
          ? { ok: false, status: 500, message: 'Object reference not set to an instance of an object.' }
          : d.authenticate(h, c);
      },
    },
    caughtBy: 'app-token-no-5xx',
  },
  {
    // Checks that X-XSRF-TOKEN is there, not that it repeats the XSRF cookie: a CSRF hole.
    name: 'takes any X-XSRF-TOKEN beside a valid session',
    valueClass: 'auth: session with a wrong X-XSRF-TOKEN',
    behaviour: {
      authenticate: forSessions((h, c) => {
        const s = sessionOf(c);
        const token = cookiesOf(h).get(s.cookieName);
        return h[s.headerName] !== undefined && token !== undefined ? { ...h, [s.headerName]: token } : h;
      }),
    },
    caughtBy: 'bad-credentials-rejected',
  },
  {
    // Checks that the session cookie is there, not which session it names.
    name: 'takes any value of the session cookie',
    valueClass: 'auth: session with a tampered session cookie',
    behaviour: {
      authenticate: forSessions((h, c) => {
        const cookies = cookiesOf(h);
        if (!cookies.has(SESSION_COOKIE)) return h;
        cookies.set(SESSION_COOKIE, sessionOf(c).sessionId);
        return withCookies(h, cookies);
      }),
    },
    caughtBy: 'bad-credentials-rejected',
  },
  {
    // Takes a matching XSRF cookie and header for a session, whether or not a session comes with them.
    name: 'takes the XSRF cookie and header without the session cookie',
    valueClass: 'auth: session without its session cookie',
    behaviour: {
      authenticate: forSessions((h, c) => {
        const cookies = cookiesOf(h);
        const s = sessionOf(c);
        if (cookies.has(SESSION_COOKIE) || !cookies.has(s.cookieName)) return h;
        cookies.set(SESSION_COOKIE, s.sessionId);
        return withCookies(h, cookies);
      }),
    },
    caughtBy: 'bad-credentials-rejected',
  },
  {
    // Compares X-XSRF-TOKEN with the XSRF cookie only when the cookie is there.
    name: 'skips the XSRF check when the XSRF cookie is missing',
    valueClass: 'auth: session without X-XSRF-TOKEN or its XSRF cookie',
    behaviour: {
      authenticate: forSessions((h, c) => {
        const cookies = cookiesOf(h);
        const s = sessionOf(c);
        if (!cookies.has(SESSION_COOKIE) || cookies.has(s.cookieName)) return h;
        cookies.set(s.cookieName, s.xsrfToken);
        return { ...withCookies(h, cookies), [s.headerName]: s.xsrfToken };
      }),
    },
    caughtBy: 'bad-credentials-rejected',
  },
  {
    // Decodes Basic credentials as Node's Buffer.from does: what is not base64 is skipped.
    name: 'decodes Basic credentials leniently',
    valueClass: 'auth: malformed Basic (valid base64 with junk after it)',
    behaviour: {
      authenticate: (h: IncomingHttpHeaders, c: TargetContext) => {
        const m = /^\s*(\S+)\s+(\S+)\s*$/.exec(one(h.authorization) ?? '');
        if (!m || m[1]!.toLowerCase() !== c.model.security.basic?.scheme.toLowerCase()) return d.authenticate(h, c);
        return d.authenticate({ ...h, authorization: `${m[1]} ${Buffer.from(m[2]!, 'base64').toString('base64')}` }, c);
      },
    },
    caughtBy: 'bad-credentials-rejected',
  },
  {
    // Splits the header at its space and takes the second part: an empty header has none.
    name: 'answers 500 to an empty Authorization header',
    valueClass: 'auth: no credentials (an empty Authorization header)',
    behaviour: {
      authenticate: (h: IncomingHttpHeaders, c: TargetContext) =>
        h.authorization === '' ? { ok: false, status: 500, message: 'Index was outside the bounds of the array.' } : d.authenticate(h, c),
    },
    caughtBy: 'bad-credentials-rejected',
  },
];
