/**
 * The request headers that carry a credential. Scheme words, cookie and header names come
 * from the spec's security schemes.
 */
import type { Credential } from '../config/credentials.js';
import type { SpecModel } from '../spec/model.js';

const AUTHORIZATION = 'authorization';

/** The auth-scheme word as sent: the spec's word with its first letter in upper case (`Basic`, `SOTicket`, `Bearer`). */
function schemeWord(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** The words of the three Authorization schemes, from the spec's security schemes. */
export function schemeWords(model: SpecModel): { basic: string; ticket: string; bearer: string } {
  const sec = model.security;
  return {
    basic: schemeWord(sec.basic?.scheme ?? 'basic'),
    ticket: schemeWord(sec.ticket?.scheme ?? 'SOTicket'),
    bearer: schemeWord(sec.bearer?.scheme ?? 'bearer'),
  };
}

export function authHeaders(model: SpecModel, credential: Credential, appToken?: string): Record<string, string> {
  const headers: Record<string, string> = {};
  const sec = model.security;
  const words = schemeWords(model);
  switch (credential.scheme) {
    case 'basic':
      headers[AUTHORIZATION] = `${words.basic} ${Buffer.from(`${credential.user}:${credential.password}`).toString('base64')}`;
      break;
    case 'soticket':
      headers[AUTHORIZATION] = `${words.ticket} ${credential.ticket}`;
      break;
    case 'bearer':
      headers[AUTHORIZATION] = `${words.bearer} ${credential.token}`;
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
