/**
 * Unit tests of the authentication checks (src/checks/auth.ts): auth-checked-first,
 * valid-credentials-accepted, bad-credentials-rejected and failed-auth-changes-nothing.
 */
import { describe, expect, it } from 'vitest';
import { authCheckedFirst, badCredentialsRejected, failedAuthChangesNothing, validCredentialsAccepted } from '../../src/checks/auth.js';
import type { CaseExtra, Check } from '../../src/checks/types.js';
import type { CaseFamily, CaseRecipe } from '../../src/generate/case.js';
import type { Observation } from '../../src/transport/observation.js';
import { applies, bad, caseOf, expectOutcome, header, imageBody, invalidBody, jsonAnswer, judge, noAnswer, obs, ok200, person, undeclaredBody, valid } from './fixtures.js';

const refused401 = jsonAnswer(401, { Error: true, ErrorType: 'SoUnauthorizedException', ErrorMessage: 'Not authenticated' });
const refused403 = jsonAnswer(403, { Error: true, Message: 'Forbidden' });

/** Cases and the auth checks that apply to each. */
const cases: [string, CaseFamily, Partial<CaseRecipe>, string[]][] = [
  ['auth, valid basic', 'auth', { auth: valid('basic') }, ['valid-credentials-accepted']],
  ['auth, valid ticket', 'auth', { auth: valid('soticket') }, ['valid-credentials-accepted']],
  ['auth, valid bearer, POST', 'auth', { auth: valid('bearer'), method: 'POST' }, ['valid-credentials-accepted']],
  ['auth, valid session', 'auth', { auth: valid('session') }, ['valid-credentials-accepted']],
  ['auth, valid basic with X-XSRF-TOKEN noise', 'auth', { noise: [header('X-XSRF-TOKEN', 'bm9pc2Vub2lzZQ==')] }, []],
  ['auth, no credentials', 'auth', { auth: bad.none() }, ['bad-credentials-rejected', 'failed-auth-changes-nothing']],
  ['auth, wrong password', 'auth', { auth: bad.wrongPassword() }, ['bad-credentials-rejected', 'failed-auth-changes-nothing']],
  ['auth, random ticket', 'auth', { auth: bad.randomTicket() }, ['bad-credentials-rejected', 'failed-auth-changes-nothing']],
  ['auth, unknown scheme', 'auth', { auth: bad.unknownScheme() }, ['bad-credentials-rejected', 'failed-auth-changes-nothing']],
  ['auth, session without X-XSRF-TOKEN', 'auth', { auth: bad.sessionWithoutXsrf() }, ['bad-credentials-rejected', 'failed-auth-changes-nothing']],
  ['auth-first, an invalid body', 'auth-first', { auth: bad.none(), body: invalidBody('empty') }, ['auth-checked-first', 'bad-credentials-rejected']],
  [
    'auth-first, a person id that is not valid',
    'auth-first',
    { auth: bad.randomTicket(), body: imageBody(), person: person.notPositive(-1), alsoWrong: 'a person id that is not valid' },
    ['auth-checked-first', 'bad-credentials-rejected'],
  ],
  [
    'auth-first, an undeclared Content-Type',
    'auth-first',
    { auth: bad.wrongPassword(), body: undeclaredBody('text/plain'), alsoWrong: 'an undeclared Content-Type' },
    ['auth-checked-first', 'bad-credentials-rejected'],
  ],
  [
    'auth-first, an Accept the server cannot produce',
    'auth-first',
    { auth: bad.unknownScheme(), body: imageBody(), accept: 'text/html', alsoWrong: 'an Accept the server cannot produce' },
    ['auth-checked-first', 'bad-credentials-rejected'],
  ],
  ['valid-upload', 'valid-upload', {}, []],
  ['invalid-body', 'invalid-body', {}, []],
  ['person-id', 'person-id', {}, []],
];

function appliesTable(id: string, check: Check): void {
  it.each(cases)('applies to %s: as the table says', async (_, family, overrides, rules) => {
    expect(await applies(check, await caseOf(family, overrides))).toBe(rules.includes(id));
  });
}

describe('auth-checked-first', () => {
  appliesTable('auth-checked-first', authCheckedFirst);

  it.each<[string, Observation]>([
    ['401', refused401],
    ['403', refused403],
    ['401 with an empty body', obs(401, '', { 'www-authenticate': 'Basic realm="SuperOffice", SOTicket' })],
  ])('passes %s', async (_, o) => {
    expectOutcome(await judge(authCheckedFirst, await caseOf('auth-first'), o), true);
  });

  it.each<[string, Observation, RegExp]>([
    ['400 (the body judged before the credentials)', jsonAnswer(400, { Error: true, Message: 'Image bitmap is missing' }), /bad credentials \(no credentials\) with an invalid body: expected 401 or 403, answered 400/],
    ['404', obs(404), /answered 404/],
    ['406', obs(406), /answered 406/],
    ['415', obs(415), /answered 415/],
    ['200', ok200('825'), /answered 200/],
    ['500', obs(500), /answered 500/],
    ['no answer', noAnswer(), /got no answer/],
  ])('fails %s', async (_, o, message) => {
    expectOutcome(await judge(authCheckedFirst, await caseOf('auth-first'), o), message);
  });
});

describe('valid-credentials-accepted', () => {
  appliesTable('valid-credentials-accepted', validCredentialsAccepted);

  it.each<[string, Observation]>([
    ['a JSON 200', ok200('825')],
    ['any 200 (its body is response-schema\'s to judge)', ok200('not a number', 'text/plain')],
  ])('passes %s', async (_, o) => {
    expectOutcome(await judge(validCredentialsAccepted, await caseOf('auth', { auth: valid('bearer') }), o), true);
  });

  it.each<[string, Observation, RegExp]>([
    ['401', refused401, /a valid upload with bearer credentials: expected 200, answered 401/],
    ['403', refused403, /answered 403/],
    ['400', jsonAnswer(400, { Error: true, Message: 'x' }), /answered 400/],
    ['204', obs(204), /answered 204/],
    ['500', obs(500), /answered 500/],
    ['no answer', noAnswer(), /got no answer/],
  ])('fails %s', async (_, o, message) => {
    expectOutcome(await judge(validCredentialsAccepted, await caseOf('auth', { auth: valid('bearer') }), o), message);
  });
});

describe('bad-credentials-rejected', () => {
  appliesTable('bad-credentials-rejected', badCredentialsRejected);

  it.each<[string, Observation]>([
    ['401', refused401],
    ['403', refused403],
    ['401 with an HTML body (error-body-shape judges it)', obs(401, '<html>401</html>', { 'content-type': 'text/html' })],
  ])('passes %s', async (_, o) => {
    expectOutcome(await judge(badCredentialsRejected, await caseOf('auth', { auth: bad.randomTicket() }), o), true);
  });

  it.each<[string, Observation, RegExp]>([
    ['200', ok200('825'), /bad credentials \(random ticket\): expected 401 or 403, answered 200/],
    ['204', obs(204), /answered 204/],
    ['302 to a login page', obs(302, '', { location: 'https://host/SuperOffice/login' }), /answered 302/],
    ['400', jsonAnswer(400, { Error: true, Message: 'x' }), /answered 400/],
    ['404', obs(404), /answered 404/],
    ['500', obs(500), /answered 500/],
    ['no answer', noAnswer('reset'), /got no answer/],
  ])('fails %s', async (_, o, message) => {
    expectOutcome(await judge(badCredentialsRejected, await caseOf('auth', { auth: bad.randomTicket() }), o), message);
  });
});

describe('failed-auth-changes-nothing', () => {
  appliesTable('failed-auth-changes-nothing', failedAuthChangesNothing);

  it.each<[string, Observation, CaseExtra]>([
    ['the same BlobId before and after', refused401, { blobIdBefore: 825, blobIdAfter: 825 }],
    ['BlobId 0 (no image) before and after', refused401, { blobIdBefore: 0, blobIdAfter: 0 }],
    ['ImageInfo unread before (nothing to compare)', refused401, {}],
    // bad-credentials-rejected judges the 200; this rule judges the image only.
    ['a wrong 200 that left the image as it was', ok200('825'), { blobIdBefore: 825, blobIdAfter: 825 }],
  ])('passes %s', async (_, o, extra) => {
    expectOutcome(await judge(failedAuthChangesNothing, await caseOf('auth', { auth: bad.none() }), o, extra), true);
  });

  it.each<[string, Observation, CaseExtra, RegExp]>([
    ['a new BlobId after a 200', ok200('826'), { blobIdBefore: 825, blobIdAfter: 826 }, /image changed after a refused request: ImageInfo BlobId 825 before, 826 after/],
    ['a new BlobId after a 401', refused401, { blobIdBefore: 825, blobIdAfter: 826 }, /825 before, 826 after/],
    ['an image where there was none', refused403, { blobIdBefore: 0, blobIdAfter: 826 }, /0 before, 826 after/],
    ['ImageInfo unreadable after', refused401, { blobIdBefore: 825 }, /825 before, unreadable after/],
  ])('fails %s', async (_, o, extra, message) => {
    expectOutcome(await judge(failedAuthChangesNothing, await caseOf('auth', { auth: bad.none() }), o, extra), message);
  });
});
