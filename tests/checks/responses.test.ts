/**
 * Unit tests of the rules every answer keeps (src/checks/responses.ts): no-server-error,
 * response-schema and error-body-shape. The three accept-* checks of the same module are
 * tested in tests/checks/accept-checks.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { errorBodyShape, noServerError, responseSchema } from '../../src/checks/responses.js';
import type { Check } from '../../src/checks/types.js';
import type { CaseFamily, CaseRecipe } from '../../src/generate/case.js';
import type { Observation } from '../../src/transport/observation.js';
import {
  applies,
  bad,
  caseOf,
  expectOutcome,
  imageBody,
  invalidBody,
  jsonAnswer,
  judge,
  mismatchBody,
  multipartWithoutImage,
  noAnswer,
  obs,
  ok200,
  person,
  undeclaredBody,
  xmlInt,
} from './fixtures.js';

/** One case of every family (and of every shape within some): the three rules apply to all of them. */
const everyCase: [string, CaseFamily, Partial<CaseRecipe>][] = [
  ['valid-upload raw', 'valid-upload', {}],
  ['valid-upload multipart, Accept application/xml', 'valid-upload', { body: imageBody('multipart'), accept: 'application/xml' }],
  ['round-trip', 'round-trip', {}],
  ['language-headers, malformed', 'language-headers', { language: [{ name: 'SO-Culture', value: '@@', malformed: true }] }],
  ['accept, an unsupported Accept', 'accept', { accept: 'text/html' }],
  ['auth, bad credentials', 'auth', { auth: bad.none() }],
  ['auth-first', 'auth-first', {}],
  ['invalid-body, damaged', 'invalid-body', { body: invalidBody('png-bad-crc') }],
  ['invalid-body, multipart without image', 'invalid-body', { body: multipartWithoutImage() }],
  ['content-type, undeclared', 'content-type', { body: undeclaredBody('text/plain') }],
  ['content-type, mismatch', 'content-type', { body: mismatchBody() }],
  ['person-id, not int32', 'person-id', { person: person.notInt32('abc') }],
];

function appliesToEveryCase(check: Check): void {
  it.each(everyCase)('applies to %s', async (_, family, overrides) => {
    expect(await applies(check, await caseOf(family, overrides))).toBe(true);
  });
}

describe('no-server-error', () => {
  appliesToEveryCase(noServerError);

  it.each<[string, Observation]>([
    ['200', ok200('825')],
    ['204', obs(204)],
    ['302', obs(302)],
    ['400', jsonAnswer(400, { Error: true, Message: 'x' })],
    ['401', obs(401)],
    ['404', obs(404)],
    ['413', obs(413)],
    ['499', obs(499)],
  ])('passes %s', async (_, o) => {
    expectOutcome(await judge(noServerError, await caseOf('invalid-body'), o), true);
  });

  it.each<[string, Observation, RegExp]>([
    ['500', obs(500, 'Internal Server Error'), /^answered 500$/],
    ['501', obs(501), /answered 501/],
    ['502', obs(502), /answered 502/],
    ['503', obs(503), /answered 503/],
    ['599', obs(599), /answered 599/],
    ['a dropped connection', noAnswer('reset', 'other side closed'), /got no answer \(reset: other side closed\)/],
    ['a timeout', noAnswer('timeout', 'no complete answer within 30000 ms'), /got no answer \(timeout: no complete answer/],
    ['garbage instead of HTTP', noAnswer('protocol', 'Expected HTTP/'), /got no answer \(protocol/],
  ])('fails %s', async (_, o, message) => {
    expectOutcome(await judge(noServerError, await caseOf('invalid-body'), o), message);
  });
});

describe('response-schema', () => {
  appliesToEveryCase(responseSchema);

  it.each<[string, Observation]>([
    ['JSON 825 under application/json; charset=utf-8', ok200('825')],
    ['JSON 825 under text/json', ok200('825', 'text/json')],
    ['JSON 825 under application/json-patch+json', ok200('825', 'application/json-patch+json')],
    ['JSON 825 under application/merge-patch+json', ok200('825', 'application/merge-patch+json')],
    ['JSON 825 under APPLICATION/JSON', ok200('825', 'APPLICATION/JSON')],
    ['JSON 0 and negatives (blob-id-positive judges them)', ok200('-5')],
    ['JSON 2^31 - 1', ok200('2147483647')],
    ['JSON -2^31', ok200('-2147483648')],
    ['JSON with a byte-order mark', ok200('\uFEFF825')],
    ['XML with the serialization namespace under application/xml', ok200(xmlInt(825), 'application/xml; charset=utf-8')],
    ['XML without namespace under text/xml', ok200('<int>825</int>', 'text/xml')],
    ['XML with a declaration', ok200(`<?xml version="1.0" encoding="utf-8"?>${xmlInt(825)}`, 'application/xml')],
    // Only 200s are judged.
    ['a 400 with an HTML body', obs(400, '<html/>', { 'content-type': 'text/html' })],
    ['a 201 that is not JSON', obs(201, 'created', { 'content-type': 'application/json' })],
    ['a 500', obs(500, 'boom')],
    ['no answer', noAnswer()],
  ])('passes %s', async (_, o) => {
    expectOutcome(await judge(responseSchema, await caseOf('accept'), o), true);
  });

  it.each<[string, Observation, RegExp]>([
    ['a 200 under text/html', ok200('825', 'text/html'), /Content-Type "text\/html", which the spec does not declare/],
    ['a 200 under text/plain', ok200('825', 'text/plain'), /"text\/plain"/],
    ['a 200 with no Content-Type', obs(200, '825'), /Content-Type "\(none\)"/],
    ['a 200 under application/problem+json', ok200('825', 'application/problem+json'), /does not declare/],
    ['JSON 2^31', ok200('2147483648'), /application\/json body 2147483648 does not match the schema/],
    ['JSON -2^31 - 1', ok200('-2147483649'), /-2147483649 does not match the schema/],
    ['JSON 8.25', ok200('8.25'), /8.25 does not match the schema/],
    ['a JSON string', ok200('"825"'), /"825" does not match the schema/],
    ['JSON null', ok200('null'), /null does not match the schema/],
    ['a JSON object', ok200('{"BlobId":825}'), /does not match the schema/],
    ['an empty JSON 200', ok200(''), /not JSON/],
    ['text under a JSON type', ok200('825 OK', 'text/json'), /not JSON/],
    ['XML 2^31', ok200(xmlInt(2 ** 31), 'application/xml'), /application\/xml body 2147483648 does not match the schema/],
    ['XML with a wrong namespace', ok200('<int xmlns="urn:x">825</int>', 'text/xml'), /namespace is urn:x/],
    ['XML with a wrong element', ok200('<BlobId>825</BlobId>', 'application/xml'), /root element is <BlobId>/],
    ['JSON under an XML type', ok200('825', 'application/xml'), /single root element|not well-formed/],
  ])('fails %s', async (_, o, message) => {
    expectOutcome(await judge(responseSchema, await caseOf('accept'), o), message);
  });
});

describe('error-body-shape', () => {
  appliesToEveryCase(errorBodyShape);

  it.each<[string, Observation]>([
    ['the whole error object', jsonAnswer(400, { Error: true, ErrorType: 'SoNotFoundException', ErrorMessage: 'No person 5', ErrorSource: 'PersonAgent' })],
    ['Message instead of ErrorMessage', jsonAnswer(401, { Error: true, ErrorType: 'SoUnauthorizedException', Message: 'Not authenticated', ErrorSource: '' })],
    ['only Error and ErrorMessage', jsonAnswer(404, { Error: true, ErrorMessage: 'gone' })],
    ['further members', jsonAnswer(415, { Error: true, Message: 'no', StackTrace: null, InnerException: null })],
    ['a 4xx with no body', obs(401, '', { 'www-authenticate': 'Basic realm="x"' })],
    // Only 4xx bodies are judged.
    ['a 200', ok200('825')],
    ['a 500 with HTML', obs(500, '<html>YSOD</html>', { 'content-type': 'text/html' })],
    ['a 302 with HTML', obs(302, '<html>moved</html>', { 'content-type': 'text/html' })],
    ['no answer', noAnswer()],
  ])('passes %s', async (_, o) => {
    expectOutcome(await judge(errorBodyShape, await caseOf('invalid-body'), o), true);
  });

  it.each<[string, Observation, RegExp]>([
    ['an HTML 400', obs(400, '<html><body>Bad Request</body></html>', { 'content-type': 'text/html' }), /the 400 body is not JSON: "<html><body>Bad Request/],
    ['a text 401', obs(401, 'Unauthorized', { 'content-type': 'text/plain' }), /the 401 body is not JSON/],
    ['Error false', jsonAnswer(400, { Error: false, ErrorMessage: 'x' }), /the 400 body is not the error object: \/Error/],
    ['Error as a string', jsonAnswer(400, { Error: 'true', ErrorMessage: 'x' }), /not the error object: \/Error/],
    ['no Error member', jsonAnswer(404, { ErrorMessage: 'x' }), /not the error object/],
    ['neither ErrorMessage nor Message', jsonAnswer(400, { Error: true, ErrorType: 'X' }), /not the error object/],
    ['ErrorMessage not a string', jsonAnswer(400, { Error: true, ErrorMessage: 5 }), /not the error object: \/ErrorMessage/],
    ['a problem+json object', obs(415, JSON.stringify({ type: 'about:blank', title: 'Unsupported Media Type', status: 415 }), { 'content-type': 'application/problem+json' }), /not the error object/],
    ['a JSON array', jsonAnswer(400, [{ Error: true, Message: 'x' }]), /not the error object/],
    ['a JSON string', jsonAnswer(400, 'Image bitmap is missing'), /not the error object/],
    ['a whitespace-only body', obs(400, ' \r\n'), /not JSON/],
  ])('fails %s', async (_, o, message) => {
    expectOutcome(await judge(errorBodyShape, await caseOf('invalid-body'), o), message);
  });

  // The 200 path (decodeBody) drops a UTF-8 byte-order mark before JSON.parse; so must this one
  // (ASP.NET writes one with some encoders), or it reads the same bytes differently.
  it('passes the error object after a UTF-8 byte-order mark', async () => {
    const o = obs(400, `\uFEFF${JSON.stringify({ Error: true, ErrorMessage: 'x' })}`, { 'content-type': 'application/json; charset=utf-8' });
    expectOutcome(await judge(errorBodyShape, await caseOf('invalid-body'), o), true);
  });
});
