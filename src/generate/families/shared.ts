/**
 * What the family files share: the `recipe()` builder, the arbitraries several families draw from
 * (the spec's methods, the configured person, valid credentials, image bodies, invalid bodies,
 * images under undeclared content types) and the default behaviour: the case and nothing else.
 */
import fc from 'fast-check';
import { validAuth } from '../auth.js';
import type { BodyRecipe, CaseFamily, CaseRecipe, HeaderValue } from '../case.js';
import { validImageRecipe } from '../images/index.js';
import { INVALID_BODY_KINDS, invalidBodyRecipe } from '../invalid-bodies/index.js';
import type { SpecModel } from '../../spec/model.js';
import type { FamilyBehaviour, FamilyGenerators, FamilyTraits, GenerationContext } from './types.js';

/**
 * Every invalid body kind. Damage is undecodable by construction (src/generate/invalid-bodies/damage.ts;
 * tests/generate/damage-undecodable.test.ts proves it with libvips and the Debian tools), so every
 * kind is damage a decoder can see.
 */
const DETECTABLE_INVALID_KINDS = INVALID_BODY_KINDS.map((k) => k.kind);

/** Content types the spec does not declare for the request body (filtered against the spec). */
export function undeclaredContentTypes(model: SpecModel): string[] {
  const declared = new Set(model.save[0]?.requestMediaTypes.map((m) => m.type));
  return ['application/octet-stream', 'text/plain', 'application/json', 'image/webp', 'image/bmp', 'application/x-www-form-urlencoded', ''].filter((t) => !declared.has(t));
}

/** A recipe of `family` from an arbitrary of each part (language and noise none, Accept absent, unless given). */
export function recipe(parts: {
  family: CaseFamily;
  method: fc.Arbitrary<'PUT' | 'POST'>;
  person: CaseRecipe['person'] | fc.Arbitrary<CaseRecipe['person']>;
  auth: fc.Arbitrary<CaseRecipe['auth']>;
  body: fc.Arbitrary<BodyRecipe>;
  accept?: fc.Arbitrary<string | undefined>;
  language?: fc.Arbitrary<HeaderValue[]>;
  noise?: fc.Arbitrary<HeaderValue[]>;
  alsoWrong?: string;
}): fc.Arbitrary<CaseRecipe> {
  return fc
    .record({
      method: parts.method,
      person: parts.person instanceof fc.Arbitrary ? parts.person : fc.constant(parts.person),
      auth: parts.auth,
      body: parts.body,
      accept: parts.accept ?? fc.constant(undefined),
      language: parts.language ?? fc.constant<HeaderValue[]>([]),
      noise: parts.noise ?? fc.constant<HeaderValue[]>([]),
    })
    .map((r) => {
      const out: CaseRecipe = { family: parts.family, method: r.method, person: r.person, auth: r.auth, body: r.body, language: r.language, noise: r.noise };
      if (r.accept !== undefined) out.accept = r.accept;
      if (parts.alsoWrong) out.alsoWrong = parts.alsoWrong;
      return out;
    });
}

/** The arbitraries of one run that several families draw from. */

export function familyGenerators(ctx: GenerationContext): FamilyGenerators {
  const { model, credentials } = ctx;
  const method = fc.constantFrom(...(model.save.map((o) => o.method) as ('PUT' | 'POST')[]));
  const me = { class: 'configured' as const, segment: String(ctx.personId) };
  const valid = validAuth(credentials);
  const as = fc.constantFrom<'raw' | 'multipart'>('raw', 'multipart');
  const rawMostly = fc.oneof({ arbitrary: fc.constant<'raw'>('raw'), weight: 2 }, { arbitrary: fc.constant<'multipart'>('multipart'), weight: 1 });
  const image = (maxDimension?: number) => validImageRecipe(maxDimension ? { maxDimension } : {});
  const validBody = (maxDimension?: number): fc.Arbitrary<BodyRecipe> => fc.record({ kind: fc.constant('image' as const), image: image(maxDimension), as });
  const smallBody = validBody(64);
  const invalidBody: fc.Arbitrary<BodyRecipe> = fc.oneof(
    { arbitrary: fc.record({ kind: fc.constant('invalid' as const), invalid: invalidBodyRecipe({ kinds: DETECTABLE_INVALID_KINDS }), as: rawMostly }), weight: 4 },
    {
      arbitrary: fc.record({ kind: fc.constant('multipart-without-image' as const), field: fc.constantFrom('file', 'photo', 'picture', 'upload', 'img'), image: image(32) }),
      weight: 1,
    },
  );
  const undeclared: fc.Arbitrary<BodyRecipe> = fc
    .tuple(image(64), fc.constantFrom(...undeclaredContentTypes(model)))
    .map(([img, t]) => ({ kind: 'image', image: img, as: 'raw', declaredType: t, typeClass: 'undeclared' }));
  return { ctx, method, me, valid, image, validBody, smallBody, invalidBody, undeclared };
}

/** No trait: the checks judge the case by its recipe alone. */
export const NO_TRAITS: FamilyTraits = { authOrderUnderTest: false, credentialsUnderTest: false, comparedWithLanguageBaseline: false, readsBackAfterUpload: false };

/** The default behaviour: the case is the only request. */
export const JUST_THE_CASE: Pick<FamilyBehaviour, 'requestsPerCase' | 'execute'> = {
  requestsPerCase: () => 1,
  execute: async (io) => ({ o: await io.send(), extra: {} }),
};
