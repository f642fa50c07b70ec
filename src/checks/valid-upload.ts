/** Rules on valid uploads: 200 with an int32, raw and multipart; the id positive. */
import type { Check, CheckInput, Outcome } from './types.js';
import { answered, pass, successMedia, violation } from './types.js';
import { isValidUpload } from './case-classes.js';
import { decodeBlobId, decodeBody } from './decode-blob-id.js';
import { contentTypeOf } from '../transport/observation.js';

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/** The blob id of a 200, when the body decodes to an integer. */
export function blobIdOf({ o, ctx }: Pick<CheckInput, 'o' | 'ctx'>): number | undefined {
  if (o.status !== 200) return undefined;
  const media = successMedia(ctx, contentTypeOf(o));
  return media ? decodeBlobId(o.body, media) : undefined;
}

function acceptedWithInt32(input: CheckInput): Outcome {
  const { o, ctx } = input;
  if (o.status !== 200) return violation(`a well-formed image was refused: expected 200, ${answered(o)}`);
  const type = contentTypeOf(o);
  const media = successMedia(ctx, type);
  if (!media) return violation(`the 200 has Content-Type ${JSON.stringify(type || '(none)')}, which the spec does not declare for a 200`);
  const d = decodeBody(o.body, media);
  if (!d.ok) return violation(d.reason);
  if (typeof d.value !== 'number' || !Number.isInteger(d.value) || d.value < INT32_MIN || d.value > INT32_MAX) {
    return violation(`the 200 body is ${JSON.stringify(d.value)}, not an int32`);
  }
  return pass;
}

export const validRawUpload: Check = {
  applies: (c, ctx) => isValidUpload(c, ctx.model) && c.body.kind === 'raw' && c.recipe.language.length === 0,
  judge: acceptedWithInt32,
};

export const validMultipartUpload: Check = {
  applies: (c, ctx) => isValidUpload(c, ctx.model) && c.body.kind === 'multipart' && c.recipe.language.length === 0,
  judge: acceptedWithInt32,
};

export const blobIdPositive: Check = {
  applies: (c, ctx) => isValidUpload(c, ctx.model),
  judge: (input) => {
    const id = blobIdOf(input);
    if (id === undefined) return pass;
    return id > 0 ? pass : violation(`the blob id is ${id}, not positive`);
  },
};
