/**
 * Unit tests of the request Content-Type checks (src/checks/content-type.ts):
 * undeclared-content-type-rejected (400 or 415) and content-type-mismatch-observed (any 2xx or
 * 4xx, reported as an observation).
 */
import { describe, expect, it } from 'vitest';
import { contentTypeMismatchObserved, undeclaredContentTypeRejected } from '../../src/checks/content-type.js';
import type { Check } from '../../src/checks/types.js';
import type { CaseFamily, CaseRecipe } from '../../src/generate/case.js';
import type { Observation } from '../../src/transport/observation.js';
import { applies, bad, caseOf, expectOutcome, imageBody, invalidBody, jsonAnswer, judge, mismatchBody, noAnswer, obs, ok200, person, undeclaredBody } from './fixtures.js';

const cases: [string, CaseFamily, Partial<CaseRecipe>, 'undeclared' | 'mismatch' | 'none'][] = [
  ['PNG as application/octet-stream', 'content-type', { body: undeclaredBody('application/octet-stream') }, 'undeclared'],
  ['PNG as text/plain', 'content-type', { body: undeclaredBody('text/plain') }, 'undeclared'],
  ['PNG as image/webp, POST', 'content-type', { body: undeclaredBody('image/webp'), method: 'POST' }, 'undeclared'],
  ['PNG with no Content-Type', 'content-type', { body: undeclaredBody('') }, 'undeclared'],
  ['PNG as image/jpeg', 'content-type', { body: mismatchBody('image/jpeg') }, 'mismatch'],
  ['PNG as image/gif', 'content-type', { body: mismatchBody('image/gif') }, 'mismatch'],
  ['PNG as image/tiff', 'content-type', { body: mismatchBody('image/tiff') }, 'mismatch'],
  ['auth-first: bad credentials and an undeclared type', 'auth-first', { auth: bad.none(), body: undeclaredBody('text/plain'), alsoWrong: 'an undeclared Content-Type' }, 'none'],
  ['an undeclared type to a person that is not valid', 'content-type', { body: undeclaredBody('text/plain'), person: person.unknown() }, 'none'],
  ['a PNG under its own type', 'valid-upload', { body: imageBody('raw') }, 'none'],
  ['a multipart PNG', 'valid-upload', { body: imageBody('multipart') }, 'none'],
  ['an invalid body', 'invalid-body', { body: invalidBody('json') }, 'none'],
];

function appliesTable(check: Check, to: 'undeclared' | 'mismatch'): void {
  it.each(cases)('applies to %s: as its class says', async (_, family, overrides, kind) => {
    expect(await applies(check, await caseOf(family, overrides))).toBe(kind === to);
  });
}

describe('undeclared-content-type-rejected', () => {
  it('the built case sends what the recipe declares (no Content-Type for "")', async () => {
    const none = await caseOf('content-type', { body: undeclaredBody('') });
    expect(none.body).toMatchObject({ kind: 'raw' });
    expect(none.body.kind === 'raw' && none.body.contentType).toBeFalsy();
    const octet = await caseOf('content-type', { body: undeclaredBody('application/octet-stream') });
    expect(octet.body).toMatchObject({ kind: 'raw', contentType: 'application/octet-stream' });
  });

  appliesTable(undeclaredContentTypeRejected, 'undeclared');

  it.each<[string, Observation]>([
    ['400', jsonAnswer(400, { Error: true, Message: 'Image bitmap is missing from body' })],
    ['415', jsonAnswer(415, { Error: true, Message: 'Unsupported media type' })],
    ['415 with no body', obs(415)],
  ])('passes %s', async (_, o) => {
    expectOutcome(await judge(undeclaredContentTypeRejected, await caseOf('content-type', { body: undeclaredBody('text/plain') }), o), true);
  });

  it.each<[string, Observation, RegExp]>([
    ['200', ok200('825'), /an undeclared Content-Type: expected 400 or 415, answered 200/],
    ['204', obs(204), /answered 204/],
    ['404', obs(404), /answered 404/],
    ['406', obs(406), /answered 406/],
    ['500', obs(500), /answered 500/],
    ['no answer', noAnswer(), /got no answer/],
  ])('fails %s', async (_, o, message) => {
    expectOutcome(await judge(undeclaredContentTypeRejected, await caseOf('content-type', { body: undeclaredBody('text/plain') }), o), message);
  });
});

describe('content-type-mismatch-observed', () => {
  appliesTable(contentTypeMismatchObserved, 'mismatch');

  it.each<[string, Observation, string]>([
    ['200 (the server sniffs the bytes)', ok200('825'), '200'],
    ['201', obs(201), '201'],
    ['299', obs(299), '299'],
    ['400', jsonAnswer(400, { Error: true, Message: 'not a JPEG' }), '400'],
    ['415', obs(415), '415'],
    ['499', obs(499), '499'],
  ])('passes %s and observes the status', async (_, o, observed) => {
    const outcome = await judge(contentTypeMismatchObserved, await caseOf('content-type', { body: mismatchBody('image/jpeg') }), o);
    expect(outcome).toEqual({ ok: true, observe: observed });
  });

  it.each<[string, Observation, RegExp]>([
    ['199', obs(199), /image bytes under another image type: expected a 2xx or 4xx, answered 199/],
    ['302', obs(302), /answered 302/],
    ['500', obs(500), /answered 500/],
    ['503', obs(503), /answered 503/],
    ['no answer', noAnswer('reset'), /got no answer \(reset/],
  ])('fails %s', async (_, o, message) => {
    expectOutcome(await judge(contentTypeMismatchObserved, await caseOf('content-type', { body: mismatchBody('image/gif') }), o), message);
  });
});
