/** Rules on the state after an upload: ImageInfo's BlobId and GET Image. */
import sharp from 'sharp';
import type { Check } from './types.js';
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
    return pass;
  },
};

/** Whether bytes decode as an image (used by the engine to enrich the GET Image observation). */
export async function imageDecodes(bytes: Uint8Array): Promise<boolean> {
  try {
    const m = await sharp(bytes).metadata();
    return (m.width ?? 0) > 0 && (m.height ?? 0) > 0;
  } catch {
    return false;
  }
}
