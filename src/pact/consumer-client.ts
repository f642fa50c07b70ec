/**
 * The integration our pacts describe, as the consumer tests exercise it: save an image, read
 * back the blob id from a JSON or XML answer.
 */
import { request, type FormData } from 'undici';
import { decodeBlobId } from '../checks/decode-blob-id.js';
import { mediaFamily } from '../spec/model.js';

export interface SaveImageRequest {
  method: string;
  /** Full URL of the person's image. */
  url: string;
  headers: Record<string, string>;
  body?: Buffer | FormData;
}

export interface SaveImageAnswer {
  status: number;
  contentType?: string;
  /** The blob id, when the answer carries one. */
  blobId?: number;
}

/** The blob id a JSON or XML answer carries (read as the checks read it), or undefined when it holds none. */
function readBlobId(contentType: string | undefined, text: string): number | undefined {
  if (!contentType) return undefined;
  return decodeBlobId(text, { type: contentType, family: mediaFamily(contentType), schema: {} });
}

export async function saveImage(req: SaveImageRequest): Promise<SaveImageAnswer> {
  const res = await request(req.url, {
    method: req.method as 'PUT',
    headers: req.headers,
    ...(req.body !== undefined ? { body: req.body } : {}),
  });
  const text = await res.body.text();
  const header = res.headers['content-type'];
  const contentType = Array.isArray(header) ? header[0] : header;
  const answer: SaveImageAnswer = { status: res.statusCode };
  if (contentType) answer.contentType = contentType;
  const blobId = readBlobId(contentType, text);
  if (blobId !== undefined) answer.blobId = blobId;
  return answer;
}
