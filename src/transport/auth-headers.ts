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

/**
 * How a valid credential is sent: `schemeWord` replaces the Authorization scheme word (any case:
 * scheme names are case-insensitive, RFC 9110 §11.1); `withoutAppToken` leaves the configured
 * app token out (the request carries an SO-AppToken of its own).
 */
export interface SendAs {
  schemeWord?: string;
  withoutAppToken?: boolean;
}

export function authHeaders(model: SpecModel, credential: Credential, appToken?: string, as: SendAs = {}): Record<string, string> {
  const headers: Record<string, string> = {};
  const sec = model.security;
  const words = schemeWords(model);
  const word = (own: string) => as.schemeWord ?? own;
  switch (credential.scheme) {
    case 'basic':
      headers[AUTHORIZATION] = `${word(words.basic)} ${Buffer.from(`${credential.user}:${credential.password}`).toString('base64')}`;
      break;
    case 'soticket':
      headers[AUTHORIZATION] = `${word(words.ticket)} ${credential.ticket}`;
      break;
    case 'bearer':
      headers[AUTHORIZATION] = `${word(words.bearer)} ${credential.token}`;
      break;
    case 'session':
      headers.cookie = credential.cookie;
      if (sec.session) headers[sec.session.headerName.toLowerCase()] = credential.xsrfToken;
      break;
  }
  const appTokenHeader = model.headers.find((h) => h.role === 'app-token');
  if (appToken && appTokenHeader && !as.withoutAppToken) headers[appTokenHeader.name.toLowerCase()] = appToken;
  return headers;
}
