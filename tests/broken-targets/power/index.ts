/**
 * The power targets: each mishandles exactly one value class a family declares, and a default run
 * must catch it by its rule on every seed (tests/broken-targets/power.test.ts and
 * power-another-seed.test.ts run a random seed each, tests/broken-targets/power-seeds.ts twenty or
 * more).
 */
import { authTargets } from './auth.js';
import { bodyTargets } from './bodies.js';
import { contentTypeTargets } from './content-type.js';
import { damageTargets } from './damage.js';
import { imageTargets } from './images.js';
import { languageTargets } from './language.js';
import { multipartTargets } from './multipart.js';
import { personIdTargets } from './person-id.js';
import { roundTripTargets } from './round-trip.js';
import { validImageTargets } from './valid-images.js';
import type { PowerTarget } from './types.js';

export type { PowerTarget } from './types.js';

export const powerTargets: readonly PowerTarget[] = [...languageTargets, ...bodyTargets, ...roundTripTargets, ...authTargets, ...imageTargets, ...damageTargets, ...multipartTargets, ...contentTypeTargets, ...personIdTargets, ...validImageTargets];
