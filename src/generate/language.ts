/**
 * Language, culture and time-zone headers: the parameters with role `language` in the spec,
 * with their documented examples, iso2 and region codes, lists with q-values, and malformed values.
 */
import fc from 'fast-check';
import type { HeaderParameter, SpecModel } from '../spec/model.js';
import { headersWithRole } from '../spec/model.js';
import type { HeaderValue } from './case.js';

/** ISO 639-1 languages and language-region tags, as clients send them. */
const languageTags = ['de', 'da', 'nl', 'fi', 'es', 'it', 'pl', 'en-US', 'en-GB', 'sv-SE', 'nb-NO', 'fr-CA', 'de-CH', 'pt-BR'];

/** Characters no language tag, culture or time-zone code is made of. */
const junk = fc.string({ unit: fc.constantFrom(...';=!@#$%^&*()[]{}<>?|~`"\'\\/'.split('')), minLength: 1, maxLength: 12 });

/** What HTTP lets a header value hold and clients send: visible ASCII and spaces. */
export const sendable = (v: string) => /^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$/.test(v);

function validValue(h: HeaderParameter, isTimeZone: boolean): fc.Arbitrary<string> {
  const valid = h.examples.filter(sendable);
  const examples = fc.constantFrom(...valid);
  if (isTimeZone || valid.length === 0) return valid.length > 0 ? examples : fc.constantFrom(...languageTags);
  const tags = fc.constantFrom(...languageTags, ...valid.filter((e) => /^[\w*-]+$/.test(e)));
  const list = fc
    .uniqueArray(fc.tuple(tags, fc.integer({ min: 1, max: 9 })), { minLength: 2, maxLength: 3, selector: ([t]) => t })
    .map((parts) => parts.map(([t, q], i) => (i === 0 ? t : `${t};q=0.${10 - q}`)).join(', '));
  return fc.oneof({ arbitrary: examples, weight: 3 }, { arbitrary: tags, weight: 2 }, { arbitrary: list, weight: 1 });
}

/** One header with a valid or a malformed value. */
function headerValue(h: HeaderParameter, malformed: boolean): fc.Arbitrary<HeaderValue> {
  // The time-zone header's examples carry the `, includeTZOffset` suffix form; it has no language tags.
  const isTimeZone = h.examples.some((e) => /includeTZOffset/i.test(e));
  const malformedExamples = h.malformedExamples.filter(sendable);
  const value = malformed
    ? fc.oneof(...(malformedExamples.length > 0 ? [fc.constantFrom(...malformedExamples)] : []), junk)
    : validValue(h, isTimeZone);
  return value.map((v) => ({ name: h.name, value: v, malformed }));
}

export interface LanguageHeadersConstraints {
  /** Include malformed values. Default true. */
  malformed?: boolean;
  minHeaders?: number;
}

/** Up to one value per language header, each valid or malformed. */
export function languageHeaders(model: SpecModel, constraints: LanguageHeadersConstraints = {}): fc.Arbitrary<HeaderValue[]> {
  const params = headersWithRole(model, 'language');
  if (params.length === 0) return fc.constant([]);
  const one = (h: HeaderParameter) =>
    constraints.malformed === false ? headerValue(h, false) : fc.oneof({ arbitrary: headerValue(h, false), weight: 2 }, { arbitrary: headerValue(h, true), weight: 1 });
  return fc
    .subarray(params, { minLength: Math.min(constraints.minHeaders ?? 1, params.length) })
    .chain((chosen) => fc.tuple(...chosen.map(one)));
}
