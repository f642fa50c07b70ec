/** Client rules about credentials: present and of a documented scheme; the app token with a ticket on Online. */
import { headersWithRole, type SpecModel } from '../../spec/model.js';
import { pass, violation, type Outcome } from '../types.js';
import type { ClientCheck, CredentialFacts } from './types.js';

/** The Authorization scheme words the spec documents, as it writes them. */
function documentedWords(model: SpecModel): string {
  const { basic, ticket, bearer } = model.security;
  return [basic, ticket, bearer].flatMap((s) => (s ? [s.scheme] : [])).join(', ');
}

function judgeCredential(c: CredentialFacts, model: SpecModel): Outcome {
  const xsrf = model.security.session?.headerName ?? 'XSRF';
  switch (c.kind) {
    case 'basic':
    case 'ticket':
    case 'bearer':
    case 'session':
      return pass;
    case 'none':
      return violation('no credentials: no Authorization header and no session cookie');
    case 'empty':
      return violation(`Authorization ${JSON.stringify(c.word ?? '')} with no credential after the scheme word`);
    case 'unknown-scheme':
      return violation(`the Authorization scheme ${JSON.stringify(c.word ?? '')} is none the spec documents (${documentedWords(model)})`);
    case 'session-without-xsrf':
      return violation(`the session cookie without its ${xsrf} header`);
  }
}

export const clientCredentialsPresent: ClientCheck = {
  applies: (x) => x.route.resource !== undefined,
  judge: (x, ctx) => judgeCredential(x.credential, ctx.model),
};

export const clientAppTokenWithTicket: ClientCheck = {
  applies: (x, ctx) => ctx.online && x.route.resource !== undefined && x.credential.kind === 'ticket',
  judge: (x, ctx) => {
    const header = headersWithRole(ctx.model, 'app-token')[0]?.name ?? 'the app token';
    return x.credential.appToken ? pass : violation(`a ticket without ${header} against SuperOffice Online`);
  },
};
