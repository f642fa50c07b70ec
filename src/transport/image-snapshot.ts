/**
 * Saves the configured person's image before a run and puts it back afterwards: PUT of the saved
 * bytes with their Content-Type, or DELETE when the person had none. Through the target session
 * like every request; the restore bypasses the circuit breaker (it must run after a trip too).
 */
import { ConfigError, ConnectivityError } from '../errors.js';
import { sniffImageFormat } from '../generate/images/media-types.js';
import type { ImageRestore } from '../report/types.js';
import type { SpecModel } from '../spec/model.js';
import { personPath } from '../spec/model.js';
import { apiBaseHint } from '../spec/paths.js';
import type { TargetSession } from './target-session.js';

export interface ImageSnapshot {
  personId: number;
  /** The saved image, or undefined when the person had none (GET answered 404). */
  image?: { bytes: Buffer; contentType: string };
}

export interface ImageSessionContext {
  session: TargetSession;
  model: SpecModel;
  /** Headers that authenticate (see authHeaders). */
  headers: Record<string, string>;
  /** Attempts of the restore when the target fails it (5xx, no answer). Default 3. */
  restoreAttempts?: number;
}

/** The largest image the snapshot keeps whole. */
const MAX_IMAGE_BYTES = 512 * 1024 * 1024;

function imagePath(ctx: ImageSessionContext, personId: number): string {
  return personPath(ctx.model.imagePath, ctx.model.personIdParameter.name, String(personId));
}

export async function snapshotImage(ctx: ImageSessionContext, personId: number): Promise<ImageSnapshot> {
  const path = imagePath(ctx, personId);
  const o = await ctx.session.send({ method: 'GET', path, headers: ctx.headers, maxResponseBytes: MAX_IMAGE_BYTES, expectHealthy: true });
  if (o.status === undefined) throw new ConnectivityError(`cannot reach the target ${ctx.session.baseUrl}: ${o.error?.code ?? 'error'} (${o.error?.message ?? ''}) when saving person ${personId}'s image`);
  const snapshot: ImageSnapshot = { personId };
  if (o.status === 200 && o.body.length > 0) {
    const type = o.headers['content-type'] ?? 'application/octet-stream';
    // Only an image is ever put back: a web page answered in its place means the URL is not the API.
    if (!sniffImageFormat(o.body)) {
      throw new ConfigError(
        `GET ${path} answered 200 with ${o.body.length} bytes of ${type.split(';')[0]} that are no image; ` +
          `is --target the API's base URL (up to and including ${ctx.model.apiBase})?${apiBaseHint(ctx.session.baseUrl, ctx.model.apiBase)}`,
      );
    }
    snapshot.image = { bytes: o.body, contentType: type };
  } else if (o.status !== 404) {
    const location = o.status >= 300 && o.status < 400 ? o.headers.location : undefined;
    throw new ConnectivityError(
      `cannot save person ${personId}'s image before the run: GET answered ${o.status}` +
        (location !== undefined ? ` (a redirect to ${location.split('?')[0]}; redirects are not followed, so that credentials stay at the target's origin: give the final URL as --target)` : ''),
    );
  }
  return snapshot;
}

/** The restore was refused (a 4xx: not worth retrying) or failed (5xx: retried). */
export class RestoreRefused extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
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

async function restoreOnce(ctx: ImageSessionContext, snapshot: ImageSnapshot): Promise<ImageRestore> {
  const path = imagePath(ctx, snapshot.personId);
  const who = `person ${snapshot.personId}`;
  if (snapshot.image) {
    const contentType = snapshot.image.contentType.split(';')[0]?.trim() ?? snapshot.image.contentType;
    const o = await ctx.session.send({ method: 'PUT', path, headers: ctx.headers, body: { kind: 'raw', contentType, bytes: snapshot.image.bytes }, bypassBreaker: true });
    if (o.status === undefined) throw new Error(`restoring ${who}'s image failed: PUT got no answer (${o.error?.code ?? 'error'}: ${o.error?.message ?? ''})`);
    if (o.status !== 200) throw new RestoreRefused(`restoring ${who}'s image failed: PUT answered ${o.status}`, o.status);
    return { outcome: 'restored', message: `${who}'s image restored (${snapshot.image.bytes.length} bytes, ${contentType})` };
  }
  const o = await ctx.session.send({ method: 'DELETE', path, headers: ctx.headers, bypassBreaker: true });
  if (o.status === undefined) throw new Error(`removing the run's image from ${who} failed: DELETE got no answer (${o.error?.code ?? 'error'}: ${o.error?.message ?? ''})`);
  if (o.status >= 300 && o.status !== 404) throw new RestoreRefused(`removing the run's image from ${who} failed: DELETE answered ${o.status}`, o.status);
  return { outcome: 'removed', message: `${who} had no image; the run's image was removed` };
}
