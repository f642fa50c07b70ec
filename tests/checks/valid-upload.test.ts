/**
 * Unit tests of the valid-upload checks (src/checks/valid-upload.ts): valid-raw-upload,
 * valid-multipart-upload and blob-id-positive, on hand-built cases and answers. The int32
 * bounds are pinned in JSON and XML: 2^31 - 1 and -2^31 pass, 2^31 and -2^31 - 1 fail.
 */
import { describe, expect, it } from 'vitest';
import { blobIdPositive, validMultipartUpload, validRawUpload } from '../../src/checks/valid-upload.js';
import type { Check } from '../../src/checks/types.js';
import type { CaseFamily, CaseRecipe } from '../../src/generate/case.js';
import type { Observation } from '../../src/transport/observation.js';
import { applies, bad, caseOf, expectOutcome, header, imageBody, invalidBody, jsonAnswer, judge, mismatchBody, noAnswer, obs, ok200, person, undeclaredBody, valid, xmlInt } from './fixtures.js';

const MAX = 2 ** 31 - 1;
const MIN = -(2 ** 31);

/** Answers that keep valid-raw-upload and valid-multipart-upload (a 200 with an int32 per its Content-Type). */
const int32Answers: [string, Observation][] = [
  ['JSON 825 (application/json; charset=utf-8)', ok200('825')],
  ['JSON 825 under text/json', ok200('825', 'text/json')],
  ['JSON 825 under application/json-patch+json', ok200('825', 'application/json-patch+json')],
  ['JSON 825 under application/merge-patch+json', ok200('825', 'application/merge-patch+json')],
  ['JSON 2^31 - 1', ok200(String(MAX))],
  ['JSON -2^31', ok200(String(MIN))],
  ['JSON 0 (an int32; positivity is blob-id-positive)', ok200('0')],
  ['JSON with whitespace around', ok200(' 825\r\n')],
  ['XML with the serialization namespace', ok200(xmlInt(825), 'application/xml; charset=utf-8')],
  ['XML without namespace under text/xml', ok200('<int>825</int>', 'text/xml')],
  ['XML 2^31 - 1', ok200(xmlInt(MAX), 'application/xml')],
  ['XML -2^31', ok200(xmlInt(MIN), 'application/xml')],
];

/** Answers that break them, with what the message must say. */
const notInt32Answers: [string, Observation, RegExp][] = [
  ['JSON 2^31', ok200(String(2 ** 31)), /2147483648.*not an int32/],
  ['JSON -2^31 - 1', ok200(String(MIN - 1)), /-2147483649.*not an int32/],
  ['JSON 2^53', ok200('9007199254740992'), /not an int32/],
  ['XML 2^31', ok200(xmlInt(2 ** 31), 'application/xml'), /2147483648.*not an int32/],
  ['XML -2^31 - 1', ok200(xmlInt(MIN - 1), 'text/xml'), /-2147483649.*not an int32/],
  ['JSON 8.25', ok200('8.25'), /not an int32/],
  ['a JSON string "825"', ok200('"825"'), /not an int32/],
  ['JSON null', ok200('null'), /not an int32/],
  ['JSON object', ok200('{"BlobId":825}'), /not an int32/],
  ['an empty 200', ok200(''), /not JSON/],
  ['text that is not JSON', ok200('OK'), /not JSON/],
  ['a 200 under text/html', ok200('825', 'text/html'), /Content-Type "text\/html".*does not declare/],
  ['a 200 with no Content-Type', obs(200, '825'), /Content-Type "\(none\)"/],
  ['XML under a JSON type', ok200(xmlInt(825)), /not JSON/],
  ['XML with a wrong root', ok200('<long>825</long>', 'application/xml'), /root element/],
  ['XML not an integer', ok200(xmlInt('abc'), 'application/xml'), /not an integer/],
  ['400', jsonAnswer(400, { Error: true, ErrorMessage: 'Image bitmap is missing' }), /expected 200, answered 400/],
  ['415', obs(415), /expected 200, answered 415/],
  ['201', obs(201, '825', { 'content-type': 'application/json' }), /expected 200, answered 201/],
  ['500', obs(500, 'boom'), /answered 500/],
  ['a dropped connection', noAnswer('reset'), /got no answer \(reset/],
  ['a timeout', noAnswer('timeout', 'no complete answer within 30000 ms'), /got no answer \(timeout/],
];

/** Cases a valid-upload check may or may not apply to. */
const cases: [string, CaseFamily, Partial<CaseRecipe>][] = [
  ['valid-upload raw, no Accept', 'valid-upload', {}],
  ['valid-upload raw, Accept application/xml', 'valid-upload', { accept: 'application/xml' }],
  ['valid-upload raw, POST, bearer', 'valid-upload', { method: 'POST', auth: valid('bearer') }],
  ['valid-upload multipart', 'valid-upload', { body: imageBody('multipart') }],
  ['valid-upload multipart, Accept text/json', 'valid-upload', { body: imageBody('multipart'), accept: 'text/json' }],
  ['round-trip raw', 'round-trip', {}],
  ['round-trip multipart', 'round-trip', { body: imageBody('multipart') }],
  ['accept raw, Accept text/xml', 'accept', { accept: 'text/xml' }],
  ['accept raw, Accept text/html (unsupported)', 'accept', { accept: 'text/html' }],
  ['auth raw, valid session', 'auth', { auth: valid('session') }],
  ['auth raw, valid basic with X-XSRF-TOKEN noise', 'auth', { noise: [header('X-XSRF-TOKEN', 'bm9pc2Vub2lzZQ==')] }],
  ['auth raw, bad credentials', 'auth', { auth: bad.wrongPassword() }],
  ['language-headers raw, valid values', 'language-headers', { language: [header('SO-Language', 'nb-no')] }],
  ['language-headers multipart, valid values', 'language-headers', { body: imageBody('multipart'), language: [header('SO-Culture', 'sv')] }],
  ['language-headers raw, malformed value', 'language-headers', { language: [header('SO-Culture', '@@', true)] }],
  ['invalid-body raw', 'invalid-body', { body: invalidBody('png-bad-crc') }],
  ['invalid-body multipart', 'invalid-body', { body: invalidBody('png-zero-width', 'multipart') }],
  ['content-type undeclared', 'content-type', { body: undeclaredBody('text/plain') }],
  ['content-type mismatch', 'content-type', { body: mismatchBody('image/gif') }],
  ['person-id not positive', 'person-id', { person: person.notPositive(-3) }],
  ['person-id unknown', 'person-id', { person: person.unknown() }],
  ['auth-first, bad credentials and a PNG', 'auth-first', { body: imageBody(), alsoWrong: 'an Accept the server cannot produce', accept: 'text/html' }],
];

const appliesTo: Record<string, string[]> = {
  'valid-raw-upload': [
    'valid-upload raw, no Accept',
    'valid-upload raw, Accept application/xml',
    'valid-upload raw, POST, bearer',
    'round-trip raw',
    'accept raw, Accept text/xml',
    'auth raw, valid session',
  ],
  'valid-multipart-upload': ['valid-upload multipart', 'valid-upload multipart, Accept text/json', 'round-trip multipart'],
  'blob-id-positive': [
    'valid-upload raw, no Accept',
    'valid-upload raw, Accept application/xml',
    'valid-upload raw, POST, bearer',
    'valid-upload multipart',
    'valid-upload multipart, Accept text/json',
    'round-trip raw',
    'round-trip multipart',
    'accept raw, Accept text/xml',
    'auth raw, valid session',
    'language-headers raw, valid values',
    'language-headers multipart, valid values',
  ],
};

function appliesTable(id: string, check: Check): void {
  it.each(cases)('applies to %s: as the table says', async (name, family, overrides) => {
    const c = await caseOf(family, overrides);
    expect(await applies(check, c)).toBe(appliesTo[id]!.includes(name));
  });
}

describe('valid-raw-upload', () => {
  appliesTable('valid-raw-upload', validRawUpload);

  it.each(int32Answers)('passes %s', async (_, o) => {
    expectOutcome(await judge(validRawUpload, await caseOf('valid-upload'), o), true);
  });

  it.each(notInt32Answers)('fails %s', async (_, o, message) => {
    expectOutcome(await judge(validRawUpload, await caseOf('valid-upload'), o), message);
  });
});

describe('valid-multipart-upload', () => {
  appliesTable('valid-multipart-upload', validMultipartUpload);

  it.each(int32Answers)('passes %s', async (_, o) => {
    expectOutcome(await judge(validMultipartUpload, await caseOf('valid-upload', { body: imageBody('multipart') }), o), true);
  });

  it.each(notInt32Answers)('fails %s', async (_, o, message) => {
    expectOutcome(await judge(validMultipartUpload, await caseOf('valid-upload', { body: imageBody('multipart') }), o), message);
  });
});

describe('blob-id-positive', () => {
  appliesTable('blob-id-positive', blobIdPositive);

  it.each<[string, Observation]>([
    ['JSON 1', ok200('1')],
    ['JSON 825', ok200('825')],
    ['JSON 2^31 - 1', ok200(String(MAX))],
    ['XML 1', ok200(xmlInt(1), 'application/xml')],
    // Not this rule's to judge: valid-raw-upload and response-schema fail these.
    ['a 400', jsonAnswer(400, { Error: true, Message: 'no' })],
    ['a dropped connection', noAnswer()],
    ['a 200 that is not JSON', ok200('zero')],
    ['a 200 with a JSON string "0"', ok200('"0"')],
    ['a 200 under an undeclared type', ok200('0', 'text/plain')],
  ])('passes %s', async (_, o) => {
    expectOutcome(await judge(blobIdPositive, await caseOf('valid-upload'), o), true);
  });

  it.each<[string, Observation, RegExp]>([
    ['JSON 0', ok200('0'), /blob id is 0, not positive/],
    ['JSON -1', ok200('-1'), /blob id is -1, not positive/],
    ['JSON -2^31', ok200(String(MIN)), /-2147483648, not positive/],
    ['XML 0', ok200(xmlInt(0), 'text/xml'), /blob id is 0, not positive/],
    ['XML -825 without namespace', ok200('<int>-825</int>', 'application/xml'), /-825, not positive/],
  ])('fails %s', async (_, o, message) => {
    expectOutcome(await judge(blobIdPositive, await caseOf('valid-upload'), o), message);
  });
});
