/**
 * The integration our pacts describe, as the consumer tests exercise it: save an image, read
 * back the blob id from a JSON or XML answer.
 */
import { request, type FormData } from 'undici';
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

/** The integer a JSON or XML answer carries, or undefined when it holds none. */
export function readBlobId(contentType: string | undefined, text: string): number | undefined {
  const family = contentType ? mediaFamily(contentType) : 'other';
  if (family === 'json') {
    try {
      const value: unknown = JSON.parse(text);
      return Number.isInteger(value) ? (value as number) : undefined;
    } catch {
      return undefined;
    }
  }
  if (family === 'xml') {
    const m = /^\s*(?:<\?xml[^>]*\?>\s*)?<([A-Za-z_][\w.-]*)(?:\s[^>]*)?>\s*(-?\d+)\s*<\/\1>\s*$/.exec(text);
    return m?.[2] !== undefined ? Number(m[2]) : undefined;
  }
  return undefined;
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
