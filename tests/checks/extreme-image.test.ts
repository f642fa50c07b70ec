/**
 * Unit tests of the check on images at the extremes of their format (src/checks/extreme-image.ts):
 * a decompression bomb sent by a valid request may be stored (2xx) or refused (4xx), never a 5xx
 * or no answer; the valid-upload rules (which demand 200) do not judge it.
 */
import { describe, expect, it } from 'vitest';
import { decompressionBombNo5xx } from '../../src/checks/extreme-image.js';
import { checks } from '../../src/checks/index.js';
import type { BodyRecipe, CaseRecipe } from '../../src/generate/case.js';
import { GIF_SCREEN_MAX } from '../../src/generate/images/extreme.js';
import type { ImageRecipe } from '../../src/generate/images/types.js';
import type { Observation } from '../../src/transport/observation.js';
import { applies, bad, caseOf, expectOutcome, imageBody, jsonAnswer, judge, noAnswer, obs, ok200, person, valid } from './fixtures.js';

const pngBomb: ImageRecipe = { format: 'png', variant: 'bomb-1bit-grey-30000x30000', width: 30000, height: 30000, pixelSeed: 0, options: { extreme: true, kind: 'png-zeros' } };
const gifBomb: ImageRecipe = {
  format: 'gif', variant: 'screen-bomb-frame2x2-far-corner', width: GIF_SCREEN_MAX, height: GIF_SCREEN_MAX, pixelSeed: 3, options: { extreme: true, kind: 'gif-screen', frame: 2, corner: true },
};
const bomb = (image: ImageRecipe = pngBomb, as: 'raw' | 'multipart' = 'raw'): BodyRecipe => ({ kind: 'image', image, as, typeClass: 'extreme' });

/** An extreme-image case, every part given (what the family draws). */
const extremeCase = (overrides: Partial<CaseRecipe> = {}) =>
  caseOf('extreme-image', { method: 'PUT', person: person.configured(), auth: valid(), body: bomb(), language: [], noise: [], ...overrides });

const error400 = jsonAnswer(400, { Error: true, ErrorType: 'ArgumentException', ErrorMessage: 'The image is too large.', ErrorSource: 'SoDataBase' });

describe('decompression-bomb-no-5xx', () => {
  it.each<[string, boolean, Partial<CaseRecipe>]>([
    ['a raw PNG bomb', true, {}],
    ['a multipart PNG bomb, POST', true, { body: bomb(pngBomb, 'multipart'), method: 'POST' }],
    ['a raw GIF screen bomb', true, { body: bomb(gifBomb) }],
    ['a bomb with bad credentials (the auth rules judge it)', false, { auth: bad.wrongPassword() }],
    ['a bomb to a person id that is not valid (the person-id rules judge it)', false, { person: person.notPositive(0) }],
  ])('%s: applies is %s', async (_, want, overrides) => {
    expect(await applies(decompressionBombNo5xx, await extremeCase(overrides))).toBe(want);
  });

  it('does not apply to a plain valid upload', async () => {
    expect(await applies(decompressionBombNo5xx, await caseOf('valid-upload', { body: imageBody('raw') }))).toBe(false);
  });

  it('the valid-upload rules, which demand 200, do not judge a bomb; the rules on every answer do', async () => {
    const c = await extremeCase();
    for (const id of ['valid-raw-upload', 'valid-multipart-upload', 'blob-id-positive', 'accept-unsupported', 'undeclared-content-type-rejected', 'content-type-mismatch-observed', 'damaged-image-rejected']) {
      expect(await applies(checks[id]!, c), id).toBe(false);
    }
    for (const id of ['no-server-error', 'response-schema', 'error-body-shape']) expect(await applies(checks[id]!, c), id).toBe(true);
  });

  it.each<[string, Observation]>([
    ['200 with a blob id (stored)', ok200('825')],
    ['201', obs(201)],
    ['400 with the error object', error400],
    ['400 with no body', obs(400)],
    ['413 (too large)', obs(413)],
    ['415', obs(415)],
    ['422', obs(422)],
  ])('passes %s', async (_, o) => {
    expectOutcome(await judge(decompressionBombNo5xx, await extremeCase(), o), true);
  });

  it.each<[string, Observation, RegExp]>([
    ['500', obs(500, 'System.OutOfMemoryException'), /largest dimensions its format allows: expected a 2xx or 4xx, answered 500/],
    ['503', obs(503), /answered 503/],
    ['a redirect (302)', obs(302, '', { location: '/error' }), /answered 302/],
    ['a dropped connection', noAnswer('reset', 'socket hang up'), /got no answer \(reset: socket hang up\)/],
    ['no answer within the timeout', noAnswer('timeout', 'no complete answer within 30000 ms'), /got no answer \(timeout/],
  ])('fails %s', async (_, o, message) => {
    expectOutcome(await judge(decompressionBombNo5xx, await extremeCase({ body: bomb(gifBomb, 'multipart') }), o), message);
  });
});
