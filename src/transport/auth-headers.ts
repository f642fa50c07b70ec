/**
 * The request headers that carry a credential. Scheme words, cookie and header names come
 * from the spec's security schemes.
 */
import type { Credential } from '../config/credentials.js';
import type { SpecModel } from '../spec/model.js';

const AUTHORIZATION = 'authorization';

/** The auth-scheme word as sent: the spec's word with its first letter in upper case (`Basic`, `SOTicket`, `Bearer`). */
export function schemeWord(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

export function authHeaders(model: SpecModel, credential: Credential, appToken?: string): Record<string, string> {
  const headers: Record<string, string> = {};
  const sec = model.security;
  switch (credential.scheme) {
    case 'basic':
      headers[AUTHORIZATION] = `${schemeWord(sec.basic?.scheme ?? 'basic')} ${Buffer.from(`${credential.user}:${credential.password}`).toString('base64')}`;
      break;
    case 'soticket':
      headers[AUTHORIZATION] = `${schemeWord(sec.ticket?.scheme ?? 'SOTicket')} ${credential.ticket}`;
      break;
    case 'bearer':
      headers[AUTHORIZATION] = `${schemeWord(sec.bearer?.scheme ?? 'bearer')} ${credential.token}`;
      break;
    case 'session':
      headers.cookie = credential.cookie;
      if (sec.session) headers[sec.session.headerName.toLowerCase()] = credential.xsrfToken;
      break;
  }
  const appTokenHeader = model.headers.find((h) => h.role === 'app-token');
  if (appToken && appTokenHeader) headers[appTokenHeader.name.toLowerCase()] = appToken;
  return headers;
}
