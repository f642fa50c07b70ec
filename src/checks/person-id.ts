/** Rules on person ids that name no person. */
import type { PersonClass } from '../generate/case.js';
import type { Check } from './types.js';
import { expectStatus } from './types.js';
import { validAuth } from './case-classes.js';

const person = (k: PersonClass) => (c: Parameters<Check['applies']>[0]) => c.recipe.person.class === k && validAuth(c);

export const personIdNotPositiveRejected: Check = { applies: person('not-positive'), judge: ({ o, c }) => expectStatus(o, [400], `person id ${c.recipe.person.segment}`) };
export const personIdUnknownRejected: Check = { applies: person('unknown'), judge: ({ o, c }) => expectStatus(o, [400], `person id ${c.recipe.person.segment}, no person`) };
/** A `%` not followed by two hex digits: a front (IIS request filtering, a WAF) may refuse the URL itself. */
const BAD_ESCAPE = /%(?![0-9a-f]{2})/i;
export const personIdNotInt32Rejected: Check = {
  applies: person('not-int32'),
  judge: ({ o, c }) => expectStatus(o, BAD_ESCAPE.test(c.recipe.person.segment) ? [400, 403, 404] : [400, 404], `person id ${JSON.stringify(c.recipe.person.segment)}, not an int32`),
};
