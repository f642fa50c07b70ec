/**
 * The integration our pacts describe, as the consumer tests exercise it: save an image, read
 * back the blob id from a JSON or XML answer. It talks to the Pact mock server through a target
 * session, like every request of the suite.
 */
import { randomUUID } from 'node:crypto';
import { decodeBlobId } from '../checks/decode-blob-id.js';
import type { CaseBody } from '../generate/case.js';
import { mediaFamily } from '../spec/model.js';
import { TargetSession } from '../transport/target-session.js';

/** The image as the multipart form's file field. */
interface FilePart {
  field: string;
  filename: string;
  contentType: string;
  bytes: Uint8Array;
}

export interface SaveImageRequest {
  method: string;
  /** Full URL of the person's image. */
  url: string;
  /** Headers as sent (a raw body's Content-Type among them). */
  headers: Record<string, string>;
  /** Raw bytes, or the file part of a multipart form. */
  body?: Uint8Array | FilePart;
}

export interface SaveImageAnswer {
  status: number;
  contentType?: string;
  /** The blob id, when the answer carries one. */
  blobId?: number;
}

/** The blob id a JSON or XML answer carries (read as the checks read it), or undefined when it holds none. */
function readBlobId(contentType: string | undefined, body: Uint8Array): number | undefined {
  if (!contentType) return undefined;
  return decodeBlobId(body, { type: contentType, family: mediaFamily(contentType), schema: {} });
}

function caseBody(body: SaveImageRequest['body']): CaseBody | undefined {
  if (body === undefined) return undefined;
  if (body instanceof Uint8Array) return { kind: 'raw', bytes: body };
  return { kind: 'multipart', parts: [body] };
}

export async function saveImage(req: SaveImageRequest): Promise<SaveImageAnswer> {
  const url = new URL(req.url);
  const session = new TargetSession({ baseUrl: url.origin, timeoutMs: 10_000, concurrency: 1, runId: randomUUID() });
  try {
    const body = caseBody(req.body);
    const o = await session.send({ method: req.method, path: `${url.pathname}${url.search}`, headers: req.headers, ...(body ? { body } : {}) });
    if (o.status === undefined) throw new Error(`${req.method} ${req.url}: no answer (${o.error?.code ?? 'error'}: ${o.error?.message ?? ''})`);
    const contentType = o.headers['content-type'];
    const answer: SaveImageAnswer = { status: o.status };
    if (contentType) answer.contentType = contentType;
    const blobId = readBlobId(contentType, o.body);
    if (blobId !== undefined) answer.blobId = blobId;
    return answer;
  } finally {
    await session.close();
  }
}
