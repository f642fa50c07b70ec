/** Predicates over a Case that several checks share: what kind of request it is. */
import type { Case } from '../generate/case.js';
import { familyOf, type FamilyTraits } from '../generate/families/index.js';
import type { SpecModel } from '../spec/model.js';
import { expectFor } from './negotiate.js';

/** What the case's family says about it (the checks ask this, never the family's name). */
export const traitsOf = (c: Case): FamilyTraits => familyOf(c.recipe.family).traits;

export const validAuth = (c: Case) => c.recipe.auth.kind === 'valid';
export const badAuth = (c: Case) => c.recipe.auth.kind === 'bad';
const configuredPerson = (c: Case) => c.recipe.person.class === 'configured';
export const wellFormedImage = (c: Case) => c.recipe.body.kind === 'image' && c.recipe.body.typeClass === undefined;
const acceptSupported = (c: Case, model: SpecModel) => !expectFor(c.recipe.accept, model.successMediaTypes).unsupported;

/** A valid upload: well-formed image, declared type, configured person, valid credentials and nothing else unusual. */
export function isValidUpload(c: Case, model: SpecModel): boolean {
  return wellFormedImage(c) && configuredPerson(c) && validAuth(c) && c.recipe.noise.length === 0 && c.recipe.language.every((h) => !h.malformed) && acceptSupported(c, model);
}

/** A request that is valid but for its body (valid credentials, configured person). */
export function bodyUnderTest(c: Case): boolean {
  return validAuth(c) && configuredPerson(c);
}
