/**
 * The default (strict) behaviour of the reference target: one named step per decision. A test
 * builds a broken or lenient target by replacing one step, e.g.
 * `startReferenceTarget({ behaviour: { serializeBlobId: (mt, id) => defaultBehaviour.serializeBlobId(mt, String(id)) } })`.
 */
import { authenticate } from './auth.js';
import { readBody } from './body.js';
import { checkContentType } from './content-type.js';
import { errorBody } from './errors.js';
import { validateImage } from './image-validation.js';
import { extractImage } from './multipart.js';
import { negotiate, serializeBlobId } from './negotiation.js';
import { parsePersonId, personExists } from './person.js';
import { deleteImage, getImage, imageInfo } from './resource.js';
import type { TargetBehaviour } from './types.js';

const steps: TargetBehaviour = {
  /** Basic / ticket / bearer (scheme word case-insensitive) or session cookie with a matching XSRF header; else 401. */
  authenticate,
  /** An int32 segment greater than zero; anything else 400. */
  parsePersonId,
  /** Only the seeded persons exist; an unknown one gets 400. */
  personExists,
  /** One of the spec's raw image types, or its multipart type with a boundary; else 400. */
  checkContentType,
  /** The whole body up to the limit; beyond it 413, reading and dropping the rest. */
  readBody,
  /** The raw body, or the multipart file field named by the spec (missing: 400). */
  extractImage,
  /** Sniffed signature, hand-checked structure, every pixel decoded by sharp; any fault 400. */
  validateImage,
  /** A new positive, increasing blob id; the image is stored under its sniffed media type. */
  storeImage(personId, bytes, image, ctx) {
    return ctx.store.put(personId, { bytes, mediaType: image.mediaType, width: image.width, height: image.height });
  },
  /** The declared 200 type Accept prefers; no Accept or nothing producible: the first JSON type. */
  negotiate,
  /** JSON: a bare number; XML: `<name xmlns="namespace">N</name>` from the schema's xml object. */
  serializeBlobId,
  /** The SuperOffice error object as the spec's error media type. */
  errorBody,
  /** The BlobEntity of the person's photo; BlobId 0 when there is none. */
  imageInfo,
  /** The stored image (converted/scaled on request); 404 without one unless the blank option is given. */
  getImage,
  /** Removes the image; 204 whether or not there was one. */
  deleteImage,
};

export const defaultBehaviour: Readonly<TargetBehaviour> = Object.freeze(steps);
