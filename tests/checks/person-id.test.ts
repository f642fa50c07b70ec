/**
 * Unit tests of the person-id checks (src/checks/person-id.ts): person-id-not-positive-rejected
 * and person-id-unknown-rejected (400; a 404 breaks them but the catalogue's `warnOn` makes it
 * a warning, pinned here through the engine's `judgeCase`), and person-id-not-int32-rejected
 * (400 or 404).
 */
import { describe, expect, it } from 'vitest';
import { personIdNotInt32Rejected, personIdNotPositiveRejected, personIdUnknownRejected } from '../../src/checks/person-id.js';
import type { Check } from '../../src/checks/types.js';
import type { PersonRecipe } from '../../src/generate/case.js';
import { judgeCase } from '../../src/run/judge.js';
import { loadRules } from '../../src/spec/rules.js';
import type { Observation } from '../../src/transport/observation.js';
import { applies, bad, caseOf, expectOutcome, imageBody, jsonAnswer, judge, noAnswer, obs, ok200, person, specContext, valid } from './fixtures.js';

type Kind = 'not-positive' | 'unknown' | 'not-int32' | 'none';

const people: [string, () => PersonRecipe, Kind][] = [
  ['0', () => person.notPositive(0), 'not-positive'],
  ['-1', () => person.notPositive(-1), 'not-positive'],
  ['-2^31', () => person.notPositive(-(2 ** 31)), 'not-positive'],
  ['2^31 - 1 (no person)', () => person.unknown(2 ** 31 - 1), 'unknown'],
  ['2047483647 (no person)', () => person.unknown(2047483647), 'unknown'],
  ['2^31', () => person.notInt32('2147483648'), 'not-int32'],
  ['-2^31 - 1', () => person.notInt32('-2147483649'), 'not-int32'],
  ['letters', () => person.notInt32('abc'), 'not-int32'],
  ['a decimal', () => person.notInt32('12.5'), 'not-int32'],
  ['an exponent', () => person.notInt32('1e3'), 'not-int32'],
  ['+-1', () => person.notInt32('+-1'), 'not-int32'],
  ['the configured person', () => person.configured(), 'none'],
];

function appliesTable(check: Check, to: Kind): void {
  it.each(people)('applies to person id %s (PUT, valid credentials): as its class says', async (_, p, kind) => {
    expect(await applies(check, await caseOf('person-id', { person: p() }))).toBe(kind === to);
  });
  it.each(people)('applies to person id %s (POST, valid bearer): as its class says', async (_, p, kind) => {
    expect(await applies(check, await caseOf('person-id', { person: p(), method: 'POST', auth: valid('bearer') }))).toBe(kind === to);
  });
  it.each(people)('does not apply to person id %s with bad credentials (auth-first)', async (_, p) => {
    const c = await caseOf('auth-first', { person: p(), auth: bad.none(), body: imageBody(), alsoWrong: 'a person id that is not valid' });
    expect(await applies(check, c)).toBe(false);
  });
}

/** The engine's grading: the rule's level and its warnOn statuses. */
async function severity(ruleId: string, p: PersonRecipe, o: Observation): Promise<'fail' | 'warn' | 'pass'> {
  const rules = (await loadRules()).filter((r) => r.id === ruleId);
  expect(rules).toHaveLength(1);
  const { ctx } = await specContext();
  const j = judgeCase(rules, await caseOf('person-id', { person: p }), o, {}, ctx);
  expect(j.exercised).toEqual([ruleId]);
  return j.findings[0]?.severity ?? 'pass';
}

const error400 = jsonAnswer(400, { Error: true, ErrorMessage: 'Image bitmap is missing from body or person id is not valid.' });
const error404 = jsonAnswer(404, { Error: true, ErrorType: 'SoNotFoundException', ErrorMessage: 'No such person' });

describe('person-id-not-positive-rejected', () => {
  appliesTable(personIdNotPositiveRejected, 'not-positive');

  it('passes 400', async () => {
    expectOutcome(await judge(personIdNotPositiveRejected, await caseOf('person-id', { person: person.notPositive(-1) }), error400), true);
  });

  it.each<[string, Observation, RegExp]>([
    ['404', error404, /person id -1: expected 400, answered 404/],
    ['200', ok200('825'), /answered 200/],
    ['401', obs(401), /answered 401/],
    ['500', obs(500), /answered 500/],
    ['no answer', noAnswer(), /got no answer/],
  ])('fails %s', async (_, o, message) => {
    expectOutcome(await judge(personIdNotPositiveRejected, await caseOf('person-id', { person: person.notPositive(-1) }), o), message);
  });

  it('grades 404 as a warning and 200 or 500 as failures', async () => {
    expect(await severity('person-id-not-positive-rejected', person.notPositive(0), error400)).toBe('pass');
    expect(await severity('person-id-not-positive-rejected', person.notPositive(0), error404)).toBe('warn');
    expect(await severity('person-id-not-positive-rejected', person.notPositive(0), ok200('825'))).toBe('fail');
    expect(await severity('person-id-not-positive-rejected', person.notPositive(0), obs(500))).toBe('fail');
    expect(await severity('person-id-not-positive-rejected', person.notPositive(0), noAnswer())).toBe('fail');
  });
});

describe('person-id-unknown-rejected', () => {
  appliesTable(personIdUnknownRejected, 'unknown');

  it('passes 400', async () => {
    expectOutcome(await judge(personIdUnknownRejected, await caseOf('person-id', { person: person.unknown() }), error400), true);
  });

  it.each<[string, Observation, RegExp]>([
    ['404', error404, /person id 2147483647, no person: expected 400, answered 404/],
    ['200', ok200('825'), /answered 200/],
    ['403', obs(403), /answered 403/],
    ['500', obs(500), /answered 500/],
    ['no answer', noAnswer('timeout', 'late'), /got no answer \(timeout/],
  ])('fails %s', async (_, o, message) => {
    expectOutcome(await judge(personIdUnknownRejected, await caseOf('person-id', { person: person.unknown() }), o), message);
  });

  it('grades 404 as a warning and 200 or 500 as failures', async () => {
    expect(await severity('person-id-unknown-rejected', person.unknown(), error400)).toBe('pass');
    expect(await severity('person-id-unknown-rejected', person.unknown(), error404)).toBe('warn');
    expect(await severity('person-id-unknown-rejected', person.unknown(), ok200('825'))).toBe('fail');
    expect(await severity('person-id-unknown-rejected', person.unknown(), obs(500))).toBe('fail');
  });
});

describe('person-id-not-int32-rejected', () => {
  appliesTable(personIdNotInt32Rejected, 'not-int32');

  it('the path carries the segment percent-encoded', async () => {
    expect((await caseOf('person-id', { person: person.notInt32('+-1') })).path).toBe('/Person/%2B-1/Image');
    expect((await caseOf('person-id', { person: person.notInt32('2147483648') })).path).toBe('/Person/2147483648/Image');
  });

  it.each<[string, Observation]>([
    ['400', error400],
    ['404', error404],
    ['404 with an HTML body (error-body-shape judges it)', obs(404, '<html>Not Found</html>', { 'content-type': 'text/html' })],
  ])('passes %s', async (_, o) => {
    expectOutcome(await judge(personIdNotInt32Rejected, await caseOf('person-id', { person: person.notInt32('abc') }), o), true);
  });

  it.each<[string, Observation, RegExp]>([
    ['200', ok200('825'), /person id "abc", not an int32: expected 400 or 404, answered 200/],
    ['405', obs(405), /answered 405/],
    ['415', obs(415), /answered 415/],
    ['500', obs(500), /answered 500/],
    ['no answer', noAnswer(), /got no answer/],
  ])('fails %s', async (_, o, message) => {
    expectOutcome(await judge(personIdNotInt32Rejected, await caseOf('person-id', { person: person.notInt32('abc') }), o), message);
  });

  it.each<[string, number, boolean]>([
    ['%ZZ', 403, true],
    ['1%2', 403, true],
    ['%', 403, true],
    ['%E0%A4%A', 403, true],
    ['%41', 403, false],
    ['abc', 403, false],
    ['%ZZ', 400, true],
    ['%ZZ', 200, false],
  ])('a malformed percent-escape (%s) may also get 403, which a front (IIS request filtering, a WAF) answers: %d passes: %s', async (segment, status, passes) => {
    const verdict = await judge(personIdNotInt32Rejected, await caseOf('person-id', { person: person.notInt32(segment) }), status === 200 ? ok200('825') : obs(status));
    expectOutcome(verdict, passes ? true : /expected 400( or 403)? or 404|expected 400, 403 or 404/);
  });

  it('grades 404 as a pass: it is allowed, not a warning', async () => {
    expect(await severity('person-id-not-int32-rejected', person.notInt32('2147483648'), error404)).toBe('pass');
    expect(await severity('person-id-not-int32-rejected', person.notInt32('2147483648'), ok200('825'))).toBe('fail');
  });
});
