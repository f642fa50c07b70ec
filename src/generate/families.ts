/**
 * The case families: each a fast-check arbitrary of CaseRecipes that exercises a group of rules
 * (rules.yaml names them under `exercisedBy`). `serial` families change or read the configured
 * person's image and run one case at a time.
 */
import fc from 'fast-check';
import type { Credential } from '../config/credentials.js';
import type { SpecModel } from '../spec/model.js';
import { acceptHeader, unsupportedAccept } from './accept.js';
import { badAuth, validAuth } from './auth.js';
import type { BodyRecipe, CaseFamily, CaseRecipe, HeaderValue } from './case.js';
import { validImageRecipe } from './images/index.js';
import { INVALID_BODY_KINDS, invalidBodyRecipe } from './invalid-bodies/index.js';
import { languageHeaders } from './language.js';
import { configuredPerson, notInt32Person, notPositivePerson, unknownPerson } from './person-ids.js';

/**
 * Damage a strict decoder cannot see is no damage the rules can ask a server to find: JPEG
 * entropy-coded data carries no checksum, so scrambled scan bytes decode as another picture.
 */
const UNDETECTABLE_DAMAGE = new Set(['jpeg-corrupt-data']);
const detectableKinds = INVALID_BODY_KINDS.map((k) => k.kind).filter((k) => !UNDETECTABLE_DAMAGE.has(k));

export interface GenerationContext {
  model: SpecModel;
  credentials: readonly Credential[];
  personId: number;
  /** Person ids known to exist (never generated as unknown). */
  knownPersons?: readonly number[];
}

export interface Family {
  name: CaseFamily;
  serial: boolean;
  arbitrary: fc.Arbitrary<CaseRecipe>;
}

/** Content types the spec does not declare for the request body (filtered against the spec). */
function undeclaredContentTypes(model: SpecModel): string[] {
  const declared = new Set(model.save[0]?.requestMediaTypes.map((m) => m.type));
  return ['application/octet-stream', 'text/plain', 'application/json', 'image/webp', 'image/bmp', 'application/x-www-form-urlencoded', ''].filter((t) => !declared.has(t));
}

function recipe(parts: {
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

export function families(ctx: GenerationContext): Family[] {
  const { model, credentials } = ctx;
  const method = fc.constantFrom(...(model.save.map((o) => o.method) as ('PUT' | 'POST')[]));
  const me = { class: 'configured' as const, segment: String(ctx.personId) };
  const valid = validAuth(credentials);
  const as = fc.constantFrom<'raw' | 'multipart'>('raw', 'multipart');
  const rawMostly = fc.oneof({ arbitrary: fc.constant<'raw'>('raw'), weight: 2 }, { arbitrary: fc.constant<'multipart'>('multipart'), weight: 1 });
  const image = (maxDimension?: number) => validImageRecipe(maxDimension ? { maxDimension } : {});
  const validBody = (maxDimension?: number): fc.Arbitrary<BodyRecipe> => fc.record({ kind: fc.constant('image' as const), image: image(maxDimension), as });
  const smallBody = validBody(64);
  const imageTypes = model.imageMediaTypes;
  const invalidBody: fc.Arbitrary<BodyRecipe> = fc.oneof(
    { arbitrary: fc.record({ kind: fc.constant('invalid' as const), invalid: invalidBodyRecipe({ kinds: detectableKinds }), as: rawMostly }), weight: 4 },
    {
      arbitrary: fc.record({ kind: fc.constant('multipart-without-image' as const), field: fc.constantFrom('file', 'photo', 'picture', 'upload', 'img'), image: image(32) }),
      weight: 1,
    },
  );
  const undeclared: fc.Arbitrary<BodyRecipe> = fc
    .tuple(image(64), fc.constantFrom(...undeclaredContentTypes(model)))
    .map(([img, t]) => ({ kind: 'image', image: img, as: 'raw', declaredType: t, typeClass: 'undeclared' }));
  const mismatch: fc.Arbitrary<BodyRecipe> = fc
    .tuple(image(64), fc.nat())
    .map(([img, n]) => {
      const others = imageTypes.filter((t) => !t.endsWith(`/${img.format}`) && !(img.format === 'jpeg' && t.endsWith('/jpg')));
      return { kind: 'image', image: img, as: 'raw', declaredType: others[n % others.length] ?? 'image/png', typeClass: 'mismatch' };
    });
  const plainAccept = acceptHeader(model, { wildcards: false, unsupported: false });
  const session = model.security.session;
  const noise: fc.Arbitrary<HeaderValue[]> = session
    ? fc.oneof(
        { arbitrary: fc.constant<HeaderValue[]>([]), weight: 3 },
        fc.base64String({ minLength: 8, maxLength: 24 }).map((v): HeaderValue[] => [{ name: session.headerName, value: v, malformed: false }]),
      )
    : fc.constant<HeaderValue[]>([]);
  const authFirstWrong: [string, fc.Arbitrary<Partial<CaseRecipe>>][] = [
    ['an invalid body', invalidBody.map((body) => ({ body }))],
    ['a person id that is not valid', fc.oneof(notPositivePerson(model), notInt32Person(model)).map((person) => ({ person }))],
    ['an undeclared Content-Type', undeclared.map((body) => ({ body }))],
    ['an Accept the server cannot produce', unsupportedAccept(model).map((accept) => ({ accept }))],
  ];

  return [
    { name: 'valid-upload', serial: false, arbitrary: recipe({ family: 'valid-upload', method, person: me, auth: valid, body: validBody(), accept: plainAccept }) },
    { name: 'round-trip', serial: true, arbitrary: recipe({ family: 'round-trip', method, person: me, auth: valid, body: validBody(256) }) },
    {
      name: 'language-headers',
      serial: false,
      arbitrary: recipe({ family: 'language-headers', method, person: me, auth: valid, body: smallBody, language: languageHeaders(model) }),
    },
    { name: 'accept', serial: false, arbitrary: recipe({ family: 'accept', method, person: me, auth: valid, body: smallBody, accept: acceptHeader(model) }) },
    {
      name: 'auth',
      serial: true,
      arbitrary: fc.oneof(
        { arbitrary: recipe({ family: 'auth', method, person: me, auth: valid, body: smallBody, noise }), weight: 2 },
        { arbitrary: recipe({ family: 'auth', method, person: me, auth: badAuth(model, credentials), body: smallBody }), weight: 3 },
      ),
    },
    {
      name: 'auth-first',
      serial: true,
      arbitrary: fc.oneof(
        ...authFirstWrong.map(([what, wrong]) =>
          fc.tuple(recipe({ family: 'auth-first', method, person: me, auth: badAuth(model, credentials), body: smallBody, alsoWrong: what }), wrong).map(([r, w]) => ({ ...r, ...w })),
        ),
      ),
    },
    { name: 'invalid-body', serial: false, arbitrary: recipe({ family: 'invalid-body', method, person: me, auth: valid, body: invalidBody }) },
    {
      name: 'content-type',
      serial: false,
      arbitrary: recipe({ family: 'content-type', method, person: me, auth: valid, body: fc.oneof(undeclared, mismatch) }),
    },
    {
      name: 'person-id',
      serial: false,
      arbitrary: recipe({
        family: 'person-id',
        method,
        person: fc.oneof(notPositivePerson(model), unknownPerson(model, [ctx.personId, ...(ctx.knownPersons ?? [])]), notInt32Person(model)),
        auth: valid,
        body: smallBody,
      }),
    },
  ];
}
