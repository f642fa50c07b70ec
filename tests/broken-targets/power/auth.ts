/** Power targets for credentials as real clients send them: scheme words in any case, an SO-AppToken of no app. */
import type { IncomingHttpHeaders } from 'node:http';
import { headersWithRole } from '../../../src/spec/model.js';
import { defaultBehaviour as d } from '../../../src/target/behaviour.js';
import type { TargetContext } from '../../../src/target/types.js';
import type { PowerTarget } from './types.js';

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join(', ') : v);

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
];
