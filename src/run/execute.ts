/**
 * Sends one case and gathers what its rules need around it: the baseline without language
 * headers, ImageInfo before and after a refused request, ImageInfo and the image after an upload.
 */
import type { CaseExtra } from '../checks/types.js';
import { imageDecodes } from '../checks/round-trip.js';
import type { Case } from '../generate/case.js';
import type { SpecModel } from '../spec/model.js';
import { personPath } from '../spec/model.js';
import type { Transport } from '../transport/client.js';
import type { Observation } from '../transport/observation.js';
import { blobIdOfImageInfo } from './image-session.js';

export interface ExecutionContext {
  transport: Transport;
  model: SpecModel;
  /** Headers of the first configured credential, for reads of the person's state. */
  readHeaders: Record<string, string>;
}

export interface Executed {
  o: Observation;
  extra: CaseExtra;
}

function send(ctx: ExecutionContext, c: Case, headers: Record<string, string>): Promise<Observation> {
  // Valid uploads are what a healthy server answers below 500: the circuit breaker counts them (a 5xx on invalid input is a finding, not sickness).
  const expectHealthy = c.recipe.family === 'valid-upload' || c.recipe.family === 'round-trip';
  return ctx.transport.send({ method: c.recipe.method, path: c.path, headers: { ...headers, ...c.authHeaders }, body: c.body, expectHealthy });
}

function read(ctx: ExecutionContext, template: string, segment: string, accept?: string): Promise<Observation> {
  const path = personPath(template, ctx.model.personIdParameter.name, encodeURIComponent(segment));
  return ctx.transport.send({ method: 'GET', path, headers: { ...ctx.readHeaders, ...(accept ? { accept } : {}) }, expectHealthy: segment === String(Number(segment)) && Number(segment) > 0 });
}

async function blobId(ctx: ExecutionContext, segment: string): Promise<number | undefined> {
  const o = await read(ctx, ctx.model.imageInfoPath, segment, 'application/json');
  return blobIdOfImageInfo(o.status, o.body.toString('utf8'));
}

export async function executeCase(ctx: ExecutionContext, c: Case): Promise<Executed> {
  const extra: CaseExtra = {};
  const r = c.recipe;
  if (r.family === 'language-headers') {
    const langNames = new Set(r.language.map((h) => h.name.toLowerCase()));
    const baseline = Object.fromEntries(Object.entries(c.headers).filter(([k]) => !langNames.has(k)));
    const b = await send(ctx, c, baseline);
    if (b.status !== undefined) extra.baselineStatus = b.status;
  }
  const watchState = r.family === 'auth' && r.auth.kind === 'bad';
  if (watchState) {
    const id = await blobId(ctx, r.person.segment);
    if (id !== undefined) extra.blobIdBefore = id;
  }
  const o = await send(ctx, c, c.headers);
  if (watchState) {
    const id = await blobId(ctx, r.person.segment);
    if (id !== undefined) extra.blobIdAfter = id;
  }
  if (r.family === 'round-trip' && o.status === 200) {
    extra.imageInfo = await read(ctx, ctx.model.imageInfoPath, r.person.segment, 'application/json');
    extra.image = await read(ctx, ctx.model.imagePath, r.person.segment);
    if (extra.image.status === 200) extra.imageDecodes = await imageDecodes(extra.image.body);
  }
  return { o, extra };
}
