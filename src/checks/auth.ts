/** Rules on authentication: valid credentials accepted, bad ones refused first, nothing changed. */
import type { Check } from './types.js';
import { expectStatus, pass, violation } from './types.js';
import { badAuth, traitsOf, validAuth } from './case-classes.js';

const REFUSED = [401, 403];

export const authCheckedFirst: Check = {
  applies: (c) => traitsOf(c).authOrderUnderTest,
  judge: ({ c, o }) => expectStatus(o, REFUSED, `bad credentials (${c.recipe.auth.kind === 'bad' ? c.recipe.auth.variant : ''}) with ${c.recipe.alsoWrong ?? 'something else wrong'}`),
};

export const validCredentialsAccepted: Check = {
  applies: (c) => traitsOf(c).credentialsUnderTest && validAuth(c) && c.recipe.noise.length === 0,
  judge: ({ c, o }) => expectStatus(o, [200], `a valid upload with ${c.recipe.auth.kind === 'valid' ? c.recipe.auth.scheme : ''} credentials`),
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
