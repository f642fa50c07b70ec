/**
 * auth: a small valid upload whose credentials vary: each configured scheme (sometimes with a
 * session header as noise), or bad credentials. Around a bad-credential case ImageInfo's BlobId is
 * read before and after (a refused request must change nothing). Serial: it reads the person's image.
 */
import fc from 'fast-check';
import type { CaseExtra } from '../../checks/types.js';
import type { SpecModel } from '../../spec/model.js';
import { badAuth } from '../auth.js';
import type { HeaderValue } from '../case.js';
import { NO_TRAITS, recipe } from './shared.js';
import type { FamilyDefinition } from './types.js';
import { authClasses } from './classes.js';

/** Sometimes a session header beside valid credentials (when the spec has a session scheme). */
function sessionNoise(model: SpecModel): fc.Arbitrary<HeaderValue[]> {
  const session = model.security.session;
  return session
    ? fc.oneof(
        { arbitrary: fc.constant<HeaderValue[]>([]), weight: 3 },
        fc.base64String({ minLength: 8, maxLength: 24 }).map((v): HeaderValue[] => [{ name: session.headerName, value: v, malformed: false }]),
      )
    : fc.constant<HeaderValue[]>([]);
}

export const authFamily: FamilyDefinition = {
  name: 'auth',
  serial: true,
  expectHealthy: false,
  traits: { ...NO_TRAITS, credentialsUnderTest: true },
  classes: (ctx) => authClasses(ctx.model, ctx.credentials),
  recipes: (g) => {
    const { model, credentials } = g.ctx;
    const noise = sessionNoise(model);
    return fc.oneof(
      { arbitrary: recipe({ family: 'auth', method: g.method, person: g.me, auth: g.valid, body: g.smallBody, noise }), weight: 2 },
      { arbitrary: recipe({ family: 'auth', method: g.method, person: g.me, auth: badAuth(model, credentials), body: g.smallBody }), weight: 3 },
    );
  },
  // With bad credentials: BlobId before, the case, BlobId after.
  requestsPerCase: (r) => (r.auth.kind === 'bad' ? 3 : 1),
  async execute(io, c) {
    if (c.recipe.auth.kind !== 'bad') return { o: await io.send(), extra: {} };
    const extra: CaseExtra = {};
    const segment = c.recipe.person.segment;
    const before = await io.blobId(segment);
    if (before !== undefined) extra.blobIdBefore = before;
    const o = await io.send();
    const after = await io.blobId(segment);
    if (after !== undefined) extra.blobIdAfter = after;
    return { o, extra };
  },
};
