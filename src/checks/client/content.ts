/** Client rules about a save's body: its declared type, its image, its multipart field. */
import { formatOfMediaType } from '../../generate/images/media-types.js';
import { pass, violation } from '../types.js';
import type { ClientCheck } from './types.js';

export const clientContentTypeMatchesImage: ClientCheck = {
  applies: (x) => x.body !== undefined,
  judge: (x) => {
    const b = x.body!;
    if (b.declared.kind === 'undeclared') return violation(`the save declares Content-Type ${JSON.stringify(b.contentType ?? '(none)')}: ${b.declared.reason}`);
    if (b.declared.kind === 'raw' && b.sniffed !== undefined && formatOfMediaType(b.declared.mediaType) !== b.sniffed) {
      return violation(`the body is a ${b.sniffed.toUpperCase()} image declared as ${b.declared.mediaType}`);
    }
    return pass;
  },
};

export const clientImageWellFormed: ClientCheck = {
  // Judged where the image bytes were found and read whole (a body over the inspection limit is not).
  applies: (x) => x.body !== undefined && !x.body.overLimit && x.body.validation !== undefined,
  judge: (x) => {
    const v = x.body!.validation!;
    return v.ok ? pass : violation(`the image is not well-formed: ${v.reason}`);
  },
};

export const clientMultipartImageField: ClientCheck = {
  applies: (x) => x.body?.declared.kind === 'multipart' && !x.body.overLimit,
  judge: (x, ctx) => (x.body!.missingField === undefined ? pass : violation(`the multipart body has no part named ${JSON.stringify(ctx.model.multipart.field)}: ${x.body!.missingField}`)),
};
