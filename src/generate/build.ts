/**
 * Renders a CaseRecipe into a Case: the bytes, the headers, the description and the coverage.
 */
import type { Credential } from '../config/credentials.js';
import type { SpecModel } from '../spec/model.js';
import { personPath } from '../spec/model.js';
import { authHeaders } from '../transport/auth-headers.js';
import { appTokenNoiseOf, appTokenShapeOf, schemeWordOf, sendAs } from './auth.js';
import { credentialFor, type Case, type CaseBody, type CaseRecipe, type MultipartFraming } from './case.js';
import { renderImage } from './images/index.js';
import type { ImageFormat } from './images/types.js';
import { renderInvalidBody } from './invalid-bodies/index.js';

export interface BuildContext {
  model: SpecModel;
  credentials: readonly Credential[];
  appToken?: string;
}

/** The spec's media type for an image format (by subtype). */
function mediaTypeOf(model: SpecModel, format: ImageFormat): string {
  const alias: Record<ImageFormat, string[]> = { png: ['png'], jpeg: ['jpeg', 'jpg'], gif: ['gif'], tiff: ['tiff', 'tif'] };
  return model.imageMediaTypes.find((t) => alias[format].includes((t.split('/')[1] ?? '').toLowerCase())) ?? model.imageMediaTypes[0] ?? 'application/octet-stream';
}

const extension: Record<ImageFormat, string> = { png: 'png', jpeg: 'jpg', gif: 'gif', tiff: 'tif' };

/** Who frames a multipart body that way, for descriptions. */
const FRAMED_BY: Record<MultipartFraming, string> = { dotnet: ".NET's HttpClient" };

async function renderBody(ctx: BuildContext, recipe: CaseRecipe): Promise<{ body: CaseBody; description: string; coverage: Record<string, string> }> {
  const { model } = ctx;
  const field = model.multipart.field;
  const b = recipe.body;
  const multipart = (name: string, filename: string, contentType: string, bytes: Uint8Array, framing?: MultipartFraming, mediaType = model.multipart.type): CaseBody => ({
    kind: 'multipart',
    parts: [{ field: name, filename, contentType, bytes }],
    ...(framing ? { framing: { style: framing, mediaType } } : {}),
  });
  switch (b.kind) {
    case 'image': {
      const img = await renderImage(b.image);
      const own = mediaTypeOf(model, img.format);
      const type = b.declaredType ?? own;
      const coverage: Record<string, string> = { 'image format': `${img.format} ${b.image.variant}`, 'request Content-Type': b.as === 'multipart' ? `${b.declaredType ?? model.multipart.type} (${own})` : type || '(none)' };
      // Under another type than the spec's multipart type (with its boundary parameter): framed by hand, as only that framing lets the type be chosen.
      const framing = b.framing ?? (b.as === 'multipart' && b.declaredType !== undefined ? 'dotnet' : undefined);
      if (b.as === 'multipart') return { body: multipart(field, `image.${extension[img.format]}`, own, img.bytes, framing, b.declaredType), description: `${img.description} as multipart '${field}'${framing ? ` framed as ${FRAMED_BY[framing]} frames it` : ''}${b.declaredType !== undefined ? ` declared as ${b.declaredType}` : ''}`, coverage };
      const what = b.typeClass === 'undeclared' ? ` declared as ${type || 'no Content-Type'}` : b.typeClass === 'mismatch' ? ` declared as ${type}` : '';
      return { body: type ? { kind: 'raw', contentType: type, bytes: img.bytes } : { kind: 'raw', bytes: img.bytes }, description: `${img.description}, raw${what}`, coverage };
    }
    case 'invalid': {
      const inv = await renderInvalidBody(b.invalid);
      const type = b.invalid.format ? mediaTypeOf(model, b.invalid.format) : (model.imageMediaTypes[b.invalid.seed % model.imageMediaTypes.length] ?? 'image/png');
      const coverage = { 'invalid body': `${b.invalid.class}: ${b.invalid.kind}` };
      if (b.as === 'multipart') return { body: multipart(field, 'image.bin', type, inv.bytes), description: `${inv.description} as multipart '${field}'`, coverage };
      return { body: { kind: 'raw', contentType: type, bytes: inv.bytes }, description: `${inv.description}, raw as ${type}`, coverage };
    }
    case 'multipart-without-image': {
      const img = await renderImage(b.image);
      const own = mediaTypeOf(model, img.format);
      return {
        body: multipart(b.field, `image.${extension[img.format]}`, own, img.bytes),
        description: `multipart with no '${field}' part (${img.description} in '${b.field}')`,
        coverage: { 'invalid body': 'multipart without image part' },
      };
    }
  }
}

/**
 * The credential headers, what the description says of them (the scheme and the scheme word sent;
 * the shape of an SO-AppToken sent as noise, never its value) and their coverage.
 */
function renderAuth(ctx: BuildContext, recipe: CaseRecipe): { auth: Record<string, string>; description: string; noise: string[]; coverage: Record<string, string> } {
  const { model } = ctx;
  const coverage: Record<string, string> = {};
  const appToken = appTokenNoiseOf(model, recipe);
  const noise = recipe.noise.map((h) => (h === appToken ? `${h.name} noise (${appTokenShapeOf(model, h.value)}, ${h.value.length} characters)` : `${h.name} noise`));
  if (appToken) coverage[appToken.name] = appTokenShapeOf(model, appToken.value);
  if (recipe.auth.kind === 'bad') return { auth: { ...recipe.auth.headers }, description: recipe.auth.variant, noise, coverage };
  const credential = credentialFor([...ctx.credentials], recipe.auth.scheme);
  if (!credential) throw new Error(`no configured credential for ${recipe.auth.scheme}`);
  const word = recipe.auth.schemeWord !== undefined ? schemeWordOf(model, recipe.auth) : undefined;
  const appTokenHeader = model.headers.find((h) => h.role === 'app-token');
  if (!appToken && ctx.appToken && appTokenHeader) coverage[appTokenHeader.name] = 'configured';
  return { auth: authHeaders(model, credential, ctx.appToken, sendAs(model, recipe)), description: word ? `${recipe.auth.scheme} as ${word}` : recipe.auth.scheme, noise, coverage };
}

export async function buildCase(ctx: BuildContext, recipe: CaseRecipe): Promise<Case> {
  const { model } = ctx;
  const { body, description: bodyDescription, coverage } = await renderBody(ctx, recipe);
  const headers: Record<string, string> = {};
  if (recipe.accept !== undefined) headers.accept = recipe.accept;
  for (const h of [...recipe.language, ...recipe.noise]) headers[h.name.toLowerCase()] = h.value;
  const { auth, description: authDescription, noise, coverage: authCoverage } = renderAuth(ctx, recipe);
  const parts = [
    `${recipe.method} person ${recipe.person.segment}${recipe.person.class === 'configured' ? '' : ` (${recipe.person.class})`}`,
    bodyDescription,
    `auth: ${authDescription}`,
    `Accept: ${recipe.accept ?? '(none)'}`,
  ];
  for (const h of recipe.language) parts.push(`${h.name}: ${h.value}${h.malformed ? ' (malformed)' : ''}`);
  parts.push(...noise);
  if (recipe.alsoWrong) parts.push(`also wrong: ${recipe.alsoWrong}`);
  const cov: Record<string, string> = { family: recipe.family, method: recipe.method, auth: authDescription, Accept: recipe.accept ?? '(none)', 'person id': recipe.person.class, ...coverage, ...authCoverage };
  for (const h of recipe.language) cov[h.name] = h.malformed ? 'malformed' : h.value;
  return {
    recipe,
    description: parts.join('; '),
    // A `%` goes out as it is: a segment holds its escapes as sent (person-ids.ts writes malformed ones on purpose).
    path: personPath(model.imagePath, model.personIdParameter.name, encodeURIComponent(recipe.person.segment).replace(/%25/g, '%')),
    headers,
    authHeaders: auth,
    body,
    bodyDescription,
    coverage: cov,
  };
}
