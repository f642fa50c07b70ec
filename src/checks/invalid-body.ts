/** Rules on bodies that are no valid image. */
import type { Case } from '../generate/case.js';
import type { InvalidBodyClass } from '../generate/images/types.js';
import type { Check } from './types.js';
import { answered, expectStatus, pass, violation } from './types.js';
import { bodyUnderTest } from './case-classes.js';

function invalid(c: Case, as: 'raw' | 'multipart' | 'any', ...classes: InvalidBodyClass[]): boolean {
  const b = c.recipe.body;
  return b.kind === 'invalid' && bodyUnderTest(c) && (as === 'any' || b.as === as) && (classes.length === 0 || classes.includes(b.invalid.class));
}

const rejected = (what: string): Check['judge'] => ({ o }) => expectStatus(o, [400], what);

export const emptyBodyRejected: Check = { applies: (c) => invalid(c, 'raw', 'empty'), judge: rejected('an empty body') };
export const noSignatureRejected: Check = { applies: (c) => invalid(c, 'raw', 'no-signature'), judge: rejected('a body with no image signature') };
export const incompleteHeaderRejected: Check = { applies: (c) => invalid(c, 'raw', 'incomplete-header'), judge: rejected('a signature without a whole header') };
export const zeroDimensionRejected: Check = { applies: (c) => invalid(c, 'raw', 'zero-dimension'), judge: rejected('an image of zero width or height') };

export const damagedImageNo5xx: Check = {
  applies: (c) => invalid(c, 'any', 'damaged'),
  judge: ({ o }) => (o.status !== undefined && o.status < 500 ? pass : violation(`a damaged image ${answered(o)}`)),
};
export const damagedImageRejected: Check = { applies: (c) => invalid(c, 'any', 'damaged'), judge: rejected('a damaged image') };

export const multipartWithoutImageRejected: Check = {
  applies: (c) => c.recipe.body.kind === 'multipart-without-image' && bodyUnderTest(c),
  judge: rejected('multipart without an image part'),
};
export const multipartBadImageRejected: Check = {
  applies: (c) => invalid(c, 'multipart', 'empty', 'no-signature', 'incomplete-header', 'zero-dimension'),
  judge: rejected('multipart with an invalid image'),
};
