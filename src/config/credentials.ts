import { UsageError } from '../errors.js';

/** Credentials as the user configures them, one per auth scheme. */
export type Credential =
  | { scheme: 'basic'; user: string; password: string }
  | { scheme: 'soticket'; ticket: string }
  | { scheme: 'bearer'; token: string }
  | { scheme: 'session'; cookie: string; xsrfToken: string };

export type CredentialScheme = Credential['scheme'];

const credentialSchemes: readonly CredentialScheme[] = ['basic', 'soticket', 'bearer', 'session'];

/** Every secret value a credential holds, for redaction. */
export function secretsOf(c: Credential): string[] {
  switch (c.scheme) {
    case 'basic':
      return [c.password, Buffer.from(`${c.user}:${c.password}`).toString('base64')];
    case 'soticket':
      return [c.ticket];
    case 'bearer':
      return [c.token];
    case 'session':
      return [c.cookie, c.xsrfToken, ...cookieValues(c.cookie)];
  }
}

function cookieValues(cookie: string): string[] {
  return cookie
    .split(';')
    .map((p) => p.slice(p.indexOf('=') + 1).trim())
    .filter((v) => v.length >= 4);
}

/** `basic:USER:PASSWORD`, `soticket:TICKET`, `bearer:TOKEN`; tickets, tokens and passwords may hold colons. */
export function parseAuth(spec: string): Credential {
  const i = spec.indexOf(':');
  const scheme = (i < 0 ? spec : spec.slice(0, i)).trim().toLowerCase();
  const rest = i < 0 ? '' : spec.slice(i + 1);
  const known = credentialSchemes.filter((s) => s !== 'session').join(', ');
  switch (scheme) {
    case 'basic': {
      const j = rest.indexOf(':');
      if (j <= 0) throw new UsageError('--auth basic needs basic:USER:PASSWORD');
      return { scheme: 'basic', user: rest.slice(0, j), password: rest.slice(j + 1) };
    }
    case 'soticket':
      if (!rest) throw new UsageError('--auth soticket needs soticket:TICKET');
      return { scheme: 'soticket', ticket: rest };
    case 'bearer':
      if (!rest) throw new UsageError('--auth bearer needs bearer:TOKEN');
      return { scheme: 'bearer', token: rest };
    default:
      throw new UsageError(`--auth: unknown scheme ${JSON.stringify(scheme)} (known: ${known}; a session is given with --session-cookie and --xsrf-token)`);
  }
}
