/**
 * extreme-image: images whose header declares the largest dimensions their format allows, with
 * little data behind it (decompression bombs, valid by their format: images/extreme.ts), raw or
 * multipart, to the configured person with valid credentials. A conforming server answers 2xx
 * (it stored the file) or 4xx (it refused it), never 5xx, and in time: decompression-bomb-no-5xx.
 *
 * Not healthy traffic (a 5xx here is a finding, not sickness), and one case at a time: a server
 * that does decode a bomb needs much memory for each, and the suite must not harm the
 * installation it tests.
 */
import fc from 'fast-check';
import type { BodyRecipe } from '../case.js';
import { extremeImageRecipe } from '../images/extreme.js';
import { JUST_THE_CASE, NO_TRAITS, recipe } from './shared.js';
import type { FamilyDefinition } from './types.js';
import { extremeImageClasses } from './classes.js';

const extremeBody: fc.Arbitrary<BodyRecipe> = fc.record({
  kind: fc.constant('image' as const),
  image: extremeImageRecipe(),
  as: fc.oneof({ arbitrary: fc.constant<'raw'>('raw'), weight: 2 }, { arbitrary: fc.constant<'multipart'>('multipart'), weight: 1 }),
  typeClass: fc.constant('extreme' as const),
});

export const extremeImageFamily: FamilyDefinition = {
  name: 'extreme-image',
  serial: true,
  expectHealthy: false,
  // A few bombs judge the rule; more would only load the installation.
  maxCases: 4,
  traits: NO_TRAITS,
  classes: () => extremeImageClasses(),
  recipes: (g) => recipe({ family: 'extreme-image', method: g.method, person: g.me, auth: g.valid, body: extremeBody }),
  ...JUST_THE_CASE,
};
