/**
 * The shapes shared by the reference target's steps. Every decision the server makes is one
 * step of `TargetBehaviour` (see behaviour.ts), so a test can replace exactly one of them.
 */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { ResponseMediaType, SpecModel } from '../spec/model.js';
import type { ImageStore } from './store.js';

export interface TargetCredentials {
  basic: { user: string; password: string };
  soticket: string;
  bearer: string;
  session: { cookie: string; xsrfToken: string };
  /** When set, a ticket is only accepted together with this application token. */
  appToken?: string;
}

/** A refusal: the status and message the server answers with (as an error body), and headers to send with it. */
interface Refusal {
  ok: false;
  status: number;
  message: string;
  /** Headers of the answer (a behaviour override that throttles adds Retry-After). */
  headers?: Record<string, string>;
}

export type Result<T> = ({ ok: true } & T) | Refusal;

/** What every step may read: the spec model, this start's credentials and the image store. */
export interface TargetContext {
  model: SpecModel;
  credentials: TargetCredentials;
  store: ImageStore;
  maxBodyBytes: number;
}

export type ImageFormat = 'png' | 'jpeg' | 'gif' | 'tiff';

export type ContentTypeDecision = Result<{ kind: 'raw'; mediaType: string } | { kind: 'multipart'; mediaType: string; boundary: string }>;

export type ImageValidation =
  | { ok: true; format: ImageFormat; mediaType: string; width: number; height: number; pages: number }
  | { ok: false; reason: string };

export interface ErrorBody {
  contentType: string;
  body: string;
}

export interface GetImageAnswer {
  status: number;
  contentType?: string;
  body: Buffer | string;
}

export interface TargetBehaviour {
  /** Checks the request's credentials (Basic, ticket, bearer or session cookie + XSRF header); first of all checks. */
  authenticate(headers: IncomingHttpHeaders, ctx: TargetContext): Result<{ scheme: string }>;
  /** Turns the path segment into a person id (int32, > 0), or refuses it. */
  parsePersonId(segment: string, ctx: TargetContext): Result<{ id: number }>;
  /** Whether the person exists. */
  personExists(id: number, ctx: TargetContext): boolean;
  /** Accepts one of the declared request media types (raw image or multipart with a boundary), or refuses. */
  checkContentType(contentType: string | undefined, ctx: TargetContext): ContentTypeDecision;
  /** Reads the whole body, refusing (413) beyond `limit` bytes without buffering the rest. */
  readBody(req: IncomingMessage, limit: number): Promise<Result<{ body: Buffer }>>;
  /** Takes the image bytes out of the body: the raw body, or the multipart file field. */
  extractImage(decision: ContentTypeDecision & { ok: true }, body: Buffer, ctx: TargetContext): Promise<Result<{ bytes: Buffer }>>;
  /** Decides, by the bytes alone, whether they are a whole, undamaged image of a supported format. */
  validateImage(bytes: Buffer, declaredType: string | undefined, ctx: TargetContext): Promise<ImageValidation>;
  /** Stores the image as the person's photo and answers its blob id (positive, increasing). */
  storeImage(personId: number, bytes: Buffer, image: ImageValidation & { ok: true }, ctx: TargetContext): number;
  /** Picks the 200 media type for an Accept header, or 'not-acceptable'. */
  negotiate(accept: string | undefined, ctx: TargetContext): ResponseMediaType | 'not-acceptable';
  /** Serializes a blob id in a response media type. */
  serializeBlobId(mediaType: ResponseMediaType, id: number | string): string;
  /** The body of an error answer. */
  errorBody(status: number, message: string, ctx: TargetContext): ErrorBody;
  /** The BlobEntity of the person's image (BlobId 0 when there is none). */
  imageInfo(personId: number, ctx: TargetContext): Record<string, unknown>;
  /** The answer to GET Image with its query (the stored image, converted or scaled; 404 when none). */
  getImage(personId: number, query: URLSearchParams, ctx: TargetContext): Promise<GetImageAnswer>;
  /** Removes the person's image; answers the status (204). */
  deleteImage(personId: number, ctx: TargetContext): number;
}
