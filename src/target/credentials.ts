/** Random credentials for one start of the reference target. */
import { randomBytes } from 'node:crypto';
import type { SpecModel } from '../spec/model.js';
import type { TargetCredentials } from './types.js';

/** The name of the session cookie itself (not in the spec: only the XSRF cookie is). */
export const SESSION_COOKIE = 'SoSession';

// Stryker disable next-line all: as newCredentials below
function token(bytes: number): string {
  return randomBytes(bytes).toString('base64');
}

// Stryker disable all: the embedded target's random credentials are handed to the suite as they are; their form is no part of the contract
export function newCredentials(model: SpecModel): TargetCredentials {
  const xsrfToken = randomBytes(24).toString('base64url');
  const xsrfCookie = model.security.session?.cookieName;
  const sessionId = randomBytes(18).toString('base64url');
  return {
    basic: { user: `user-${randomBytes(4).toString('hex')}`, password: randomBytes(12).toString('base64url') },
    soticket: `7T:${token(30)}`,
    bearer: `8A:${token(30)}`,
    session: {
      cookie: xsrfCookie ? `${SESSION_COOKIE}=${sessionId}; ${xsrfCookie}=${xsrfToken}` : `${SESSION_COOKIE}=${sessionId}`,
      xsrfToken,
    },
  };
}
// Stryker restore all
