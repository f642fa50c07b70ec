/**
 * The verifier's request filter: moves each pact request onto the target's base path and puts
 * the credentials on it (the pacts never hold any). Pact paths name a spec path under any base
 * (`/api/v1/Person/5/Image`, `/SuperOffice/api/v1/Person/5/Image`); the filter keeps the part
 * that matches a spec path template and puts the target's base path before it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { Credential } from '../config/credentials.js';
import type { SpecModel } from '../spec/model.js';
import { pathTemplatePattern } from '../spec/paths.js';
import { authHeaders } from '../transport/auth-headers.js';
import type { VerificationState } from './states.js';

export type RequestFilter = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

/** A regex that finds a spec path at the end of a request path (query excluded); its `index` is where it starts. */
function specPathPattern(model: SpecModel): RegExp {
  return pathTemplatePattern([...new Set(model.operations.map((o) => o.path))], '');
}

/** A credential of the same scheme that the installation must refuse. */
export function refusedCredential(c: Credential): Credential {
  const noise = randomBytes(12).toString('hex');
  switch (c.scheme) {
    case 'basic':
      return { scheme: 'basic', user: c.user, password: `${c.password}-${noise}` };
    case 'soticket':
      return { scheme: 'soticket', ticket: `${c.ticket.slice(0, 3)}${noise}` };
    case 'bearer':
      return { scheme: 'bearer', token: `${c.token.slice(0, 3)}${noise}` };
    case 'session':
      return { scheme: 'session', cookie: c.cookie, xsrfToken: noise };
  }
}

export interface RequestFilterOptions {
  model: SpecModel;
  /** The target's base path (`/SuperOffice/api/v1`). */
  basePath: string;
  credential: Credential;
  appToken?: string;
  state: VerificationState;
}

export function requestFilter(o: RequestFilterOptions): RequestFilter {
  const pattern = specPathPattern(o.model);
  const credentialHeaders = new Set([
    'authorization',
    'cookie',
    ...(o.model.security.session ? [o.model.security.session.headerName.toLowerCase()] : []),
    ...o.model.headers.filter((h) => h.role === 'app-token' || h.role === 'xsrf-token').map((h) => h.name.toLowerCase()),
  ]);
  return (req, _res, next) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const m = pattern.exec(path);
    if (m) {
      req.url = o.basePath + path.slice(m.index) + (q < 0 ? '' : url.slice(q));
      for (const name of credentialHeaders) delete req.headers[name];
      const credential = o.state.refuseCredentials ? refusedCredential(o.credential) : o.credential;
      Object.assign(req.headers, authHeaders(o.model, credential, o.appToken));
    }
    next();
  };
}
