/**
 * What a save's body holds, judged with the reference target's own steps (no second decoder):
 * its Content-Type read against the spec's request types (`checkContentType`), the image taken out
 * of a multipart body (`extractImage`, busboy), and the image validated (`validateImage`: signature,
 * structure, every pixel decoded by sharp).
 */
import type { BodyFacts } from '../checks/client/types.js';
import { sniffImageFormat } from '../generate/images/media-types.js';
import type { SpecModel } from '../spec/model.js';
import { checkContentType } from '../target/content-type.js';
import { validateImage } from '../target/image-validation.js';
import { extractImage } from '../target/multipart.js';
import { ImageStore } from '../target/store.js';
import type { TargetContext } from '../target/types.js';

/**
 * The context the reference target's steps read: those used here read only the model and the body
 * limit; the store and the credentials are empty (nothing is stored or authenticated).
 */
function inspectionContext(model: SpecModel, maxBodyBytes: number): TargetContext {
  const none = '';
  return { model, maxBodyBytes, store: new ImageStore([]), credentials: { basic: { user: none, password: none }, soticket: none, bearer: none, session: { cookie: none, xsrfToken: none } } };
}

export interface SeenBody {
  contentType: string | undefined;
  /** The whole body, or undefined when it went over the inspection limit. */
  bytes: Buffer | undefined;
  size: number;
}

/** The image bytes of the body: the raw body, or the multipart image part (else why it has none). */
async function imageBytes(b: SeenBody & { bytes: Buffer }, ctx: TargetContext, decision: ReturnType<typeof checkContentType>): Promise<{ bytes?: Buffer; missing?: string }> {
  if (decision.ok && decision.kind === 'multipart') {
    const part = await extractImage(decision, b.bytes, ctx);
    return part.ok ? { bytes: part.bytes } : { missing: part.message };
  }
  // A body declared as anything but multipart is read as the image it carries.
  if (/^\s*multipart\//i.test(b.contentType ?? '')) return {};
  return { bytes: b.bytes };
}

export async function inspectBody(model: SpecModel, body: SeenBody, maxBodyBytes: number): Promise<BodyFacts> {
  const ctx = inspectionContext(model, maxBodyBytes);
  const decision = checkContentType(body.contentType, ctx);
  const facts: BodyFacts = {
    size: body.size,
    overLimit: body.bytes === undefined,
    declared: decision.ok ? (decision.kind === 'raw' ? { kind: 'raw', mediaType: decision.mediaType } : { kind: 'multipart' }) : { kind: 'undeclared', reason: decision.message },
    ...(body.contentType !== undefined ? { contentType: body.contentType } : {}),
  };
  if (body.bytes === undefined) return facts;
  const image = await imageBytes({ ...body, bytes: body.bytes }, ctx, decision);
  if (image.missing !== undefined) facts.missingField = image.missing;
  if (image.bytes === undefined) return facts;
  const sniffed = sniffImageFormat(image.bytes);
  if (sniffed) facts.sniffed = sniffed;
  facts.validation = await validateImage(image.bytes, body.contentType, ctx);
  return facts;
}
