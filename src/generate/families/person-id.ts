/**
 * person-id: a small valid upload to 0 or a negative id, an int32 id that is no person, or a
 * segment that is no int32 (among them a malformed percent-escape, alone or after the configured
 * person's id).
 */
import fc from 'fast-check';
import { badEscapePerson, notInt32Person, notPositivePerson, unknownPerson } from '../person-ids.js';
import { JUST_THE_CASE, NO_TRAITS, recipe } from './shared.js';
import type { FamilyDefinition } from './types.js';
import { badEscapeClasses, personClasses } from './classes.js';

export const personIdFamily: FamilyDefinition = {
  name: 'person-id',
  serial: false,
  expectHealthy: false,
  traits: NO_TRAITS,
  classes: () => [...personClasses(['not-positive', 'unknown', 'not-int32']), ...badEscapeClasses()],
  recipes: (g) => {
    const { model, personId } = g.ctx;
    return recipe({
      family: 'person-id',
      method: g.method,
      person: fc.oneof(notPositivePerson(model), unknownPerson(model, [personId]), notInt32Person(model), badEscapePerson(personId)),
      auth: g.valid,
      body: g.smallBody,
    });
  },
  ...JUST_THE_CASE,
};
