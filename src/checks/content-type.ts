/** Rules on the request Content-Type. */
import type { Check } from './types.js';
import { answered, pass, violation } from './types.js';
import { bodyUnderTest } from './case-classes.js';

const typeClass = (c: Parameters<Check['applies']>[0], k: 'undeclared' | 'mismatch') => c.recipe.body.kind === 'image' && c.recipe.body.typeClass === k && bodyUnderTest(c);

export const undeclaredContentTypeRejected: Check = {
  applies: (c) => typeClass(c, 'undeclared'),
  judge: ({ o }) => (o.status === 400 || o.status === 415 ? pass : violation(`an undeclared Content-Type: expected 400 or 415, ${answered(o)}`)),
};

export const contentTypeMismatchObserved: Check = {
  applies: (c) => typeClass(c, 'mismatch'),
  judge: ({ o }) =>
    o.status !== undefined && ((o.status >= 200 && o.status < 300) || (o.status >= 400 && o.status < 500))
      ? { ok: true, observe: String(o.status) }
      : violation(`image bytes under another image type: expected a 2xx or 4xx, ${answered(o)}`),
};
