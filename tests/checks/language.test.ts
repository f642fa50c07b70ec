/**
 * Unit tests of the language-header checks (src/checks/language.ts): language-headers-valid,
 * language-headers-malformed-no-5xx and language-headers-malformed-same-status. Each case is
 * judged against its baseline (the same request without the headers, `extra.baselineStatus`).
 */
import { describe, expect, it } from 'vitest';
import { languageHeadersMalformedNo5xx, languageHeadersMalformedSameStatus, languageHeadersValid } from '../../src/checks/language.js';
import type { CaseExtra, Check } from '../../src/checks/types.js';
import type { CaseFamily, CaseRecipe, HeaderValue } from '../../src/generate/case.js';
import type { Observation } from '../../src/transport/observation.js';
import { applies, caseOf, expectOutcome, header, imageBody, jsonAnswer, judge, noAnswer, obs, ok200 } from './fixtures.js';

const validHeaders: HeaderValue[][] = [
  [header('Accept-Language', 'en')],
  [header('Accept-Language', 'nb-NO, en;q=0.8, *;q=0.1')],
  [header('SO-Language', '*'), header('SO-Culture', 'sv')],
  [header('SO-TimeZone', 'UTC, includeTZOffset')],
];
const malformedHeaders: HeaderValue[][] = [
  [header('Accept-Language', ';;;', true)],
  [header('SO-TimeZone', 'Mars/Olympus', true)],
  // One malformed header among valid ones makes the case malformed.
  [header('SO-Language', 'nb-no'), header('SO-Culture', '@@', true)],
];

const cases: [string, CaseFamily, Partial<CaseRecipe>, 'valid' | 'malformed' | 'none'][] = [
  ...validHeaders.map((language): [string, CaseFamily, Partial<CaseRecipe>, 'valid'] => [`valid ${language.map((h) => `${h.name}: ${h.value}`).join('; ')}`, 'language-headers', { language }, 'valid']),
  ...malformedHeaders.map((language): [string, CaseFamily, Partial<CaseRecipe>, 'malformed'] => [`malformed ${language.map((h) => `${h.name}: ${h.value}`).join('; ')}`, 'language-headers', { language }, 'malformed']),
  ['valid, multipart, POST', 'language-headers', { language: validHeaders[0], body: imageBody('multipart'), method: 'POST' }, 'valid'],
  ['malformed, multipart', 'language-headers', { language: malformedHeaders[0], body: imageBody('multipart') }, 'malformed'],
  ['a valid upload with no language headers', 'valid-upload', {}, 'none'],
  ['an accept case', 'accept', {}, 'none'],
  ['a round trip', 'round-trip', {}, 'none'],
];

function appliesTable(check: Check, to: 'valid' | 'malformed'): void {
  it.each(cases)('applies to %s: as its kind says', async (_, family, overrides, kind) => {
    expect(await applies(check, await caseOf(family, overrides))).toBe(kind === to);
  });
}

const b200: CaseExtra = { baselineStatus: 200 };

describe('language-headers-valid', () => {
  appliesTable(languageHeadersValid, 'valid');

  it.each<[string, Observation, CaseExtra]>([
    ['200 like the baseline', ok200('825'), b200],
    ['200 with another blob id', ok200('826'), b200],
    ['an XML 200 like the baseline', ok200('<int>825</int>', 'application/xml'), b200],
    ['400 when the baseline was 400 too', jsonAnswer(400, { Error: true, Message: 'x' }), { baselineStatus: 400 }],
  ])('passes %s', async (_, o, extra) => {
    expectOutcome(await judge(languageHeadersValid, await caseOf('language-headers'), o, extra), true);
  });

  it.each<[string, Observation, CaseExtra, RegExp]>([
    ['400 where the baseline got 200', jsonAnswer(400, { Error: true, Message: 'bad culture' }), b200, /without them 200, with them answered 400/],
    ['406 where the baseline got 200', obs(406), b200, /with them answered 406/],
    ['500 where the baseline got 200', obs(500), b200, /answered 500/],
    ['no answer where the baseline got 200', noAnswer('reset'), b200, /got no answer \(reset/],
    ['200 where the baseline got 400', ok200('825'), { baselineStatus: 400 }, /without them 400, with them answered 200/],
    ['200 where the baseline got no answer', ok200('825'), {}, /without them no answer, with them answered 200/],
  ])('fails %s', async (_, o, extra, message) => {
    expectOutcome(await judge(languageHeadersValid, await caseOf('language-headers'), o, extra), message);
  });
});

const malformedCase = () => caseOf('language-headers', { language: malformedHeaders[0] });

describe('language-headers-malformed-no-5xx', () => {
  appliesTable(languageHeadersMalformedNo5xx, 'malformed');

  it.each<[string, Observation, CaseExtra]>([
    ['200', ok200('825'), b200],
    ['400 (the SHOULD rule judges the change)', jsonAnswer(400, { Error: true, Message: 'bad' }), b200],
    ['406', obs(406), b200],
    ['499', obs(499), {}],
  ])('passes %s', async (_, o, extra) => {
    expectOutcome(await judge(languageHeadersMalformedNo5xx, await malformedCase(), o, extra), true);
  });

  it.each<[string, Observation, RegExp]>([
    ['500', obs(500, 'System.Globalization.CultureNotFoundException'), /malformed language headers: answered 500/],
    ['503', obs(503), /answered 503/],
    ['a dropped connection', noAnswer('reset'), /got no answer \(reset/],
    ['a timeout', noAnswer('timeout', 'late'), /got no answer \(timeout/],
  ])('fails %s', async (_, o, message) => {
    expectOutcome(await judge(languageHeadersMalformedNo5xx, await malformedCase(), o, b200), message);
  });
});

describe('language-headers-malformed-same-status', () => {
  appliesTable(languageHeadersMalformedSameStatus, 'malformed');

  it.each<[string, Observation, CaseExtra]>([
    ['200 like the baseline', ok200('825'), b200],
    ['400 when the baseline was 400 too', jsonAnswer(400, { Error: true, Message: 'x' }), { baselineStatus: 400 }],
  ])('passes %s', async (_, o, extra) => {
    expectOutcome(await judge(languageHeadersMalformedSameStatus, await malformedCase(), o, extra), true);
  });

  it.each<[string, Observation, CaseExtra, RegExp]>([
    ['400 where the baseline got 200', jsonAnswer(400, { Error: true, Message: 'bad culture' }), b200, /malformed language headers changed the answer: without them 200, with them answered 400/],
    ['500 where the baseline got 200', obs(500), b200, /with them answered 500/],
    ['no answer', noAnswer(), b200, /got no answer/],
    ['200 where the baseline got no answer', ok200('825'), {}, /without them no answer/],
  ])('fails %s', async (_, o, extra, message) => {
    expectOutcome(await judge(languageHeadersMalformedSameStatus, await malformedCase(), o, extra), message);
  });
});
