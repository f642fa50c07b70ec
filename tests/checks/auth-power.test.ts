/**
 * Credentials as real clients send them: the scheme word in any case (valid-credentials-accepted
 * judges it; the builder and the engine's credential overlay send the recipe's word) and an
 * SO-AppToken of no registered app beside valid credentials (app-token-no-5xx: 200, 401 or 403).
 * The generated app tokens are noise, never shown: the description and coverage name their shape,
 * the records redact the header whatever its value. Fixed seeds, printed in the test names.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { appTokenNo5xx, validCredentialsAccepted } from '../../src/checks/auth.js';
import type { CredentialScheme } from '../../src/config/credentials.js';
import { buildCase } from '../../src/generate/build.js';
import { APP_TOKEN_SHAPES, appTokenNoise, appTokenShapeOf, schemeWordVariants, validAuthWords } from '../../src/generate/auth.js';
import type { AuthRecipe, Case, CaseFamily, CaseRecipe } from '../../src/generate/case.js';
import { authClasses } from '../../src/generate/families/classes.js';
import { CredentialKeeper } from '../../src/run/credential-keeper.js';
import { executeCase } from '../../src/run/execute.js';
import { curlLine } from '../../src/run/counterexample.js';
import type { TargetSession, WireRequest } from '../../src/transport/target-session.js';
import { Redactor } from '../../src/transport/redact.js';
import { applies, bad, caseOf, credentials, expectOutcome, header, jsonAnswer, judge, noAnswer, obs, ok200, recipeOf, specContext, valid } from './fixtures.js';

const SEED = 20261127;
const CONFIGURED_APP_TOKEN = 'c0nf1gured0app0token0abcdef012345';
const word = (scheme: CredentialScheme, schemeWord: string): AuthRecipe => ({ kind: 'valid', scheme, schemeWord });
const appToken = (value: string) => header('SO-AppToken', value);
const refused401 = jsonAnswer(401, { Error: true, ErrorType: 'SoUnauthorizedException', ErrorMessage: 'Unknown application' });

/** Every app-token value the generator draws for `SEED` (200 of them). */
async function generatedAppTokens(): Promise<string[]> {
  const { model } = await specContext();
  const noise = appTokenNoise(model);
  if (!noise) throw new Error('the spec has no app-token header');
  return fc.sample(noise, { seed: SEED, numRuns: 200 }).map((n) => n[0]!.value);
}

describe('app-token-no-5xx', () => {
  const rows: [string, CaseFamily, Partial<CaseRecipe>, boolean][] = [
    ['auth, valid basic with a random SO-AppToken', 'auth', { noise: [appToken('0123456789abcdef0123')] }, true],
    ['auth, valid ticket with an empty SO-AppToken', 'auth', { auth: valid('soticket'), noise: [appToken('')] }, true],
    ['auth, valid bearer with an SO-AppToken of another format', 'auth', { auth: valid('bearer'), noise: [appToken('{0f8fad5b-d9cb-469f-a165-70867728950e}')] }, true],
    ['auth, valid basic with no noise', 'auth', {}, false],
    ['auth, valid basic with X-XSRF-TOKEN noise', 'auth', { noise: [header('X-XSRF-TOKEN', 'bm9pc2Vub2lzZQ==')] }, false],
    ['auth, bad credentials', 'auth', { auth: bad.randomTicket() }, false],
    ['valid-upload with an SO-AppToken (credentials not under test)', 'valid-upload', { noise: [appToken('0123456789abcdef')] }, false],
  ];

  it.each(rows)('applies to %s: %s', async (_, family, overrides, want) => {
    expect(await applies(appTokenNo5xx, await caseOf(family, overrides))).toBe(want);
  });

  it('valid-credentials-accepted does not judge a case with an SO-AppToken beside the credentials', async () => {
    expect(await applies(validCredentialsAccepted, await caseOf('auth', { noise: [appToken('0123456789abcdef')] }))).toBe(false);
  });

  it.each([
    ['200: the token ignored (Onsite)', ok200('825'), true],
    ['401: the app refused (Online)', refused401, true],
    ['403: the app refused', jsonAnswer(403, { Error: true, Message: 'Forbidden' }), true],
    ['500', jsonAnswer(500, { Error: true, Message: 'Object reference not set' }), /SO-AppToken of no registered app \(random\).*expected 200 or 401 or 403, answered 500/],
    ['400', jsonAnswer(400, { Error: true, Message: 'Bad app token' }), /answered 400/],
    ['a dropped connection', noAnswer(), /got no answer/],
  ] as const)('%s', async (_, o, want) => {
    const c = await caseOf('auth', { auth: valid('soticket'), noise: [appToken('0123456789abcdef0123')] });
    expectOutcome(await judge(appTokenNo5xx, c, o), want);
  });

  it('the message names the shape, never the value', async () => {
    const value = `no such app ${'7e57ab1e'}`;
    const outcome = await judge(appTokenNo5xx, await caseOf('auth', { noise: [appToken(value)] }), obs(502));
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) {
      expect(outcome.message).toContain('(other format)');
      expect(outcome.message).not.toContain(value);
    }
  });
});

describe('valid-credentials-accepted: scheme words in any case', () => {
  it('the spec gives each Authorization scheme its words in every case real clients send; a session has none', async () => {
    const { model } = await specContext();
    expect(schemeWordVariants(model, 'soticket')).toEqual(['SOTicket', 'SOTICKET', 'soticket']);
    expect(schemeWordVariants(model, 'basic')).toEqual(['Basic', 'basic', 'BASIC']);
    expect(schemeWordVariants(model, 'bearer')).toEqual(['Bearer', 'bearer', 'BEARER']);
    expect(schemeWordVariants(model, 'session')).toEqual([]);
  });

  it.each([
    ['soticket', 'SOTICKET', /^SOTICKET 7T:/],
    ['soticket', 'soticket', /^soticket 7T:/],
    ['basic', 'BASIC', /^BASIC [A-Za-z0-9+/=]+$/],
    ['bearer', 'bearer', /^bearer 8A:/],
  ] as const)('%s as %s: sent with that word, judged as valid, described and covered with it', async (scheme, w, sent) => {
    const c = await caseOf('auth', { auth: word(scheme, w) });
    expect(c.authHeaders.authorization).toMatch(sent);
    expect(c.description).toContain(`auth: ${scheme} as ${w}`);
    expect(c.coverage.auth).toBe(`${scheme} as ${w}`);
    expectOutcome(await judge(validCredentialsAccepted, c, ok200('825')), true);
    expectOutcome(await judge(validCredentialsAccepted, c, refused401), new RegExp(`${scheme} credentials \\(scheme word ${w}\\): expected 200, answered 401`));
  });

  it(`the auth family draws every word of every configured scheme (seed ${SEED})`, async () => {
    const { model } = await specContext();
    const drawn = new Set(fc.sample(validAuthWords(model, credentials), { seed: SEED, numRuns: 300 }).map((a) => (a.kind === 'valid' ? `${a.scheme} ${a.schemeWord ?? '-'}` : '')));
    expect([...drawn].sort()).toEqual(['basic BASIC', 'basic Basic', 'basic basic', 'bearer BEARER', 'bearer Bearer', 'bearer bearer', 'session -', 'soticket SOTICKET', 'soticket SOTicket', 'soticket soticket']);
  });

  it('the value classes: each word of each scheme without noise, each app-token shape', async () => {
    const { model } = await specContext();
    const classes = authClasses(model, credentials);
    const names = classes.map((k) => k.name);
    for (const n of ['valid soticket as SOTICKET', 'valid soticket as soticket', 'valid basic as BASIC', 'valid bearer as bearer', 'valid session', ...APP_TOKEN_SHAPES.map((s) => `SO-AppToken: ${s}`)]) {
      expect(names).toContain(n);
    }
    const upper = classes.find((k) => k.name === 'valid soticket as SOTICKET')!;
    expect(upper.matches(recipeOf('auth', { auth: word('soticket', 'SOTICKET') }))).toBe(true);
    expect(upper.matches(recipeOf('auth', { auth: word('soticket', 'SOTICKET'), noise: [appToken('')] }))).toBe(false);
    expect(upper.matches(recipeOf('auth', { auth: word('soticket', 'SOTicket') }))).toBe(false);
    const empty = classes.find((k) => k.name === 'SO-AppToken: empty')!;
    expect(empty.matches(recipeOf('auth', { noise: [appToken('')] }))).toBe(true);
    expect(empty.matches(recipeOf('auth', { noise: [header('X-XSRF-TOKEN', '')] }))).toBe(false);
  });
});

/** A session that answers each request with `answer(request)` and keeps what was sent. */
function fakeSession(answer: (r: WireRequest) => ReturnType<typeof obs>) {
  const sent: WireRequest[] = [];
  const session = { send: async (r: WireRequest) => (sent.push(r), answer(r)) } as unknown as TargetSession;
  return { session, sent };
}

describe('the engine sends the recipe\'s word and app token', () => {
  async function execute(c: Case, answer: (r: WireRequest) => ReturnType<typeof obs>, appTokenConfigured = true) {
    const { model } = await specContext();
    const keeper = new CredentialKeeper(credentials, { model, redactor: new Redactor([], []), ...(appTokenConfigured ? { appToken: CONFIGURED_APP_TOKEN } : {}) });
    for (const cr of credentials) keeper.markAccepted(cr.scheme);
    const { session, sent } = fakeSession(answer);
    const executed = await executeCase({ session, model, credentials: keeper, personId: 7 }, c);
    return { executed, sent };
  }

  it('the scheme word of the recipe, the configured app token beside it; a refusal is judged after a plain read accepts the credential', async () => {
    const c = await caseOf('auth', { auth: word('soticket', 'SOTICKET') });
    const { executed, sent } = await execute(c, (r) => (r.headers.authorization?.startsWith('SOTICKET ') ? refused401 : obs(200, '{"BlobId":1}')));
    expect(sent.map((r) => [r.method, r.headers.authorization?.split(' ')[0], r.headers['so-apptoken']])).toEqual([
      ['PUT', 'SOTICKET', CONFIGURED_APP_TOKEN],
      ['GET', 'SOTicket', CONFIGURED_APP_TOKEN],
    ]);
    expect(executed.o.status).toBe(401);
  });

  it('an SO-AppToken sent as noise is the one sent, not the configured one', async () => {
    const c = await caseOf('auth', { auth: valid('soticket'), noise: [appToken('')] });
    const { sent } = await execute(c, () => obs(200));
    expect(sent).toHaveLength(1);
    expect(sent[0]!.headers['so-apptoken']).toBe('');
    expect(sent[0]!.headers.authorization).toMatch(/^SOTicket 7T:/);
  });
});

describe('app tokens as noise', () => {
  it(`the generator draws every shape, and the shape is read back from the value (seed ${SEED})`, async () => {
    const { model } = await specContext();
    const values = await generatedAppTokens();
    const shapes = new Set(values.map((v) => appTokenShapeOf(model, v)));
    expect([...shapes].sort()).toEqual([...APP_TOKEN_SHAPES].sort());
    for (const v of values.filter((x) => appTokenShapeOf(model, x) === 'long')) expect(v.length).toBeLessThanOrEqual(2048);
    expect(appTokenShapeOf(model, '1a2b3c4d5e6f')).toBe('random');
    expect(appTokenShapeOf(model, '')).toBe('empty');
    expect(appTokenShapeOf(model, 'a'.repeat(1024))).toBe('long');
    expect(appTokenShapeOf(model, 'eyJhbGciOiJIUzI1NiJ9.e30.sig')).toBe('other format');
  });

  it('the case keeps the noise apart from the configured app token; description and coverage name the shape only', async () => {
    const { model } = await specContext();
    const value = '0123456789abcdef0123456789abcdef';
    const c = await buildCase({ model, credentials, appToken: CONFIGURED_APP_TOKEN }, recipeOf('auth', { noise: [appToken(value)] }));
    expect(c.headers['so-apptoken']).toBe(value);
    expect(c.authHeaders['so-apptoken']).toBeUndefined();
    expect(c.description).toContain('SO-AppToken noise (random, 32 characters)');
    expect(c.description).not.toContain(value);
    expect(c.coverage['SO-AppToken']).toBe('random');
    const plain = await buildCase({ model, credentials, appToken: CONFIGURED_APP_TOKEN }, recipeOf('auth'));
    expect(plain.authHeaders['so-apptoken']).toBe(CONFIGURED_APP_TOKEN);
    expect(plain.coverage['SO-AppToken']).toBe('configured');
  });

  it(`no generated app token survives redaction of the headers or the curl line (seed ${SEED})`, async () => {
    const { model } = await specContext();
    const redactor = new Redactor([CONFIGURED_APP_TOKEN], Redactor.sensitiveHeaderNames(model));
    const values = (await generatedAppTokens()).filter((v) => v.length >= 4);
    expect(values.length).toBeGreaterThan(100);
    for (const value of values.slice(0, 60)) {
      const c = await buildCase({ model, credentials, appToken: CONFIGURED_APP_TOKEN }, recipeOf('auth', { noise: [appToken(value)] }));
      const headers = JSON.stringify(redactor.headers({ ...c.headers, ...c.authHeaders }));
      const curl = curlLine({ method: 'PUT', url: `http://target.invalid${c.path}`, headers: { ...c.headers, ...c.authHeaders }, body: c.body, file: 'bodies/x.png', bodySize: 1 }, redactor);
      for (const text of [headers, curl, redactor.text(c.description)]) {
        expect(text).not.toContain(value);
        expect(text).not.toContain(CONFIGURED_APP_TOKEN);
      }
    }
  });
});
