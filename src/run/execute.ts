/**
 * Sends one case through its family: the family (src/generate/families/) decides the requests
 * around the case (the baseline without language headers, ImageInfo before and after a refused
 * request, ImageInfo and the image after an upload); this module gives it the `CaseIo` to make
 * them with. Requests with a valid credential take it from the keeper when they are sent, and a
 * refusal of a credential the target accepted earlier is told apart from a broken rule (see
 * `sendAuthenticated`).
 */
import { imageFacts } from '../checks/round-trip.js';
import type { CredentialScheme } from '../config/credentials.js';
import { sendAs } from '../generate/auth.js';
import type { Case } from '../generate/case.js';
import { familyOf, type CaseIo, type Executed } from '../generate/families/index.js';
import type { SpecModel } from '../spec/model.js';
import { personPath } from '../spec/model.js';
import type { TargetSession, WireRequest } from '../transport/target-session.js';
import type { Observation } from '../transport/observation.js';
import type { SendAs } from '../transport/auth-headers.js';
import type { CredentialKeeper } from './credential-keeper.js';
import { imageInfoBlobId } from '../checks/decode-blob-id.js';

export type { Executed } from '../generate/families/index.js';

export interface ExecutionContext {
  session: TargetSession;
  model: SpecModel;
  credentials: CredentialKeeper;
  /** The configured person: the known-good ImageInfo read that tells an expired credential from a broken rule. */
  personId: number;
}

const refused = (o: Observation) => o.status === 401 || o.status === 403;

/** Renewals one request may ask for before its answer is taken as it is. */
const MAX_RENEWALS_PER_REQUEST = 2;

/**
 * Sends a request with the scheme's current credential. When the target refuses a credential it
 * accepted earlier, a plain ImageInfo read with the same credential decides: refused too, the
 * credential expired (renewed, and the request sent again; or CredentialExpiredError); accepted,
 * the refusal is the target's answer to this request and is judged. The request is sent `as` its
 * recipe says (its scheme word, its own SO-AppToken); the read is plain, so that a refused scheme
 * word or app token is judged, never taken for an expired credential.
 */
async function sendAuthenticated(ctx: ExecutionContext, scheme: CredentialScheme, build: (auth: Record<string, string>) => WireRequest, as: SendAs = {}): Promise<Observation> {
  const keeper = ctx.credentials;
  for (let renewals = 0; ; renewals++) {
    const generation = keeper.generation(scheme);
    const o = await ctx.session.send(build(keeper.headers(scheme, as)));
    if (!refused(o) || !keeper.wasAccepted(scheme) || renewals >= MAX_RENEWALS_PER_REQUEST) return o;
    if (keeper.generation(scheme) === generation) {
      const path = personPath(ctx.model.imageInfoPath, ctx.model.personIdParameter.name, String(ctx.personId));
      const probe = await ctx.session.send({ method: 'GET', path, headers: { ...keeper.headers(scheme), accept: 'application/json' }, expectHealthy: true });
      if (!refused(probe)) return o;
      await keeper.renew(scheme, generation);
    }
  }
}

/** The case as the family asks for it: with its own headers or others (the baseline), and the credential its recipe names. */
function sendCase(ctx: ExecutionContext, c: Case, headers: Record<string, string>, expectHealthy: boolean): Promise<Observation> {
  const request = (auth: Record<string, string>): WireRequest => ({ method: c.recipe.method, path: c.path, headers: { ...headers, ...auth }, body: c.body, expectHealthy });
  const auth = c.recipe.auth;
  return auth.kind === 'valid' ? sendAuthenticated(ctx, auth.scheme, request, sendAs(ctx.model, c.recipe)) : ctx.session.send(request(c.authHeaders));
}

function read(ctx: ExecutionContext, template: string, segment: string, accept?: string): Promise<Observation> {
  const path = personPath(template, ctx.model.personIdParameter.name, encodeURIComponent(segment));
  const expectHealthy = segment === String(Number(segment)) && Number(segment) > 0;
  return sendAuthenticated(ctx, ctx.credentials.readScheme, (auth) => ({ method: 'GET', path, headers: { ...auth, ...(accept ? { accept } : {}) }, expectHealthy }));
}

async function blobId(ctx: ExecutionContext, segment: string): Promise<number | undefined> {
  const o = await read(ctx, ctx.model.imageInfoPath, segment, 'application/json');
  return o.status === 200 ? imageInfoBlobId(o.body) : undefined;
}

/**
 * The requests a family may make for case `c`. The case's own requests are counted by the circuit
 * breaker when its family expects a healthy server to answer them below 500 (a 5xx on invalid
 * input is a finding, not sickness).
 */
function caseIo(ctx: ExecutionContext, c: Case, expectHealthy: boolean): CaseIo {
  return {
    send: (headers) => sendCase(ctx, c, headers ?? c.headers, expectHealthy),
    read: (template, segment, accept) => read(ctx, template, segment, accept),
    blobId: (segment) => blobId(ctx, segment),
    imageFacts,
    paths: { imageInfo: ctx.model.imageInfoPath, image: ctx.model.imagePath },
  };
}

/** Sends one case and the requests its family makes around it. */
export async function executeCase(ctx: ExecutionContext, c: Case): Promise<Executed> {
  const family = familyOf(c.recipe.family);
  return family.execute(caseIo(ctx, c, family.expectHealthy), c);
}
