/** invalid-body: detectably invalid bodies (empty, no signature, incomplete, zero dimensions, damaged) and multipart without the image field. */
import { JUST_THE_CASE, NO_TRAITS, recipe } from './shared.js';
import type { FamilyDefinition } from './types.js';
import { invalidBodyClasses } from './classes.js';
import { INVALID_BODY_KINDS } from '../invalid-bodies/index.js';

export const invalidBodyFamily: FamilyDefinition = {
  name: 'invalid-body',
  serial: false,
  expectHealthy: false,
  traits: NO_TRAITS,
  classes: () => invalidBodyClasses(INVALID_BODY_KINDS),
  recipes: (g) => recipe({ family: 'invalid-body', method: g.method, person: g.me, auth: g.valid, body: g.invalidBody }),
  ...JUST_THE_CASE,
};
