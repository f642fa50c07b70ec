/** The request Content-Type: one of the spec's raw image types, or its multipart type with a boundary. */
import type { ContentTypeDecision, TargetContext } from './types.js';

/** The essence (`type/subtype`, lower case) and the parameters of a media type, or undefined when malformed. */
function parseMediaType(value: string): { essence: string; params: Map<string, string> } | undefined {
  const [head = '', ...rest] = value.split(';');
  const essence = head.trim().toLowerCase();
  if (!/^[!#$%&'*+.^_`|~0-9a-z-]+\/[!#$%&'*+.^_`|~0-9a-z-]+$/.test(essence)) return undefined;
  const params = new Map<string, string>();
  for (const p of rest) {
    const eq = p.indexOf('=');
    if (eq <= 0) continue;
    let v = p.slice(eq + 1).trim();
    if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) v = v.slice(1, -1);
    params.set(p.slice(0, eq).trim().toLowerCase(), v);
  }
  return { essence, params };
}

export function checkContentType(contentType: string | undefined, ctx: TargetContext): ContentTypeDecision {
  if (contentType === undefined || contentType.trim() === '') return { ok: false, status: 400, message: 'Image bitmap is missing from body: no Content-Type.' };
  const parsed = parseMediaType(contentType);
  // Stryker disable next-line StringLiteral: a free-text message (the contract fixes no ErrorMessage)
  if (!parsed) return { ok: false, status: 400, message: 'The Content-Type is malformed.' };
  const raw = ctx.model.imageMediaTypes.find((t) => t.toLowerCase() === parsed.essence);
  if (raw) return { ok: true, kind: 'raw', mediaType: raw };
  if (parsed.essence === ctx.model.multipart.type.toLowerCase()) {
    const boundary = parsed.params.get('boundary');
    // Stryker disable next-line StringLiteral: a free-text message (the contract fixes no ErrorMessage)
    if (!boundary) return { ok: false, status: 400, message: 'The multipart Content-Type has no boundary.' };
    return { ok: true, kind: 'multipart', mediaType: ctx.model.multipart.type, boundary };
  }
  // Stryker disable next-line StringLiteral: a free-text message (the contract fixes no ErrorMessage)
  return { ok: false, status: 400, message: `The Content-Type ${parsed.essence} is not supported.` };
}
