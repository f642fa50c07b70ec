/**
 * Power targets for multipart framing: a server whose Content-Type parser takes the boundary
 * parameter verbatim and refuses it when quoted (RFC 2046 allows a quoted boundary, and .NET's
 * HttpClient always quotes it), so it refuses the uploads of integrations written in C#;
 * valid-multipart-upload (MUST) catches it.
 */
import { defaultBehaviour as d } from '../../../src/target/behaviour.js';
import type { PowerTarget } from './types.js';

/** The boundary parameter as written in the header, quotes included. */
function verbatimBoundary(contentType: string | undefined): string | undefined {
  return /;\s*boundary=("[^"]*"|[^;]*)/i.exec(contentType ?? '')?.[1]?.trim();
}

export const multipartTargets: PowerTarget[] = [
  {
    name: 'refuses a quoted multipart boundary',
    valueClass: "valid-upload: multipart framed as .NET's HttpClient frames it",
    behaviour: {
      checkContentType: (type, ctx) => {
        const decision = d.checkContentType(type, ctx);
        const quoted = verbatimBoundary(type)?.startsWith('"') === true;
        return decision.ok && decision.kind === 'multipart' && quoted ? { ok: false, status: 400, message: 'The multipart boundary is not valid.' } : decision;
      },
    },
    caughtBy: 'valid-multipart-upload',
  },
];
