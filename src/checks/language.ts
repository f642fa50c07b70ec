/** Rules on language, culture and time-zone headers. */
import type { Check } from './types.js';
import { answered, pass, violation } from './types.js';
import { traitsOf } from './case-classes.js';

/** Language headers compared with the baseline sent without them. */
const languageUnderTest = (c: Parameters<Check['applies']>[0]) => traitsOf(c).comparedWithLanguageBaseline && c.recipe.language.length > 0;
const malformed = (c: Parameters<Check['applies']>[0]) => c.recipe.language.some((h) => h.malformed);

export const languageHeadersValid: Check = {
  applies: (c) => languageUnderTest(c) && !malformed(c),
  judge: ({ o, extra }) =>
    o.status !== undefined && o.status === extra.baselineStatus
      ? pass
      : violation(`valid language headers changed the answer: without them ${extra.baselineStatus ?? 'no answer'}, with them ${answered(o)}`),
};

export const languageHeadersMalformedNo5xx: Check = {
  applies: (c) => languageUnderTest(c) && malformed(c),
  judge: ({ o }) => (o.status !== undefined && o.status < 500 ? pass : violation(`malformed language headers: ${answered(o)}`)),
};

export const languageHeadersMalformedSameStatus: Check = {
  applies: (c) => languageUnderTest(c) && malformed(c),
  judge: ({ o, extra }) =>
    o.status !== undefined && o.status === extra.baselineStatus
      ? pass
      : violation(`malformed language headers changed the answer: without them ${extra.baselineStatus ?? 'no answer'}, with them ${answered(o)}`),
};
