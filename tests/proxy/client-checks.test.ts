/**
 * Each client rule's check (src/checks/client/) on hand-made request facts: a request that keeps
 * the rule passes, one that breaks it is a violation with a message saying what was wrong.
 * Describe blocks are named after the rule ids (client-catalogue.test.ts looks for them).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { clientChecks } from '../../src/checks/client/index.js';
import type { BodyFacts, ClientCheckContext, ClientExchange } from '../../src/checks/client/types.js';
import { loadSpec } from '../../src/spec/load.js';

let ctx: ClientCheckContext;
beforeAll(async () => {
  ctx = { model: (await loadSpec()).model, online: false, basePath: '/SuperOffice/api/v1' };
});

const route = { path: '/SuperOffice/api/v1/Person/1/Image', resource: 'image' as const, segment: '1', underBase: true, methodDeclared: true, save: true };

function exchange(over: Partial<ClientExchange> = {}): ClientExchange {
  return { method: 'PUT', route, credential: { kind: 'basic', word: 'Basic', appToken: false }, pacing: { rate: 10, tokens: 10, quickRetriesAfter401: 0 }, ...over };
}

function body(over: Partial<BodyFacts>): BodyFacts {
  return { size: 100, overLimit: false, contentType: 'image/png', declared: { kind: 'raw', mediaType: 'image/png' }, sniffed: 'png', ...over };
}

function verdict(id: string, x: ClientExchange, c: ClientCheckContext = ctx): string | 'pass' | 'not applied' {
  const check = clientChecks[id]!;
  if (!check.applies(x, c)) return 'not applied';
  const o = check.judge(x, c);
  return o.ok ? 'pass' : o.message;
}

describe('client-content-type-matches-image', () => {
  const id = 'client-content-type-matches-image';
  it('passes a PNG declared as image/png and a multipart body', () => {
    expect(verdict(id, exchange({ body: body({}) }))).toBe('pass');
    expect(verdict(id, exchange({ body: body({ contentType: 'multipart/form-data; boundary=x', declared: { kind: 'multipart' } }) }))).toBe('pass');
  });
  it('fails a PNG declared as image/jpeg, and a type the operation does not declare', () => {
    expect(verdict(id, exchange({ body: body({ declared: { kind: 'raw', mediaType: 'image/jpeg' } }) }))).toBe('the body is a PNG image declared as image/jpeg');
    expect(verdict(id, exchange({ body: body({ contentType: 'application/octet-stream', declared: { kind: 'undeclared', reason: 'The Content-Type application/octet-stream is not supported.' } }) }))).toBe(
      'the save declares Content-Type "application/octet-stream": The Content-Type application/octet-stream is not supported.',
    );
  });
  it('is not applied to requests that are no save', () => {
    expect(verdict(id, exchange())).toBe('not applied');
  });
});

describe('client-image-well-formed', () => {
  const id = 'client-image-well-formed';
  it('passes an image that validates', () => {
    expect(verdict(id, exchange({ body: body({ validation: { ok: true, format: 'png', mediaType: 'image/png', width: 8, height: 8, pages: 1 } }) }))).toBe('pass');
  });
  it('fails one that does not, with the validator\'s reason', () => {
    expect(verdict(id, exchange({ body: body({ validation: { ok: false, reason: 'PNG: missing IEND' } }) }))).toBe('the image is not well-formed: PNG: missing IEND');
  });
  it('is not applied to a body over the inspection limit or without an image found', () => {
    expect(verdict(id, exchange({ body: body({ overLimit: true }) }))).toBe('not applied');
    expect(verdict(id, exchange({ body: body({ declared: { kind: 'multipart' }, missingField: 'no part' }) }))).toBe('not applied');
  });
});

describe('client-multipart-image-field', () => {
  const id = 'client-multipart-image-field';
  it('passes a multipart body with the image part and fails one without', () => {
    expect(verdict(id, exchange({ body: body({ declared: { kind: 'multipart' } }) }))).toBe('pass');
    expect(verdict(id, exchange({ body: body({ declared: { kind: 'multipart' }, missingField: "no multipart field 'image'." }) }))).toBe(`the multipart body has no part named "image": no multipart field 'image'.`);
  });
  it('is not applied to a raw body', () => {
    expect(verdict(id, exchange({ body: body({}) }))).toBe('not applied');
  });
});

describe('client-credentials-present', () => {
  const id = 'client-credentials-present';
  it('passes each documented scheme', () => {
    for (const kind of ['basic', 'ticket', 'bearer', 'session'] as const) expect(verdict(id, exchange({ credential: { kind, appToken: false } })), kind).toBe('pass');
  });
  it('fails no credentials, an unknown scheme, an empty one and a session without its XSRF header', () => {
    expect(verdict(id, exchange({ credential: { kind: 'none', appToken: false } }))).toBe('no credentials: no Authorization header and no session cookie');
    expect(verdict(id, exchange({ credential: { kind: 'unknown-scheme', word: 'Token', appToken: false } }))).toBe('the Authorization scheme "Token" is none the spec documents (basic, SOTicket, bearer)');
    expect(verdict(id, exchange({ credential: { kind: 'empty', word: 'Bearer', appToken: false } }))).toBe('Authorization "Bearer" with no credential after the scheme word');
    expect(verdict(id, exchange({ credential: { kind: 'session-without-xsrf', appToken: false } }))).toBe('the session cookie without its X-XSRF-TOKEN header');
  });
  it('is not applied outside the Person image resource', () => {
    expect(verdict(id, exchange({ route: { path: '/SuperOffice/api/v1/Contact/1', underBase: true, methodDeclared: false, save: false }, credential: { kind: 'none', appToken: false } }))).toBe('not applied');
  });
});

describe('client-app-token-with-ticket', () => {
  const id = 'client-app-token-with-ticket';
  const ticket = (appToken: boolean) => exchange({ credential: { kind: 'ticket', word: 'SOTicket', appToken } });
  it('on Online: passes a ticket with SO-AppToken, fails one without', () => {
    const online = { ...ctx, online: true };
    expect(verdict(id, ticket(true), online)).toBe('pass');
    expect(verdict(id, ticket(false), online)).toBe('a ticket without SO-AppToken against SuperOffice Online');
  });
  it('is not applied onsite, nor to other schemes', () => {
    expect(verdict(id, ticket(false))).toBe('not applied');
    expect(verdict(id, exchange(), { ...ctx, online: true })).toBe('not applied');
  });
});

describe('client-rate-limit', () => {
  const id = 'client-rate-limit';
  it('passes a request that finds a token in the bucket, fails one that finds it empty', () => {
    expect(verdict(id, exchange({ pacing: { rate: 10, tokens: 1, quickRetriesAfter401: 0 } }))).toBe('pass');
    expect(verdict(id, exchange({ pacing: { rate: 10, tokens: 0.4, quickRetriesAfter401: 0 } }))).toBe('more than 10 requests started within one second (the limit is 10 a second)');
  });
});

describe('client-retry-after-honoured', () => {
  const id = 'client-retry-after-honoured';
  const after = (startedAfterMs: number) => exchange({ pacing: { rate: 10, tokens: 5, quickRetriesAfter401: 0, throttled: { status: 429, retryAfterMs: 2000, startedAfterMs } } });
  it('passes a request that waited (100 ms of leeway), fails one that did not', () => {
    expect(verdict(id, after(2000))).toBe('pass');
    expect(verdict(id, after(1900))).toBe('pass');
    expect(verdict(id, after(1899))).toBe('the request started 1899 ms after a 429 whose Retry-After asked for 2 s');
  });
  it('is not applied when no throttling came before', () => {
    expect(verdict(id, exchange())).toBe('not applied');
  });
});

describe('client-no-401-loop', () => {
  const id = 'client-no-401-loop';
  const retry = (n: number) => exchange({ pacing: { rate: 10, tokens: 5, sinceLast401Ms: 20, quickRetriesAfter401: n } });
  it('passes up to 3 quick retries in a row, fails the 4th', () => {
    expect(verdict(id, retry(3))).toBe('pass');
    expect(verdict(id, retry(4))).toBe('a credential refused with 401 was sent again within 1 s of its refusal 4 times in a row (at most 3)');
  });
  it('is not applied to a credential whose last answer was no 401', () => {
    expect(verdict(id, exchange())).toBe('not applied');
  });
});

describe('client-path-well-formed', () => {
  const id = 'client-path-well-formed';
  const at = (over: Partial<ClientExchange['route']>, method = 'PUT') => exchange({ method, route: { ...route, ...over } });
  it('passes the image path with a declared method and a positive int32', () => {
    expect(verdict(id, at({}))).toBe('pass');
    expect(verdict(id, at({ segment: '2147483647' }))).toBe('pass');
  });
  it('fails a path outside the base, an undeclared method and each malformed person id', () => {
    expect(verdict(id, at({ path: '/SuperOffice/Person/1/Image', underBase: false }))).toBe('/SuperOffice/Person/1/Image is not under the target\'s base path /SuperOffice/api/v1');
    expect(verdict(id, at({ methodDeclared: false }, 'PATCH'))).toBe('the spec declares no PATCH on /SuperOffice/api/v1/Person/1/Image');
    for (const segment of ['0', '-1', '2147483648', 'abc', '1.5', '']) expect(verdict(id, at({ segment })), segment).toBe(`the person id ${JSON.stringify(segment)} is not a positive int32 in decimal digits`);
  });
});

describe('the client checks at their edges (what each applies to, and messages for a spec without a scheme or header)', () => {
  const withoutSession = () => ({ ...ctx, model: { ...ctx.model, security: { ...ctx.model.security, session: undefined } } }) as ClientCheckContext;
  const withoutBearer = () => ({ ...ctx, model: { ...ctx.model, security: { ...ctx.model.security, bearer: undefined } } }) as ClientCheckContext;
  const withoutAppTokenHeader = () => ({ ...ctx, online: true, model: { ...ctx.model, headers: ctx.model.headers.filter((h) => h.role !== 'app-token') } }) as ClientCheckContext;

  it('client-content-type-matches-image passes a raw body with no image signature (client-image-well-formed judges it)', () => {
    expect(verdict('client-content-type-matches-image', exchange({ body: body({ sniffed: undefined }) }))).toBe('pass');
  });

  it('client-image-well-formed is not applied to a request without a body, nor to one over the limit even when validated', () => {
    expect(verdict('client-image-well-formed', exchange())).toBe('not applied');
    expect(verdict('client-image-well-formed', exchange({ body: body({ overLimit: true, validation: { ok: false, reason: 'x' } }) }))).toBe('not applied');
  });

  it('client-multipart-image-field is not applied to a request without a body', () => {
    expect(verdict('client-multipart-image-field', exchange())).toBe('not applied');
  });

  it('client-credentials-present names the schemes the spec documents, and an empty scheme word as ""', () => {
    expect(verdict('client-credentials-present', exchange({ credential: { kind: 'unknown-scheme', word: 'Token', appToken: false } }), withoutBearer())).toBe('the Authorization scheme "Token" is none the spec documents (basic, SOTicket)');
    expect(verdict('client-credentials-present', exchange({ credential: { kind: 'empty', appToken: false } }))).toBe('Authorization "" with no credential after the scheme word');
    expect(verdict('client-credentials-present', exchange({ credential: { kind: 'unknown-scheme', appToken: false } }))).toBe('the Authorization scheme "" is none the spec documents (basic, SOTicket, bearer)');
    expect(verdict('client-credentials-present', exchange({ credential: { kind: 'session-without-xsrf', appToken: false } }), withoutSession())).toBe('the session cookie without its XSRF header');
  });

  it('client-app-token-with-ticket is not applied on Online outside the Person image resource; without an app-token header in the spec it says "the app token"', () => {
    const other = { path: '/SuperOffice/api/v1/Contact/1', underBase: true, methodDeclared: false, save: false };
    expect(verdict('client-app-token-with-ticket', exchange({ route: other, credential: { kind: 'ticket', word: 'SOTicket', appToken: false } }), { ...ctx, online: true })).toBe('not applied');
    expect(verdict('client-app-token-with-ticket', exchange({ credential: { kind: 'ticket', word: 'SOTicket', appToken: false } }), withoutAppTokenHeader())).toBe('a ticket without the app token against SuperOffice Online');
  });

  it('client-rate-limit passes a request that finds just one token (to within float error)', () => {
    expect(verdict('client-rate-limit', exchange({ pacing: { rate: 10, tokens: 1 - 1e-9, quickRetriesAfter401: 0 } }))).toBe('pass');
  });

  it('client-path-well-formed is not applied outside the Person image resource, and a missing id segment is ""', () => {
    expect(verdict('client-path-well-formed', exchange({ route: { path: '/SuperOffice/api/v1/Contact/1', underBase: true, methodDeclared: false, save: false } }))).toBe('not applied');
    const { segment: _none, ...noSegment } = route;
    expect(verdict('client-path-well-formed', exchange({ route: noSegment }))).toBe('the person id "" is not a positive int32 in decimal digits');
  });
});

