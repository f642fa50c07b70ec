/**
 * content-type: small images under a content type the spec does not declare, under another image
 * type, under a malformed Content-Type (no `type/subtype` form), or framed as multipart under an
 * undeclared non-multipart type with a boundary parameter.
 */
import fc from 'fast-check';
import type { BodyRecipe } from '../case.js';
import type { ImageFormat } from '../images/types.js';
import { JUST_THE_CASE, NO_TRAITS, recipe, undeclaredContentTypes } from './shared.js';
import type { FamilyGenerators } from './types.js';
import type { FamilyDefinition } from './types.js';
import { contentTypeClasses } from './classes.js';

/** The spec's image type whose subtype is the format's (`jpg` and `tif` count), else the first. */
function ownType(imageTypes: readonly string[], format: ImageFormat): string {
  const sub = (t: string) => (t.split('/')[1] ?? '').toLowerCase();
  const alias: Record<ImageFormat, string[]> = { png: ['png'], jpeg: ['jpeg', 'jpg'], gif: ['gif'], tiff: ['tiff', 'tif'] };
  const type = imageTypes.find((t) => alias[format].includes(sub(t))) ?? imageTypes[0];
  if (type === undefined) throw new Error('content-type: the spec declares no image media type');
  return type;
}

/** A shape of a Content-Type that has no `type/subtype` form: how it is made from a declared `type/subtype`, and how it is recognised. */
interface MalformedShape {
  name: string;
  of(type: string, subtype: string): string[];
  matches(value: string): boolean;
}

const PART = '[^/\\s;]+';
const shape = (name: string, of: MalformedShape['of'], pattern: string): MalformedShape => ({ name, of, matches: (v) => new RegExp(`^${pattern}$`).test(v) });

/** `png`, `image/`, `/png`, `image/png/x`, `image png` (made from each declared image type). */
export const MALFORMED_SHAPES: readonly MalformedShape[] = [
  shape('the subtype alone', (_, s) => [s], PART),
  shape('the type and slash alone', (t) => [`${t}/`], `${PART}/`),
  shape('the slash and subtype alone', (_, s) => [`/${s}`], `/${PART}`),
  shape('a third part', (t, s) => [`${t}/${s}/x`, `${t}/${t}/${s}`], `${PART}/${PART}/${PART}`),
  shape('a space for the slash', (t, s) => [`${t} ${s}`], `${PART} ${PART}`),
];

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

/** A small image raw under its own image type written without the `type/subtype` form. */
function malformed(g: FamilyGenerators): fc.Arbitrary<BodyRecipe> {
  const imageTypes = g.ctx.model.imageMediaTypes;
  return fc.tuple(g.image(64), fc.constantFrom(...MALFORMED_SHAPES), fc.nat()).map(([img, s, n]) => {
    const [type = 'image', subtype = img.format] = ownType(imageTypes, img.format).split('/');
    const variants = s.of(type, subtype);
    return { kind: 'image', image: img, as: 'raw', declaredType: variants[n % variants.length]!, typeClass: 'undeclared' };
  });
}

/**
 * A small image as the multipart image part, the body framed with its boundary, under an
 * undeclared type that is no multipart type (`text/plain; boundary="…"`): ASP.NET reads any
 * `multipart/*` as multipart, so none of those is sent.
 */
function multipartUnderUndeclared(g: FamilyGenerators): fc.Arbitrary<BodyRecipe> {
  const types = undeclaredContentTypes(g.ctx.model).filter((t) => t !== '' && !t.toLowerCase().startsWith('multipart/'));
  return fc.tuple(g.image(64), fc.constantFrom(...types)).map(([img, t]) => ({ kind: 'image', image: img, as: 'multipart', declaredType: t, typeClass: 'undeclared' }));
}

export const contentTypeFamily: FamilyDefinition = {
  name: 'content-type',
  serial: false,
  expectHealthy: false,
  traits: NO_TRAITS,
  classes: (ctx) => contentTypeClasses(ctx.model, MALFORMED_SHAPES),
  recipes: (g) =>
    recipe({
      family: 'content-type',
      method: g.method,
      person: g.me,
      auth: g.valid,
      // Weighted about by the value classes each arm holds, so that the survey spreads over them.
      body: fc.oneof(
        { arbitrary: g.undeclared, weight: undeclaredContentTypes(g.ctx.model).length },
        { arbitrary: mismatch(g), weight: 3 },
        { arbitrary: malformed(g), weight: MALFORMED_SHAPES.length },
        { arbitrary: multipartUnderUndeclared(g), weight: 2 },
      ),
    }),
  ...JUST_THE_CASE,
};
