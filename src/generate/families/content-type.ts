/** content-type: small images under a content type the spec does not declare, or under another image type. */
import fc from 'fast-check';
import type { BodyRecipe } from '../case.js';
import { JUST_THE_CASE, NO_TRAITS, recipe } from './shared.js';
import type { FamilyGenerators } from './types.js';
import type { FamilyDefinition } from './types.js';
import { contentTypeClasses } from './classes.js';

/** A small image declared as another of the spec's image types. */
function mismatch(g: FamilyGenerators): fc.Arbitrary<BodyRecipe> {
  const imageTypes = g.ctx.model.imageMediaTypes;
  return fc
    .tuple(g.image(64), fc.nat())
    .map(([img, n]) => {
      const others = imageTypes.filter((t) => !t.endsWith(`/${img.format}`) && !(img.format === 'jpeg' && t.endsWith('/jpg')));
      return { kind: 'image', image: img, as: 'raw', declaredType: others[n % others.length] ?? 'image/png', typeClass: 'mismatch' };
    });
}

export const contentTypeFamily: FamilyDefinition = {
  name: 'content-type',
  serial: false,
  expectHealthy: false,
  traits: NO_TRAITS,
  classes: (ctx) => contentTypeClasses(ctx.model),
  recipes: (g) => recipe({ family: 'content-type', method: g.method, person: g.me, auth: g.valid, body: fc.oneof(g.undeclared, mismatch(g)) }),
  ...JUST_THE_CASE,
};
