/** Credentials as the user configures them, one per auth scheme. */
export type Credential =
  | { scheme: 'basic'; user: string; password: string }
  | { scheme: 'soticket'; ticket: string }
  | { scheme: 'bearer'; token: string }
  | { scheme: 'session'; cookie: string; xsrfToken: string };

export type CredentialScheme = Credential['scheme'];

export const credentialSchemes: readonly CredentialScheme[] = ['basic', 'soticket', 'bearer', 'session'];

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
