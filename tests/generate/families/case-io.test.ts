/**
 * The CaseIo the engine gives a family (src/run/execute.ts): the wire requests of a case and its
 * extra reads, with the credentials and the circuit breaker's expectHealthy as before the
 * families owned their requests.
 */
import { describe, expect, it } from 'vitest';
import type { CaseFamily, CaseRecipe } from '../../../src/generate/case.js';
import { CredentialKeeper } from '../../../src/run/credential-keeper.js';
import { executeCase, type ExecutionContext } from '../../../src/run/execute.js';
import type { TargetSession, WireRequest } from '../../../src/transport/target-session.js';
import { Redactor } from '../../../src/transport/redact.js';
import { bad, caseOf, credentials, header, obs, pngBytes, PERSON_ID, specContext } from '../../checks/fixtures.js';

/** An ExecutionContext whose session answers `status` to the case, and ImageInfo and a PNG to reads. */
async function fakeContext(status: number) {
  const { model } = await specContext();
  const wire: WireRequest[] = [];
  const png = await pngBytes();
  const session = {
    send: async (r: WireRequest) => {
      wire.push(r);
      if (r.method !== 'GET') return obs(status);
      return r.path.endsWith('/Image') ? obs(200, png, { 'content-type': 'image/png' }) : obs(200, '{"BlobId":42}', { 'content-type': 'application/json' });
    },
  } as unknown as TargetSession;
  const keeper = new CredentialKeeper(credentials, { model, redactor: new Redactor([], []) });
  const ctx: ExecutionContext = { session, model, credentials: keeper, personId: PERSON_ID };
  return { ctx, wire };
}

/** method, path, expectHealthy and whether an Authorization header went along, per request. */
const summary = (wire: WireRequest[]) => wire.map((r) => `${r.method} ${r.path} healthy=${Boolean(r.expectHealthy)} auth=${r.headers['authorization'] !== undefined}`);

const I = `/Person/${PERSON_ID}/ImageInfo`;
const IMG = `/Person/${PERSON_ID}/Image`;
const CASE = `/Person/${PERSON_ID}/Image`;

const ROWS: [string, CaseFamily, Partial<CaseRecipe>, number, string[]][] = [
  ['a valid upload counts for the breaker', 'valid-upload', {}, 200, [`PUT ${CASE} healthy=true auth=true`]],
  ['a round trip reads the image, uploads, and reads back after a 200', 'round-trip', {}, 200, [`GET ${IMG} healthy=true auth=true`, `PUT ${CASE} healthy=true auth=true`, `GET ${I} healthy=true auth=true`, `GET ${IMG} healthy=true auth=true`]],
  ['a round trip answered 400 reads nothing after it', 'round-trip', {}, 400, [`GET ${IMG} healthy=true auth=true`, `PUT ${CASE} healthy=true auth=true`]],
  ['language headers send the baseline first', 'language-headers', { language: [header('Accept-Language', 'en')] }, 200, [`PUT ${CASE} healthy=false auth=true`, `PUT ${CASE} healthy=false auth=true`]],
  ['bad credentials: BlobId before and after', 'auth', { auth: bad.none() }, 401, [`GET ${I} healthy=true auth=true`, `PUT ${CASE} healthy=false auth=false`, `GET ${I} healthy=true auth=true`]],
  ['a person id that is no person', 'person-id', {}, 404, [`PUT /Person/0/Image healthy=false auth=true`]],
];

describe('executeCase', () => {
  it.each(ROWS)('%s', async (_what, family, overrides, status, want) => {
    const { ctx, wire } = await fakeContext(status);
    const c = await caseOf(family, overrides);
    const { o, extra } = await executeCase(ctx, c);
    expect(summary(wire)).toEqual(want);
    expect(o.status).toBe(status);
    if (family === 'round-trip' && status === 200) expect(extra).toMatchObject({ imageInfo: { status: 200 }, image: { status: 200 }, imageDecodes: true });
    if (family === 'auth') expect(extra).toEqual({ blobIdBefore: 42, blobIdAfter: 42 });
  });

  it('sends the baseline without the language headers, then the case with them', async () => {
    const { ctx, wire } = await fakeContext(200);
    const { extra } = await executeCase(ctx, await caseOf('language-headers', { language: [header('Accept-Language', 'en'), header('SO-Culture', 'nb-NO')] }));
    expect(wire.map((r) => [r.headers['accept-language'], r.headers['so-culture']])).toEqual([
      [undefined, undefined],
      ['en', 'nb-NO'],
    ]);
    expect(extra).toEqual({ baselineStatus: 200 });
  });
});
