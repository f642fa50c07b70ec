/**
 * auth-first: bad credentials together with something else wrong (the body, the person id, the
 * Content-Type or the Accept): the refusal must come first. Serial: a wrong order could change
 * the person's image.
 */
import fc from 'fast-check';
import { unsupportedAccept } from '../accept.js';
import { badAuth } from '../auth.js';
import type { CaseRecipe } from '../case.js';
import { notInt32Person, notPositivePerson } from '../person-ids.js';
import { JUST_THE_CASE, NO_TRAITS, recipe } from './shared.js';
import type { FamilyGenerators } from './types.js';
import type { FamilyDefinition } from './types.js';

/** What else is wrong (its description) and the recipe parts that make it so. */
function alsoWrong(g: FamilyGenerators): [string, fc.Arbitrary<Partial<CaseRecipe>>][] {
  const { model } = g.ctx;
  return [
    ['an invalid body', g.invalidBody.map((body) => ({ body }))],
    ['a person id that is not valid', fc.oneof(notPositivePerson(model), notInt32Person(model)).map((person) => ({ person }))],
    ['an undeclared Content-Type', g.undeclared.map((body) => ({ body }))],
    ['an Accept the server cannot produce', unsupportedAccept(model).map((accept) => ({ accept }))],
  ];
}

export const authFirstFamily: FamilyDefinition = {
  name: 'auth-first',
  serial: true,
  expectHealthy: false,
  traits: { ...NO_TRAITS, authOrderUnderTest: true },
  recipes: (g) => {
    const { model, credentials } = g.ctx;
    return fc.oneof(
      ...alsoWrong(g).map(([what, wrong]) =>
        fc.tuple(recipe({ family: 'auth-first', method: g.method, person: g.me, auth: badAuth(model, credentials), body: g.smallBody, alsoWrong: what }), wrong).map(([r, w]) => ({ ...r, ...w })),
      ),
    );
  },
  ...JUST_THE_CASE,
};
