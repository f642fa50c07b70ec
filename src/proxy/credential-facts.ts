/**
 * The credential a proxied request carried: its kind (for the client rules), a fingerprint (to
 * tell "the same credential again" without keeping it) and the secrets in it (for the redactor).
 * Scheme words and header names come from the spec model.
 */
import { createHash } from 'node:crypto';
import type { CredentialFacts } from '../checks/client/types.js';
import { headersWithRole, type SpecModel } from '../spec/model.js';
import { credentialsIn } from '../transport/redact.js';

export interface SeenCredential {
  facts: CredentialFacts;
  /** sha256 of the credential headers, cut to 16 hex digits ('none' without any). */
  fingerprint: string;
  /** The values to redact: each credential header's value and the credentials inside it. */
  secrets: string[];
}

/** Lower-case header name -> value (repeated headers joined), as node:http gives them. */
export type RequestHeaders = Record<string, string | string[] | undefined>;

function value(headers: RequestHeaders, name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v.join(', ') : v;
}

function authorizationKind(authorization: string, model: SpecModel): Pick<CredentialFacts, 'kind' | 'word'> {
  const m = /^\s*(\S+)(?:\s+(.*?))?\s*$/.exec(authorization);
  const word = m?.[1] ?? '';
  const param = m?.[2] ?? '';
  const { basic, ticket, bearer } = model.security;
  const known = ([['basic', basic], ['ticket', ticket], ['bearer', bearer]] as const).find(([, s]) => s && s.scheme.toLowerCase() === word.toLowerCase());
  if (!known) return { kind: 'unknown-scheme', word };
  return param === '' ? { kind: 'empty', word } : { kind: known[0], word };
}

export function seenCredential(headers: RequestHeaders, model: SpecModel): SeenCredential {
  const authorization = value(headers, 'authorization');
  const cookie = value(headers, 'cookie');
  const xsrfName = model.security.session?.headerName;
  const xsrf = xsrfName ? value(headers, xsrfName) : undefined;
  const appTokenName = headersWithRole(model, 'app-token')[0]?.name;
  const appToken = appTokenName ? value(headers, appTokenName) : undefined;
  let kind: Pick<CredentialFacts, 'kind' | 'word'>;
  if (authorization !== undefined) kind = authorizationKind(authorization, model);
  else if (cookie !== undefined && model.security.session) kind = { kind: xsrf !== undefined ? 'session' : 'session-without-xsrf' };
  else kind = { kind: 'none' };
  const parts = [authorization, cookie, xsrf].map((v) => v ?? '');
  const fingerprint = parts.every((p) => p === '') ? 'none' : createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 16);
  const secrets = [authorization, cookie, xsrf, appToken].flatMap((v) => (v === undefined ? [] : credentialsIn(v)));
  return { facts: { ...kind, appToken: appToken !== undefined }, fingerprint, secrets };
}
