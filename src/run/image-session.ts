/**
 * Saves the configured person's image before a run and puts it back afterwards: PUT of the
 * saved bytes with their Content-Type, or DELETE when the person had none.
 */
import { request, type Dispatcher } from 'undici';
import { ConfigError, ConnectivityError } from '../errors.js';
import { sniffImageFormat } from '../generate/images/media-types.js';
import type { ImageRestore } from '../report/types.js';
import type { SpecModel } from '../spec/model.js';
import { personPath } from '../spec/model.js';
import { userAgent } from '../version.js';

export interface ImageSnapshot {
  personId: number;
  /** The saved image, or undefined when the person had none (GET answered 404). */
  image?: { bytes: Buffer; contentType: string };
  /** ImageInfo's BlobId at the time of the snapshot, when it could be read. */
  blobId?: number;
}

export interface ImageSessionContext {
  baseUrl: string;
  model: SpecModel;
  /** Headers that authenticate (see authHeaders), plus any run-id header. */
  headers: Record<string, string>;
  timeoutMs: number;
  /** The run id sent as X-Conformance-Run (the transport's), so these requests can be told apart in the target's logs. */
  runId?: string;
  /** The run's dispatcher (its TLS settings, e.g. a custom CA); default: undici's global one. */
  dispatcher?: Dispatcher;
  /** Attempts of the restore when the target fails it (5xx, no answer). Default 3. */
  restoreAttempts?: number;
}

function url(ctx: ImageSessionContext, template: string, personId: number): string {
  return ctx.baseUrl + personPath(template, ctx.model.personIdParameter.name, String(personId));
}

function opts(ctx: ImageSessionContext, extra: Record<string, string> = {}) {
  return {
    headers: { 'user-agent': userAgent, ...(ctx.runId ? { 'x-conformance-run': ctx.runId } : {}), ...ctx.headers, ...extra },
    headersTimeout: ctx.timeoutMs,
    bodyTimeout: ctx.timeoutMs,
    // An overall deadline: headers and body (no redirect is followed: undici's request does not).
    signal: AbortSignal.timeout(ctx.timeoutMs * 2),
    ...(ctx.dispatcher ? { dispatcher: ctx.dispatcher } : {}),
  };
}

/** " (did you mean …/api/v1?)" when the base URL does not end in /api/v1, else ''. */
export function apiBaseHint(baseUrl: string): string {
  const base = baseUrl.replace(/\/+$/, '');
  if (/\/api\/v1$/i.test(new URL(base).pathname)) return '';
  return ` (did you mean ${/\/api$/i.test(base) ? `${base}/v1` : `${base}/api/v1`}?)`;
}

/** The BlobId of a 200 ImageInfo body, or undefined when the body holds none. */
export function blobIdOfImageInfo(status: number | undefined, body: string): number | undefined {
  if (status !== 200) return undefined;
  try {
    const id = (JSON.parse(body) as { BlobId?: unknown }).BlobId;
    return typeof id === 'number' ? id : undefined;
  } catch {
    return undefined;
  }
}

/** ImageInfo's BlobId for the person, or undefined when ImageInfo cannot be read. */
export async function readBlobId(ctx: ImageSessionContext, personId: number): Promise<number | undefined> {
  const res = await request(url(ctx, ctx.model.imageInfoPath, personId), { method: 'GET', ...opts(ctx, { accept: 'application/json' }) });
  return blobIdOfImageInfo(res.statusCode, await res.body.text());
}

export async function snapshotImage(ctx: ImageSessionContext, personId: number): Promise<ImageSnapshot> {
  const res = await request(url(ctx, ctx.model.imagePath, personId), { method: 'GET', ...opts(ctx) });
  const bytes = Buffer.from(await res.body.arrayBuffer());
  const snapshot: ImageSnapshot = { personId };
  if (res.statusCode === 200 && bytes.length > 0) {
    const header = res.headers['content-type'];
    const type = (Array.isArray(header) ? header[0] : header) ?? 'application/octet-stream';
    // Only an image is ever put back: a web page answered in its place means the URL is not the API.
    if (!sniffImageFormat(bytes)) {
      throw new ConfigError(
        `GET ${ctx.model.imagePath.replace(/\{[^}]+\}/, String(personId))} answered 200 with ${bytes.length} bytes of ${type.split(';')[0]} that are no image; ` +
          `is --target the API's base URL (up to and including /api/v1)?${apiBaseHint(ctx.baseUrl)}`,
      );
    }
    snapshot.image = { bytes, contentType: type };
  } else if (res.statusCode !== 404) {
    const location = res.statusCode >= 300 && res.statusCode < 400 ? res.headers.location : undefined;
    throw new ConnectivityError(
      `cannot save person ${personId}'s image before the run: GET answered ${res.statusCode}` +
        (location !== undefined ? ` (a redirect to ${String(location).split('?')[0]}; redirects are not followed, so that credentials stay at the target's origin: give the final URL as --target)` : ''),
    );
  }
  const blobId = await readBlobId(ctx, personId);
  if (blobId !== undefined) snapshot.blobId = blobId;
  return snapshot;
}

/**
 * Puts the snapshot back and says what was done. A target that fails the restore (5xx, a dropped
 * connection, a timeout) is given a few more attempts, a second or two apart; a refusal (4xx)
 * throws RestoreRefused at once.
 */
export async function restoreImage(ctx: ImageSessionContext, snapshot: ImageSnapshot): Promise<ImageRestore> {
  const attempts = Math.max(1, ctx.restoreAttempts ?? 3);
  for (let i = 1; ; i++) {
    try {
      return await restoreOnce(ctx, snapshot);
    } catch (e) {
      const retriable = !(e instanceof RestoreRefused) || e.status >= 500;
      if (!retriable || i >= attempts) throw e;
      await new Promise((r) => setTimeout(r, 500 * 2 ** (i - 1)));
    }
  }
}

export class RestoreRefused extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

async function restoreOnce(ctx: ImageSessionContext, snapshot: ImageSnapshot): Promise<ImageRestore> {
  const target = url(ctx, ctx.model.imagePath, snapshot.personId);
  if (snapshot.image) {
    const contentType = snapshot.image.contentType.split(';')[0]?.trim() ?? snapshot.image.contentType;
    const res = await request(target, { method: 'PUT', body: snapshot.image.bytes, ...opts(ctx, { 'content-type': contentType }) });
    await res.body.dump();
    if (res.statusCode !== 200) throw new RestoreRefused(`restoring person ${snapshot.personId}'s image failed: PUT answered ${res.statusCode}`, res.statusCode);
    return { outcome: 'restored', message: `person ${snapshot.personId}'s image restored (${snapshot.image.bytes.length} bytes, ${contentType})` };
  }
  const res = await request(target, { method: 'DELETE', ...opts(ctx) });
  await res.body.dump();
  if (res.statusCode >= 300 && res.statusCode !== 404) throw new RestoreRefused(`removing the run's image from person ${snapshot.personId} failed: DELETE answered ${res.statusCode}`, res.statusCode);
  return { outcome: 'removed', message: `person ${snapshot.personId} had no image; the run's image was removed` };
}
