/** Rules on images at the extremes of their format (decompression bombs). */
import type { Case } from '../generate/case.js';
import type { Check } from './types.js';
import { answered, pass, violation } from './types.js';
import { bodyUnderTest } from './case-classes.js';

/** An image whose header declares the largest dimensions its format allows, sent by a valid request. */
const extremeImage = (c: Case): boolean => c.recipe.body.kind === 'image' && c.recipe.body.typeClass === 'extreme' && bodyUnderTest(c);

export const decompressionBombNo5xx: Check = {
  applies: extremeImage,
  judge: ({ o }) => {
    const s = o.status;
    if (s !== undefined && ((s >= 200 && s < 300) || (s >= 400 && s < 500))) return pass;
    return violation(`an image declaring the largest dimensions its format allows: expected a 2xx or 4xx, ${answered(o)}`);
  },
};
