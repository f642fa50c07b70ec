/**
 * Power targets for request Content-Types a server reads too loosely: one that finds an image type
 * by its subtype anywhere in a malformed Content-Type (`image/png/x`, `png`, `image png`) and takes
 * the image, one that answers 500 to a Content-Type it cannot parse (`image/`), and one that reads
 * any body whose Content-Type has a boundary parameter as multipart (`text/plain; boundary=…`);
 * undeclared-content-type-rejected (MUST) catches each.
 */
import { defaultBehaviour as d } from '../../../src/target/behaviour.js';
import type { PowerTarget } from './types.js';

/** A media type's essence as RFC 9110 writes it (`type/subtype`, each a token). */
const MEDIA_TYPE = /^\s*[!#$%&'*+.^_`|~0-9a-z-]+\/[!#$%&'*+.^_`|~0-9a-z-]+\s*(;|$)/i;

export const contentTypeTargets: PowerTarget[] = [
  {
    // `contentType.Contains("png")`: what names an image subtype somewhere is taken for that type.
    name: 'finds the image type by its subtype anywhere in the Content-Type',
    valueClass: 'content-type: malformed: a third part',
    behaviour: {
      checkContentType: (type, ctx) => {
        const decision = d.checkContentType(type, ctx);
        if (decision.ok || type === undefined) return decision;
        const words = type.toLowerCase().split(/[/\s;]+/);
        const found = ctx.model.imageMediaTypes.find((t) => words.includes((t.split('/')[1] ?? '').toLowerCase()));
        return found ? { ok: true, kind: 'raw', mediaType: found } : decision;
      },
    },
    caughtBy: 'undeclared-content-type-rejected',
  },
  {
    // Parses the header into a media type object and dereferences what the parse did not give.
    name: 'answers 500 to a Content-Type it cannot parse',
    valueClass: 'content-type: malformed: the type and slash alone',
    behaviour: {
      checkContentType: (type, ctx) =>
        type !== undefined && type.trim() !== '' && !MEDIA_TYPE.test(type) ? { ok: false, status: 500, message: 'Object reference not set to an instance of an object.' } : d.checkContentType(type, ctx),
    },
    caughtBy: 'undeclared-content-type-rejected',
  },
  {
    // Asks for a boundary parameter, not for a multipart type, before reading the body as multipart.
    name: 'reads any body with a boundary parameter as multipart',
    valueClass: 'content-type: multipart under an undeclared type with a boundary',
    behaviour: {
      checkContentType: (type, ctx) => {
        const decision = d.checkContentType(type, ctx);
        const boundary = /;\s*boundary=(?:"([^"]*)"|([^;\s]*))/i.exec(type ?? '');
        const value = boundary?.[1] ?? boundary?.[2];
        return decision.ok || !value ? decision : { ok: true, kind: 'multipart', mediaType: ctx.model.multipart.type, boundary: value };
      },
    },
    caughtBy: 'undeclared-content-type-rejected',
  },
];
