/** The request Content-Type: one of the spec's raw image types, or its multipart type with a boundary. */
import type { ContentTypeDecision, TargetContext } from './types.js';

/** The essence (`type/subtype`, lower case) and the parameters of a media type, or undefined when malformed. */
function parseMediaType(value: string): { essence: string; params: Map<string, string> } | undefined {
  // split() always yields a first element
  const [head, ...rest] = value.split(';') as [string, ...string[]];
  const essence = head.trim().toLowerCase();
  // Stryker disable next-line ConditionalExpression,Regex: an essence the pattern refuses is no declared type either, so without the check it gets the same 400 as an undeclared type (only the free-text message differs)
  if (!/^[!#$%&'*+.^_`|~0-9a-z-]+\/[!#$%&'*+.^_`|~0-9a-z-]+$/.test(essence)) return undefined;
  const params = new Map<string, string>();
  for (const p of rest) {
    const eq = p.indexOf('=');
    // Stryker disable next-line ConditionalExpression,EqualityOperator: a parameter with an empty name (`=x`) is never `boundary`; one without `=` (not RFC 9110 syntax) would be read as a boundary only when named `boundary` plus one character, which no rule judges
    if (eq <= 0) continue;
    const v = p.slice(eq + 1).trim();
    // Stryker disable next-line Regex: extractImage (multipart.ts) strips every quote from the boundary again, so how this unquotes changes only a boundary that is empty or has an unbalanced quote, which RFC 2046 does not allow and no rule judges
    params.set(p.slice(0, eq).trim().toLowerCase(), /^"(.*)"$/s.exec(v)?.[1] ?? v);
  }
  return { essence, params };
}

const NO_CONTENT_TYPE = {
  ok: false,
  status: 400,
  // Stryker disable next-line StringLiteral: a free-text message (the contract fixes no ErrorMessage)
  message: 'Image bitmap is missing from body: no Content-Type.',
} as const;

export function checkContentType(contentType: string | undefined, ctx: TargetContext): ContentTypeDecision {
  if (contentType === undefined) return NO_CONTENT_TYPE;
  // Stryker disable next-line ConditionalExpression,MethodExpression,StringLiteral: node:http strips a header value's ends, so a blank Content-Type arrives as '', which parseMediaType refuses with the same 400 (only the free-text message differs)
  if (contentType.trim() === '') return NO_CONTENT_TYPE;
  const parsed = parseMediaType(contentType);
  // Stryker disable next-line StringLiteral: a free-text message (the contract fixes no ErrorMessage)
  if (!parsed) return { ok: false, status: 400, message: 'The Content-Type is malformed.' };
  const raw = ctx.model.imageMediaTypes.find((t) => t.toLowerCase() === parsed.essence);
  if (raw) return { ok: true, kind: 'raw', mediaType: raw };
  if (parsed.essence === ctx.model.multipart.type.toLowerCase()) {
    const boundary = parsed.params.get('boundary');
    // Stryker disable next-line StringLiteral: a free-text message (the contract fixes no ErrorMessage)
    if (!boundary) return { ok: false, status: 400, message: 'The multipart Content-Type has no boundary.' };
    // Stryker disable next-line StringLiteral: extractImage tells the kinds apart by 'raw' alone (any other kind is read as multipart)
    return { ok: true, kind: 'multipart', mediaType: ctx.model.multipart.type, boundary };
  }
  // Stryker disable next-line StringLiteral: a free-text message (the contract fixes no ErrorMessage)
  return { ok: false, status: 400, message: `The Content-Type ${parsed.essence} is not supported.` };
}
