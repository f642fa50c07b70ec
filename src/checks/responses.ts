/** Rules every answer keeps: no 5xx, the response schema, Content-Type per Accept, the error body. */
import type { Check } from './types.js';
import { answered, pass, successMedia, violation } from './types.js';
import { bodyUnderTest, wellFormedImage } from './case-classes.js';
import { decodeBody } from './decode-blob-id.js';
import { expectFor } from './negotiate.js';
import { contentTypeOf } from '../transport/observation.js';

export const noServerError: Check = {
  applies: () => true,
  judge: ({ o }) => (o.status !== undefined && o.status < 500 ? pass : violation(answered(o))),
};

export const responseSchema: Check = {
  applies: () => true,
  judge: ({ o, ctx }) => {
    if (o.status !== 200) return pass;
    const type = contentTypeOf(o);
    const media = successMedia(ctx, type);
    if (!media) return violation(`the 200 has Content-Type ${JSON.stringify(type || '(none)')}, which the spec does not declare`);
    const d = decodeBody(o.body, media);
    if (!d.ok) return violation(d.reason);
    const validate = ctx.successValidators.get(media.type)!;
    if (validate(d.value)) return pass;
    const e = validate.errors?.[0];
    return violation(`the ${media.type} body ${JSON.stringify(d.value)} does not match the schema: ${e?.instancePath || '/'} ${e?.message ?? ''}`.trim());
  },
};

/** `json or xml`: the items of a set, for a message. */
function listed(items: Iterable<string>): string {
  return [...items].join(' or ');
}

export const acceptFamily: Check = {
  // Judged whenever some reading of the Accept finds a type the server produces.
  applies: (c, ctx) => expectFor(c.recipe.accept, ctx.model.successMediaTypes).producible,
  judge: ({ c, o, ctx }) => {
    if (o.status !== 200) return pass;
    const want = expectFor(c.recipe.accept, ctx.model.successMediaTypes);
    const got = successMedia(ctx, contentTypeOf(o));
    if (got && want.families.has(got.family)) return pass;
    return violation(`Accept ${JSON.stringify(c.recipe.accept ?? '(none)')} asks for ${listed(want.families)}, the 200 is ${JSON.stringify(contentTypeOf(o) || '(none)')}`);
  },
};

export const acceptExactType: Check = {
  applies: (c, ctx) => expectFor(c.recipe.accept, ctx.model.successMediaTypes).exactTypeAsked,
  judge: ({ c, o, ctx }) => {
    if (o.status !== 200) return pass;
    const want = expectFor(c.recipe.accept, ctx.model.successMediaTypes).exactTypes;
    const got = contentTypeOf(o);
    return want.has(got) ? pass : violation(`Accept ${JSON.stringify(c.recipe.accept ?? '(none)')} prefers ${listed(want)}, the 200 is ${JSON.stringify(got || '(none)')}`);
  },
};

export const acceptUnsupported: Check = {
  // A valid upload but for its Accept (isValidUpload itself requires a supported Accept), where
  // some reading of the Accept finds nothing the server produces.
  applies: (c, ctx) => wellFormedImage(c) && bodyUnderTest(c) && expectFor(c.recipe.accept, ctx.model.successMediaTypes).unsupported,
  judge: ({ c, o, ctx }) => {
    if (o.status === 406) return pass;
    // JSON, or (where another reading finds a producible type) a family that reading prefers.
    const want = expectFor(c.recipe.accept, ctx.model.successMediaTypes);
    const family = successMedia(ctx, contentTypeOf(o))?.family;
    if (o.status === 200 && family !== undefined && want.families.has(family)) return pass;
    return violation(`Accept ${JSON.stringify(c.recipe.accept)} names no type the server produces: expected a ${listed(want.families)} 200 or 406, ${answered(o)}${o.status === 200 ? ` with ${contentTypeOf(o) || 'no Content-Type'}` : ''}`);
  },
};

export const errorBodyShape: Check = {
  applies: () => true,
  judge: ({ o, ctx }) => {
    if (o.status === undefined || o.status < 400 || o.status >= 500 || o.body.length === 0) return pass;
    let body: unknown;
    try {
      body = JSON.parse(o.body.toString('utf8').replace(/^\uFEFF/, ''));
    } catch {
      return violation(`the ${o.status} body is not JSON: ${JSON.stringify(o.body.subarray(0, 60).toString('utf8'))}`);
    }
    if (ctx.errorValidator(body)) return pass;
    const e = ctx.errorValidator.errors?.[0];
    return violation(`the ${o.status} body is not the error object: ${e?.instancePath || '/'} ${e?.message ?? ''}`.trim());
  },
};
