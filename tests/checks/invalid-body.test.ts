/**
 * Unit tests of the invalid-body checks (src/checks/invalid-body.ts): each class of invalid
 * body (empty, no signature, incomplete header, zero dimension, damaged; multipart without the
 * image part or with an invalid image in it) is judged by its own rule, and only when the rest
 * of the request is valid (credentials, configured person).
 */
import { describe, expect, it } from 'vitest';
import {
  damagedImageNo5xx,
  damagedImageRejected,
  emptyBodyRejected,
  incompleteHeaderRejected,
  multipartBadImageRejected,
  multipartWithoutImageRejected,
  noSignatureRejected,
  zeroDimensionRejected,
} from '../../src/checks/invalid-body.js';
import type { Check } from '../../src/checks/types.js';
import type { CaseFamily, CaseRecipe } from '../../src/generate/case.js';
import type { Observation } from '../../src/transport/observation.js';
import { applies, bad, caseOf, expectOutcome, imageBody, invalidBody, jsonAnswer, judge, multipartWithoutImage, noAnswer, obs, ok200, person, undeclaredBody } from './fixtures.js';

const error400 = jsonAnswer(400, { Error: true, ErrorType: 'ArgumentException', ErrorMessage: 'Image bitmap is missing from body or person id is not valid.', ErrorSource: 'SoDataBase' });

/** Cases and the invalid-body rules that judge each. */
const cases: [string, CaseFamily, Partial<CaseRecipe>, string[]][] = [
  ['raw empty', 'invalid-body', { body: invalidBody('empty') }, ['empty-body-rejected']],
  ['raw text', 'invalid-body', { body: invalidBody('text') }, ['no-signature-rejected']],
  ['raw PDF', 'invalid-body', { body: invalidBody('pdf') }, ['no-signature-rejected']],
  ['raw WebP, POST', 'invalid-body', { body: invalidBody('webp'), method: 'POST' }, ['no-signature-rejected']],
  ['raw PNG incomplete header', 'invalid-body', { body: invalidBody('png-incomplete-header') }, ['incomplete-header-rejected']],
  ['raw PNG zero width', 'invalid-body', { body: invalidBody('png-zero-width') }, ['zero-dimension-rejected']],
  ['raw PNG zero both', 'invalid-body', { body: invalidBody('png-zero-both') }, ['zero-dimension-rejected']],
  ['raw PNG bad CRC', 'invalid-body', { body: invalidBody('png-bad-crc') }, ['damaged-image-no-5xx', 'damaged-image-rejected']],
  ['raw PNG truncated', 'invalid-body', { body: invalidBody('png-truncated') }, ['damaged-image-no-5xx', 'damaged-image-rejected']],
  ['multipart PNG no IEND', 'invalid-body', { body: invalidBody('png-no-iend', 'multipart') }, ['damaged-image-no-5xx', 'damaged-image-rejected']],
  ['multipart empty image', 'invalid-body', { body: invalidBody('empty', 'multipart') }, ['multipart-bad-image-rejected']],
  ['multipart ZIP', 'invalid-body', { body: invalidBody('zip', 'multipart') }, ['multipart-bad-image-rejected']],
  ['multipart PNG incomplete header', 'invalid-body', { body: invalidBody('png-incomplete-header', 'multipart') }, ['multipart-bad-image-rejected']],
  ['multipart PNG zero height', 'invalid-body', { body: invalidBody('png-zero-height', 'multipart') }, ['multipart-bad-image-rejected']],
  ['multipart without the image part (field file)', 'invalid-body', { body: multipartWithoutImage('file') }, ['multipart-without-image-rejected']],
  ['multipart without the image part (field photo)', 'invalid-body', { body: multipartWithoutImage('photo') }, ['multipart-without-image-rejected']],
  // Something else is wrong too: other rules judge these.
  ['auth-first: bad credentials and an empty body', 'auth-first', { auth: bad.none(), body: invalidBody('empty') }, []],
  ['auth-first: bad credentials and a damaged PNG', 'auth-first', { auth: bad.wrongPassword(), body: invalidBody('png-bad-crc') }, []],
  ['auth-first: bad credentials and multipart without image', 'auth-first', { auth: bad.randomTicket(), body: multipartWithoutImage() }, []],
  ['an invalid body to a person that is not valid', 'invalid-body', { body: invalidBody('pdf'), person: person.notPositive(0) }, []],
  // Valid bodies.
  ['a valid raw PNG', 'valid-upload', { body: imageBody('raw') }, []],
  ['a valid multipart PNG', 'valid-upload', { body: imageBody('multipart') }, []],
  ['a PNG under an undeclared type', 'content-type', { body: undeclaredBody('application/octet-stream') }, []],
];

function appliesTable(id: string, check: Check): void {
  it.each(cases)('applies to %s: as the table says', async (_, family, overrides, rules) => {
    expect(await applies(check, await caseOf(family, overrides))).toBe(rules.includes(id));
  });
}

/** Answers that are not 400, each refused by a rule that wants 400. */
const not400: [string, Observation, RegExp][] = [
  ['200', ok200('825'), /expected 400, answered 200/],
  ['404', obs(404), /expected 400, answered 404/],
  ['413', obs(413), /answered 413/],
  ['415', obs(415), /answered 415/],
  ['422', obs(422), /answered 422/],
  ['500', obs(500, 'System.ArgumentException: Parameter is not valid.'), /answered 500/],
  ['no answer', noAnswer('reset'), /got no answer \(reset/],
];

/** The tests of a rule that wants exactly 400 for its class of body (inside the rule's describe block). */
function wants400(id: string, check: Check, family: CaseFamily, overrides: Partial<CaseRecipe>, what: RegExp): void {
  appliesTable(id, check);

  it.each<[string, Observation]>([
    ['400 with the error object', error400],
    ['400 with no body', obs(400)],
    ['400 with an HTML body (error-body-shape judges it)', obs(400, '<html>Bad Request</html>', { 'content-type': 'text/html' })],
  ])('passes %s', async (_, o) => {
    expectOutcome(await judge(check, await caseOf(family, overrides), o), true);
  });

  it.each(not400)('fails %s', async (_, o, message) => {
    const outcome = await judge(check, await caseOf(family, overrides), o);
    expectOutcome(outcome, message);
    expectOutcome(outcome, what);
  });
}

describe('empty-body-rejected', () => wants400('empty-body-rejected', emptyBodyRejected, 'invalid-body', { body: invalidBody('empty') }, /an empty body/));
describe('no-signature-rejected', () => wants400('no-signature-rejected', noSignatureRejected, 'invalid-body', { body: invalidBody('html') }, /a body with no image signature/));
describe('incomplete-header-rejected', () => wants400('incomplete-header-rejected', incompleteHeaderRejected, 'invalid-body', { body: invalidBody('png-incomplete-header') }, /a signature without a whole header/));
describe('zero-dimension-rejected', () => wants400('zero-dimension-rejected', zeroDimensionRejected, 'invalid-body', { body: invalidBody('png-zero-height') }, /an image of zero width or height/));
describe('damaged-image-rejected', () => wants400('damaged-image-rejected', damagedImageRejected, 'invalid-body', { body: invalidBody('png-corrupt-data') }, /a damaged image/));
describe('multipart-without-image-rejected', () => wants400('multipart-without-image-rejected', multipartWithoutImageRejected, 'invalid-body', { body: multipartWithoutImage('upload') }, /multipart without an image part/));
describe('multipart-bad-image-rejected', () => wants400('multipart-bad-image-rejected', multipartBadImageRejected, 'invalid-body', { body: invalidBody('bmp', 'multipart') }, /multipart with an invalid image/));

describe('damaged-image-no-5xx', () => {
  appliesTable('damaged-image-no-5xx', damagedImageNo5xx);

  it.each<[string, Observation]>([
    ['400', error400],
    ['200 (a decoder that tolerates the damage)', ok200('825')],
    ['413', obs(413)],
    ['415', obs(415)],
    ['499', obs(499)],
  ])('passes %s', async (_, o) => {
    expectOutcome(await judge(damagedImageNo5xx, await caseOf('invalid-body', { body: invalidBody('png-bad-crc') }), o), true);
  });

  it.each<[string, Observation, RegExp]>([
    ['500', obs(500), /a damaged image answered 500/],
    ['502', obs(502), /answered 502/],
    ['503', obs(503), /answered 503/],
    ['a dropped connection', noAnswer('reset', 'socket hang up'), /a damaged image got no answer \(reset: socket hang up\)/],
    ['a timeout', noAnswer('timeout', 'no complete answer within 30000 ms'), /got no answer \(timeout/],
  ])('fails %s', async (_, o, message) => {
    expectOutcome(await judge(damagedImageNo5xx, await caseOf('invalid-body', { body: invalidBody('png-truncated', 'multipart') }), o), message);
  });
});
