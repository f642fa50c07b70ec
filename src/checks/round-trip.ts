/** Rules on the state after an upload: ImageInfo's BlobId and GET Image. */
import sharp from 'sharp';
import type { Case } from '../generate/case.js';
import type { CaseExtra, Check, ImageFacts } from './types.js';
import { answered, pass, violation } from './types.js';
import { blobIdOf } from './valid-upload.js';
import { decodeJsonBody } from './decode-blob-id.js';
import { traitsOf } from './case-classes.js';
import { sniffImageFormat } from '../generate/images/media-types.js';
import { contentTypeOf } from '../transport/observation.js';

/** Cases whose family reads ImageInfo and the image back after a 200. */
const readBack = (c: Parameters<Check['applies']>[0]) => traitsOf(c).readsBackAfterUpload;

export const imageInfoFollowsUpload: Check = {
  applies: readBack,
  judge: (input) => {
    const id = blobIdOf(input);
    if (id === undefined) return pass;
    const info = input.extra.imageInfo;
    if (!info) return violation('ImageInfo was not read after the upload');
    if (info.status !== 200) return violation(`GET ImageInfo after the upload ${answered(info)}, expected 200`);
    const decoded = decodeJsonBody(info.body);
    if (!decoded.ok) return violation('GET ImageInfo answered a body that is not JSON');
    const entity = decoded.value;
    if (!input.ctx.imageInfoValidator(entity)) return violation(`ImageInfo is not a BlobEntity: ${input.ctx.imageInfoValidator.errors?.[0]?.message ?? ''}`);
    const got = (entity as { BlobId?: unknown }).BlobId;
    return got === id ? pass : violation(`the upload answered blob id ${id}, but ImageInfo's BlobId is ${JSON.stringify(got)}`);
  },
};

export const imageReadableAfterUpload: Check = {
  applies: readBack,
  judge: (input) => {
    if (blobIdOf(input) === undefined) return pass;
    const img = input.extra.image;
    if (!img) return violation('the image was not read after the upload');
    if (img.status !== 200) return violation(`GET Image after the upload ${answered(img)}, expected 200`);
    const type = contentTypeOf(img);
    if (!input.ctx.model.imageMediaTypes.includes(type)) return violation(`GET Image answered Content-Type ${JSON.stringify(type || '(none)')}, not an image type of the spec`);
    const format = sniffImageFormat(img.body);
    if (!format) return violation(`GET Image answered ${img.body.length} bytes that start with no image signature`);
    if (input.extra.imageDecodes === false) return violation(`GET Image answered a ${format} that does not decode`);
    const other = notTheUpload(input.c, img.body, input.extra);
    return other ? violation(other) : pass;
  },
};

/** What bytes decode to (format and size), or undefined when they are no image (used by the engine to enrich GET Image). */
export async function imageFacts(bytes: Uint8Array): Promise<ImageFacts | undefined> {
  try {
    const m = await sharp(bytes).metadata();
    const height = m.pageHeight ?? m.height ?? 0;
    return (m.width ?? 0) > 0 && height > 0 ? { format: m.format ?? 'unknown', width: m.width!, height } : undefined;
  } catch {
    return undefined;
  }
}

/** Whether bytes decode as an image. */
export async function imageDecodes(bytes: Uint8Array): Promise<boolean> {
  return (await imageFacts(bytes)) !== undefined;
}

/** Whether `served` is `uploaded` at another scale (within a pixel of rounding on either side). */
function sameAspect(uploaded: { width: number; height: number }, served: ImageFacts): boolean {
  const { width: wu, height: hu } = uploaded;
  const { width: ws, height: hs } = served;
  return Math.abs(ws - (hs * wu) / hu) <= 1 || Math.abs(hs - (ws * hu) / wu) <= 1;
}

/**
 * Why GET Image does not answer the uploaded image, or undefined when it may be it: the server may
 * re-encode (any format) or scale (the same aspect ratio), but an image of other proportions is
 * another image: an older one, when the same bytes were served before the upload.
 */
function notTheUpload(c: Case, served: Buffer, extra: CaseExtra): string | undefined {
  const b = c.recipe.body;
  const facts = extra.imageFacts;
  if (!facts || b.kind !== 'image') return undefined;
  const upload = { width: b.image.width, height: b.image.height };
  if ((facts.width === upload.width && facts.height === upload.height) || sameAspect(upload, facts)) return undefined;
  const older = extra.imageBefore?.bytes.equals(served) ? ', the same bytes as before the upload,' : '';
  return `GET Image answers a ${facts.width}x${facts.height} image${older} after a ${upload.width}x${upload.height} upload: not the uploaded image (an older one?)`;
}
