/**
 * auth: a small valid upload whose credentials vary: each configured scheme with each of its scheme
 * words (`SOTicket`, `SOTICKET`, `soticket`, ...: scheme names are case-insensitive), valid
 * credentials with noise beside them (an SO-AppToken of another app, of every shape; a session
 * header), or bad credentials. Around a bad-credential case ImageInfo's BlobId is read before and
 * after (a refused request must change nothing). Serial: it reads the person's image.
 */
import fc from 'fast-check';
import type { CaseExtra } from '../../checks/types.js';
import type { SpecModel } from '../../spec/model.js';
import { appTokenNoise, badAuth, validAuthWords } from '../auth.js';
import type { CaseRecipe, HeaderValue } from '../case.js';
import { NO_TRAITS, recipe } from './shared.js';
import type { FamilyGenerators } from './types.js';
import type { FamilyDefinition } from './types.js';
import { authClasses } from './classes.js';

/** A session header beside valid credentials (when the spec has a session scheme). */
function sessionNoise(model: SpecModel): fc.Arbitrary<HeaderValue[]> | undefined {
  const session = model.security.session;
  return session ? fc.base64String({ minLength: 8, maxLength: 24 }).map((v): HeaderValue[] => [{ name: session.headerName, value: v, malformed: false }]) : undefined;
}

/**
 * The family's mix. Each (scheme, word) pair, each app-token shape and each bad variant is a value
 * class; the valid words and the app-token shapes are weighted up so that a default run meets most
 * of them without the top-up (which still guarantees each).
 */
function authRecipes(g: FamilyGenerators): fc.Arbitrary<CaseRecipe> {
  const { model, credentials } = g.ctx;
  const base = { family: 'auth' as const, method: g.method, person: g.me, body: g.smallBody };
  const arms: { arbitrary: fc.Arbitrary<CaseRecipe>; weight: number }[] = [
    { arbitrary: recipe({ ...base, auth: validAuthWords(model, credentials) }), weight: 3 },
    { arbitrary: recipe({ ...base, auth: badAuth(model, credentials) }), weight: 4 },
  ];
  const appToken = appTokenNoise(model);
  if (appToken) arms.push({ arbitrary: recipe({ ...base, auth: g.valid, noise: appToken }), weight: 2 });
  const session = sessionNoise(model);
  if (session) arms.push({ arbitrary: recipe({ ...base, auth: g.valid, noise: session }), weight: 1 });
  return fc.oneof(...arms);
}

export const authFamily: FamilyDefinition = {
  name: 'auth',
  serial: true,
  expectHealthy: false,
  traits: { ...NO_TRAITS, credentialsUnderTest: true },
  classes: (ctx) => authClasses(ctx.model, ctx.credentials),
  recipes: authRecipes,
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
