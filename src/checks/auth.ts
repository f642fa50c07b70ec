/** Rules on authentication: valid credentials accepted, bad ones refused first, nothing changed; an app token of no app refused or ignored. */
import { appTokenNoiseOf, appTokenShapeOf, schemeWordOf } from '../generate/auth.js';
import type { Case } from '../generate/case.js';
import type { Check, CheckContext } from './types.js';
import { expectStatus, pass, violation } from './types.js';
import { badAuth, traitsOf, validAuth } from './case-classes.js';

const REFUSED = [401, 403];

export const authCheckedFirst: Check = {
  applies: (c) => traitsOf(c).authOrderUnderTest,
  judge: ({ c, o }) => expectStatus(o, REFUSED, `bad credentials (${c.recipe.auth.kind === 'bad' ? c.recipe.auth.variant : ''}) with ${c.recipe.alsoWrong ?? 'something else wrong'}`),
};

/** `soticket credentials (scheme word SOTICKET)` */
function validCredentials(c: Case, ctx: CheckContext): string {
  if (c.recipe.auth.kind !== 'valid') return 'credentials';
  const word = c.recipe.auth.schemeWord !== undefined ? schemeWordOf(ctx.model, c.recipe.auth) : undefined;
  return `${c.recipe.auth.scheme} credentials${word ? ` (scheme word ${word})` : ''}`;
}

export const validCredentialsAccepted: Check = {
  // Noise beside the credentials (an app token of no app, a session header) may be refused: not judged here.
  applies: (c) => traitsOf(c).credentialsUnderTest && validAuth(c) && c.recipe.noise.length === 0,
  judge: ({ c, o, ctx }) => expectStatus(o, [200], `a valid upload with ${validCredentials(c, ctx)}`),
};

/** Valid credentials with an SO-AppToken of no app: ignored (200) or refused (401, 403); nothing else. */
export const appTokenNo5xx: Check = {
  applies: (c, ctx) => traitsOf(c).credentialsUnderTest && validAuth(c) && appTokenNoiseOf(ctx.model, c.recipe) !== undefined,
  judge: ({ c, o, ctx }) => {
    const h = appTokenNoiseOf(ctx.model, c.recipe);
    const token = h ? `an ${h.name} of no registered app (${appTokenShapeOf(ctx.model, h.value)})` : 'an app token of no registered app';
    return expectStatus(o, [200, ...REFUSED], `a valid upload with ${validCredentials(c, ctx)} and ${token}`);
  },
};

export const badCredentialsRejected: Check = {
  applies: badAuth,
  judge: ({ c, o }) => expectStatus(o, REFUSED, `bad credentials (${c.recipe.auth.kind === 'bad' ? c.recipe.auth.variant : ''})`),
};

export const failedAuthChangesNothing: Check = {
  applies: (c) => badAuth(c) && traitsOf(c).credentialsUnderTest,
  judge: ({ extra }) => {
    if (extra.blobIdBefore === undefined) return pass;
    return extra.blobIdAfter === extra.blobIdBefore
      ? pass
      : violation(`the image changed after a refused request: ImageInfo BlobId ${extra.blobIdBefore} before, ${extra.blobIdAfter ?? 'unreadable'} after`);
  },
};
