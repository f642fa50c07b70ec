/**
 * Builders for the checks' unit tests: a Case of a family with overrides (built through the
 * real `buildCase`, from recipes the generators could draw), an Observation with a status,
 * headers and body, and the check context of the real spec. Keeps the tables in
 * tests/checks/*.test.ts short.
 */
import { expect } from 'vitest';
import type { Credential } from '../../src/config/credentials.js';
import type { Check, CaseExtra, CheckContext, Outcome } from '../../src/checks/types.js';
import { checkContext } from '../../src/checks/validators.js';
import { buildCase, type BuildContext } from '../../src/generate/build.js';
import type { AuthRecipe, BodyRecipe, Case, CaseFamily, CaseRecipe, HeaderValue, PersonRecipe } from '../../src/generate/case.js';
import type { ImageRecipe } from '../../src/generate/images/types.js';
import { renderImage } from '../../src/generate/images/index.js';
import { invalidBodyKind } from '../../src/generate/invalid-bodies/index.js';
import { pngVariant, type PngOptions } from '../../src/generate/images/png.js';
import { loadSpec } from '../../src/spec/load.js';
import type { SpecModel } from '../../src/spec/model.js';
import type { Observation } from '../../src/transport/observation.js';

export const PERSON_ID = 7;

/** One credential per scheme, as a user configures them. */
export const credentials: Credential[] = [
  { scheme: 'basic', user: 'certify', password: 's3cret-pass' },
  { scheme: 'soticket', ticket: '7T:dGlja2V0LXNlY3JldA==' },
  { scheme: 'bearer', token: '8A:YmVhcmVyLXNlY3JldA==' },
  { scheme: 'session', cookie: 'SoSession=c2Vzc2lvbi1zZWNyZXQ; XSRF-TOKEN=eHNyZi1zZWNyZXQ', xsrfToken: 'eHNyZi1zZWNyZXQ' },
];

let loaded: Promise<{ model: SpecModel; ctx: CheckContext }> | undefined;

/** The spec's model and the check context built from it (as the engine builds it). */
export function specContext(): Promise<{ model: SpecModel; ctx: CheckContext }> {
  loaded ??= loadSpec().then(({ model }) => ({ model, ctx: checkContext(model) }));
  return loaded;
}

// ---- images and bodies ----------------------------------------------------------------------

/** A small PNG recipe (8-bit RGB), as `pngRecipe` draws them. */
export function pngRecipe(width = 4, height = 4, pixelSeed = 1): ImageRecipe {
  const options: PngOptions = { colour: 'rgb', bitDepth: 8, interlaced: false, paletteAlpha: false };
  return { format: 'png', variant: pngVariant(options), width, height, pixelSeed, options: { ...options } };
}

/** The bytes of a small PNG (for GET Image answers). */
export async function pngBytes(width = 4, height = 4): Promise<Buffer> {
  return Buffer.from((await renderImage(pngRecipe(width, height))).bytes);
}

/** A well-formed image, raw under its own type or as the multipart image part. */
export function imageBody(as: 'raw' | 'multipart' = 'raw'): BodyRecipe {
  return { kind: 'image', image: pngRecipe(), as };
}

/** A PNG under a type the spec does not declare ('' sends no Content-Type). */
export function undeclaredBody(type: string): BodyRecipe {
  return { kind: 'image', image: pngRecipe(), as: 'raw', declaredType: type, typeClass: 'undeclared' };
}

/** A PNG under another declared image type. */
export function mismatchBody(type = 'image/jpeg'): BodyRecipe {
  return { kind: 'image', image: pngRecipe(), as: 'raw', declaredType: type, typeClass: 'mismatch' };
}

/**
 * An invalid body of a kind the generator knows (`empty`, `pdf`, `png-incomplete-header`,
 * `png-zero-width`, `png-bad-crc`, ...). Bodies built on an image start from a small PNG, so
 * only the `png-*` image kinds are available here.
 */
export function invalidBody(kind: string, as: 'raw' | 'multipart' = 'raw'): BodyRecipe {
  const spec = invalidBodyKind(kind);
  if (!spec) throw new Error(`fixtures: unknown invalid-body kind ${kind}`);
  if (spec.format && spec.format !== 'png') throw new Error(`fixtures: only png-* image kinds, not ${kind}`);
  const invalid = spec.format ? { class: spec.class, kind, format: spec.format, seed: 11, base: pngRecipe(8, 8, 3) } : { class: spec.class, kind, seed: 11 };
  return { kind: 'invalid', invalid, as };
}

/** Multipart whose only part is under another field name. */
export function multipartWithoutImage(field = 'file'): BodyRecipe {
  return { kind: 'multipart-without-image', field, image: pngRecipe() };
}

// ---- credentials, people, headers -----------------------------------------------------------

export const valid = (scheme: Credential['scheme'] = 'basic'): AuthRecipe => ({ kind: 'valid', scheme });

/** Bad credentials as the generator's variants send them. */
export const bad = {
  none: (): AuthRecipe => ({ kind: 'bad', variant: 'no credentials', headers: {} }),
  wrongPassword: (): AuthRecipe => ({ kind: 'bad', variant: 'wrong password', headers: { authorization: `Basic ${Buffer.from('certify:wrong-abcd').toString('base64')}` } }),
  randomTicket: (): AuthRecipe => ({ kind: 'bad', variant: 'random ticket', headers: { authorization: 'SOTicket 7T:cmFuZG9tLXRpY2tldA==' } }),
  unknownScheme: (): AuthRecipe => ({ kind: 'bad', variant: 'unknown scheme', headers: { authorization: 'Digest abcdefgh' } }),
  sessionWithoutXsrf: (): AuthRecipe => ({ kind: 'bad', variant: 'session without X-XSRF-TOKEN', headers: { cookie: 'SoSession=c2Vzc2lvbi1zZWNyZXQ; XSRF-TOKEN=eHNyZi1zZWNyZXQ' } }),
};

export const person = {
  configured: (): PersonRecipe => ({ class: 'configured', segment: String(PERSON_ID) }),
  notPositive: (n = 0): PersonRecipe => ({ class: 'not-positive', segment: String(n) }),
  unknown: (n = 2 ** 31 - 1): PersonRecipe => ({ class: 'unknown', segment: String(n) }),
  notInt32: (segment = '2147483648'): PersonRecipe => ({ class: 'not-int32', segment }),
};

export const header = (name: string, value: string, malformed = false): HeaderValue => ({ name, value, malformed });

// ---- cases --------------------------------------------------------------------------------

/** What each family sends unless told otherwise (the generator's shape for that family). */
function defaults(family: CaseFamily): Omit<CaseRecipe, 'family'> {
  const base = { method: 'PUT' as const, person: person.configured(), auth: valid(), body: imageBody(), language: [], noise: [] };
  switch (family) {
    case 'valid-upload':
    case 'round-trip':
    case 'auth':
      return base;
    case 'accept':
      return { ...base, accept: 'application/json' };
    case 'language-headers':
      return { ...base, language: [header('Accept-Language', 'en')] };
    case 'auth-first':
      return { ...base, auth: bad.none(), body: invalidBody('pdf'), alsoWrong: 'an invalid body' };
    case 'invalid-body':
      return { ...base, body: invalidBody('pdf') };
    case 'content-type':
      return { ...base, body: undeclaredBody('application/octet-stream') };
    case 'person-id':
      return { ...base, person: person.notPositive() };
    case 'extreme-image':
      return {
        ...base,
        body: { kind: 'image', image: { format: 'png', variant: 'bomb-1bit-grey-30000x30000', width: 30000, height: 30000, pixelSeed: 0, options: { extreme: true, kind: 'png-zeros' } }, as: 'raw', typeClass: 'extreme' },
      };
  }
}

/** A recipe of `family` with `overrides`. */
export function recipeOf(family: CaseFamily, overrides: Partial<CaseRecipe> = {}): CaseRecipe {
  const r: CaseRecipe = { family, ...defaults(family), ...overrides };
  if (r.accept === undefined) delete r.accept;
  return r;
}

/** A Case of `family` with `overrides`, rendered by the real builder. */
export async function caseOf(family: CaseFamily, overrides: Partial<CaseRecipe> = {}): Promise<Case> {
  const { model } = await specContext();
  const ctx: BuildContext = { model, credentials };
  return buildCase(ctx, recipeOf(family, overrides));
}

// ---- observations -------------------------------------------------------------------------

/** An answer with a status, a body and headers (lower-case names, as the transport gives them). */
export function obs(status: number, body: string | Buffer = '', headers: Record<string, string> = {}): Observation {
  const b = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  return { status, headers: { ...headers, 'content-length': String(b.length) }, body: b, bodyTruncated: false, durationMs: 12 };
}

/** A 200 whose body is `text` under `type`. */
export const ok200 = (text: string, type = 'application/json; charset=utf-8') => obs(200, text, { 'content-type': type });

/** A JSON answer with `status`. */
export const jsonAnswer = (status: number, value: unknown) => obs(status, JSON.stringify(value), { 'content-type': 'application/json; charset=utf-8' });

/** No answer: a dropped connection, a timeout, ... */
export function noAnswer(code = 'reset', message = 'other side closed'): Observation {
  return { headers: {}, body: Buffer.alloc(0), bodyTruncated: false, error: { code, message }, durationMs: 30 };
}

export const MS_NS = 'http://schemas.microsoft.com/2003/10/Serialization/';
/** The DataContract serialization of an int. */
export const xmlInt = (n: string | number) => `<int xmlns="${MS_NS}">${n}</int>`;

// ---- judging ------------------------------------------------------------------------------

/** Judges one case's answer with a check, as the engine does (only where the check applies). */
export async function judge(check: Check, c: Case, o: Observation, extra: CaseExtra = {}): Promise<Outcome> {
  const { ctx } = await specContext();
  expect(check.applies(c, ctx), `the check must apply to: ${c.description}`).toBe(true);
  return check.judge({ c, o, extra, ctx });
}

export async function applies(check: Check, c: Case): Promise<boolean> {
  const { ctx } = await specContext();
  return check.applies(c, ctx);
}

/** Asserts an outcome: `true` passes; a RegExp fails with a message that matches it. */
export function expectOutcome(outcome: Outcome, want: true | RegExp): void {
  if (want === true) {
    expect(outcome, outcome.ok ? '' : outcome.message).toMatchObject({ ok: true });
  } else {
    expect(outcome.ok, 'expected a violation').toBe(false);
    if (!outcome.ok) expect(outcome.message).toMatch(want);
  }
}
