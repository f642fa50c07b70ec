/**
 * Each family object on its own: the requests its `execute` sends through a fake CaseIo (the
 * baseline first for language headers, BlobId before and after for bad credentials, the reads
 * after a 200 for round-trip and none after a 4xx, the image before the upload first), `requestsPerCase` against what `execute`
 * sends, and the flags the engine, the plan and the checks ask (serial, expectHealthy, traits).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Case, CaseFamily, CaseRecipe } from '../../../src/generate/case.js';
import { FAMILY_DEFINITIONS, families, familyOf, type CaseIo, type FamilyTraits } from '../../../src/generate/families/index.js';
import { bad, caseOf, credentials, header, obs, pngBytes, PERSON_ID, specContext } from '../../checks/fixtures.js';

/** A CaseIo that answers every send with `status` and logs each request. */
function fakeIo(options: { status: number; imageStatus?: number; blobIds?: (number | undefined)[] }) {
  const log: string[] = [];
  const sent: (Record<string, string> | undefined)[] = [];
  const blobIds = [...(options.blobIds ?? [41, 41])];
  const io: CaseIo = {
    paths: { imageInfo: '/Person/{personId}/ImageInfo', image: '/Person/{personId}/Image' },
    send: async (headers) => {
      log.push(headers ? 'send with other headers' : 'send');
      sent.push(headers);
      return obs(options.status);
    },
    read: async (template, segment, accept) => {
      log.push(`read ${template.replace('{personId}', segment)}${accept ? ` (${accept})` : ''}`);
      return template.endsWith('/Image') ? obs(options.imageStatus ?? 200, await pngBytes(), { 'content-type': 'image/png' }) : obs(200, '{"BlobId":42}');
    },
    blobId: async (segment) => {
      log.push(`blobId ${segment}`);
      return blobIds.shift();
    },
    imageFacts: async () => ({ format: 'png', width: 1, height: 1 }),
  };
  return { io, log, sent };
}

const P = `/Person/${PERSON_ID}`;

const ROWS: [string, CaseFamily, Partial<CaseRecipe>, number, string[], string[]][] = [
  ['a valid upload', 'valid-upload', {}, 200, ['send'], []],
  ['a round trip answered 200', 'round-trip', {}, 200, [`read ${P}/Image`, 'send', `read ${P}/ImageInfo (application/json)`, `read ${P}/Image`], ['imageBefore', 'imageInfo', 'image', 'imageDecodes', 'imageFacts']],
  ['a round trip answered 400', 'round-trip', {}, 400, [`read ${P}/Image`, 'send'], ['imageBefore']],
  ['a round trip answered 500', 'round-trip', {}, 500, [`read ${P}/Image`, 'send'], ['imageBefore']],
  ['language headers', 'language-headers', { language: [header('Accept-Language', 'en'), header('SO-Language', 'xx', true)] }, 200, ['send with other headers', 'send'], ['baselineStatus']],
  ['an Accept', 'accept', {}, 200, ['send'], []],
  ['valid credentials', 'auth', {}, 200, ['send'], []],
  ['bad credentials', 'auth', { auth: bad.wrongPassword() }, 401, [`blobId ${PERSON_ID}`, 'send', `blobId ${PERSON_ID}`], ['blobIdBefore', 'blobIdAfter']],
  ['bad credentials and something else wrong', 'auth-first', {}, 401, ['send'], []],
  ['an invalid body', 'invalid-body', {}, 400, ['send'], []],
  ['an undeclared Content-Type', 'content-type', {}, 415, ['send'], []],
  ['a person id that is no person', 'person-id', {}, 404, ['send'], []],
];

describe('the family objects', () => {
  it.each(ROWS)('%s: execute sends exactly the requests expected', async (_what, family, overrides, status, requests, extraKeys) => {
    const c = await caseOf(family, overrides);
    const { io, log } = fakeIo({ status });
    const executed = await familyOf(family).execute(io, c);
    expect(log).toEqual(requests);
    expect(executed.o.status).toBe(status);
    expect(Object.keys(executed.extra).sort()).toEqual([...extraKeys].sort());
    if (status === 200) expect(familyOf(family).requestsPerCase(c.recipe)).toBe(log.length);
  });

  it('language headers: the baseline is the case without its language headers, sent first', async () => {
    const c = await caseOf('language-headers', { language: [header('Accept-Language', 'en'), header('SO-TimeZone', 'Europe/Oslo')], accept: 'application/json' });
    const { io, sent } = fakeIo({ status: 200 });
    const { extra } = await familyOf('language-headers').execute(io, c);
    const baseline = sent[0]!;
    expect(Object.keys(baseline)).not.toContain('accept-language');
    expect(Object.keys(baseline)).not.toContain('so-timezone');
    expect(baseline['accept']).toBe('application/json');
    expect(Object.keys(c.headers)).toEqual(expect.arrayContaining(['accept-language', 'so-timezone', ...Object.keys(baseline)]));
    expect(sent[1]).toBeUndefined();
    expect(extra.baselineStatus).toBe(200);
  });

  it('bad credentials: the BlobIds read before and after are kept, an unreadable one is left out', async () => {
    const c = await caseOf('auth', { auth: bad.none() });
    const changed = fakeIo({ status: 200, blobIds: [41, 42] });
    expect((await familyOf('auth').execute(changed.io, c)).extra).toEqual({ blobIdBefore: 41, blobIdAfter: 42 });
    const unreadable = fakeIo({ status: 401, blobIds: [undefined, 41] });
    expect((await familyOf('auth').execute(unreadable.io, c)).extra).toEqual({ blobIdAfter: 41 });
  });

  it('round trip: an image that cannot be read back is not decoded', async () => {
    const { io, log } = fakeIo({ status: 200, imageStatus: 404 });
    const { extra } = await familyOf('round-trip').execute(io, await caseOf('round-trip'));
    expect(log).toHaveLength(4);
    expect(extra.image?.status).toBe(404);
    expect(extra).not.toHaveProperty('imageDecodes');
    expect(extra).not.toHaveProperty('imageBefore');
  });

  it('requestsPerCase is what execute sends for every recipe the families draw (answered 200)', async () => {
    const { model } = await specContext();
    for (const family of families({ model, credentials, personId: PERSON_ID })) {
      for (const recipe of fc.sample(family.arbitrary, { seed: 3, numRuns: 40 })) {
        // execute reads the recipe and the headers only: no need to render the body.
        const c = { recipe, headers: Object.fromEntries(recipe.language.map((h) => [h.name.toLowerCase(), h.value])) } as Case;
        const { io, log } = fakeIo({ status: 200 });
        await family.execute(io, c);
        expect(family.requestsPerCase(recipe), `${family.name}: ${log.join(', ')}`).toBe(log.length);
      }
    }
  });

  it('owns what the engine, the plan and the checks ask: serial, expectHealthy, traits', () => {
    const by = (pick: (f: (typeof FAMILY_DEFINITIONS)[number]) => boolean) => FAMILY_DEFINITIONS.filter(pick).map((f) => f.name);
    expect(FAMILY_DEFINITIONS.map((f) => f.name)).toEqual(['valid-upload', 'round-trip', 'language-headers', 'accept', 'auth', 'auth-first', 'invalid-body', 'content-type', 'person-id', 'extreme-image']);
    expect(by((f) => f.serial)).toEqual(['round-trip', 'auth', 'auth-first', 'extreme-image']);
    expect(by((f) => f.maxCases !== undefined)).toEqual(['extreme-image']);
    expect(by((f) => f.expectHealthy)).toEqual(['valid-upload', 'round-trip']);
    const trait = (t: keyof FamilyTraits) => by((f) => f.traits[t]);
    expect(trait('readsBackAfterUpload')).toEqual(['round-trip']);
    expect(trait('comparedWithLanguageBaseline')).toEqual(['language-headers']);
    expect(trait('credentialsUnderTest')).toEqual(['auth']);
    expect(trait('authOrderUnderTest')).toEqual(['auth-first']);
    for (const f of FAMILY_DEFINITIONS) expect(familyOf(f.name)).toBe(f);
  });
});
