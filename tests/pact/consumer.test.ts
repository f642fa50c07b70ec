/**
 * The consumer tests that write our pacts (into a temp dir), then the drift check: the pacts
 * committed in contracts/ must be what these tests produce. The drift check plays every
 * interaction again into a folder of its own, so it needs no other test to have run. Refresh
 * contracts/ with PACT_UPDATE_CONTRACTS=1 npx vitest run tests/pact/consumer.test.ts
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PactV4 } from '@pact-foundation/pact';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveImage } from '../../src/pact/consumer-client.js';
import { consumerFacts, emptyUpload, httpHeaders, multipartUpload, noSuchPersonUpload, rawUpload, refusedUpload, type ConsumerFacts } from '../../src/pact/consumer.js';
import { consumerNames, providerName } from '../../src/pact/names.js';
import { loadSpec } from '../../src/spec/load.js';
import { canonicalPact, contractsDir, imageFor, pactFiles, removeTempDirs, tempDir } from './helpers.js';

process.env.PACT_DO_NOT_TRACK = 'true';

type Consumer = keyof typeof consumerNames;
interface Pacts {
  photoSync: PactV4;
  profileEditor: PactV4;
}

let f: ConsumerFacts;
/** The pacts the per-interaction tests write into. */
let pacts: Pacts;

/** Two pacts (one per consumer) that write into `dir`. */
function pactsIn(dir: string): Pacts {
  return {
    photoSync: new PactV4({ consumer: consumerNames.photoSync, provider: providerName, dir, logLevel: 'error' }),
    profileEditor: new PactV4({ consumer: consumerNames.profileEditor, provider: providerName, dir, logLevel: 'error' }),
  };
}

beforeAll(async () => {
  f = consumerFacts(await loadSpec());
  pacts = pactsIn(tempDir('consumer'));
});
afterAll(removeTempDirs);

function imagePath(mockUrl: string, personId: number = f.examplePersonId): string {
  const name = f.model.personIdParameter.name;
  return mockUrl + f.apiBase + f.model.imagePath.replace(`{${name}}`, String(personId));
}

const jpeg = () => f.model.imageMediaTypes.find((t) => t.endsWith('/jpeg')) ?? '';

/** One consumer test: the interactions it declares on its consumer's pact, and what the consumer makes of the mock's answers. */
interface Scenario {
  consumer: Consumer;
  title: string;
  play: (pact: PactV4) => Promise<void>;
}

const scenarios: Scenario[] = [
  {
    consumer: 'photoSync',
    title: 'uploads every raw image type and reads an integer blob id from JSON',
    play: async (pact) => {
      expect(f.model.imageMediaTypes.length).toBeGreaterThanOrEqual(4);
      for (const mediaType of f.model.imageMediaTypes) {
        const file = imageFor(mediaType);
        await rawUpload(pact, f, { mediaType, file }, `a raw ${mediaType} upload`).executeTest(async (mock) => {
          const answer = await saveImage({
            method: f.save.method,
            url: imagePath(mock.url),
            headers: { [httpHeaders.accept]: f.json.type, [httpHeaders.contentType]: mediaType },
            body: readFileSync(file),
          });
          expect(answer.status).toBe(f.status.ok);
          expect(Number.isInteger(answer.blobId)).toBe(true);
        });
      }
    },
  },
  {
    consumer: 'photoSync',
    title: 'reads the blob id from an XML answer',
    play: async (pact) => {
      const mediaType = f.model.imageMediaTypes[0] ?? '';
      const file = imageFor(mediaType);
      await rawUpload(pact, f, { mediaType, file, answer: f.xml }, `a raw ${mediaType} upload answered in XML`).executeTest(async (mock) => {
        const answer = await saveImage({
          method: f.save.method,
          url: imagePath(mock.url),
          headers: { [httpHeaders.accept]: f.xml.type, [httpHeaders.contentType]: mediaType },
          body: readFileSync(file),
        });
        expect(answer.status).toBe(f.status.ok);
        expect(answer.blobId).toBe(f.exampleBlobId);
      });
    },
  },
  {
    consumer: 'profileEditor',
    title: 'uploads a JPEG as multipart form data',
    play: async (pact) => {
      const mediaType = jpeg();
      const file = imageFor(mediaType);
      await multipartUpload(pact, f, { mediaType, file, boundary: 'person-image-pact-boundary' }, `a multipart upload with the ${mediaType} image in its form field`).executeTest(async (mock) => {
        const part = { field: f.model.multipart.field, filename: 'photo.jpg', contentType: mediaType, bytes: readFileSync(file) };
        const answer = await saveImage({ method: f.save.method, url: imagePath(mock.url), headers: { [httpHeaders.accept]: f.json.type }, body: part });
        expect(answer.status).toBe(f.status.ok);
        expect(Number.isInteger(answer.blobId)).toBe(true);
      });
    },
  },
  {
    consumer: 'profileEditor',
    title: 'is told 400 for an empty body',
    play: async (pact) => {
      const mediaType = jpeg();
      await emptyUpload(pact, f, mediaType, 'an upload with an empty body').executeTest(async (mock) => {
        const answer = await saveImage({
          method: f.save.method,
          url: imagePath(mock.url),
          headers: { [httpHeaders.accept]: f.json.type, [httpHeaders.contentType]: mediaType },
          body: Buffer.alloc(0),
        });
        expect(answer.status).toBe(f.status.badRequest);
      });
    },
  },
  {
    consumer: 'profileEditor',
    title: 'is told 400 for a person id that names no person',
    play: async (pact) => {
      const mediaType = jpeg();
      const file = imageFor(mediaType);
      await noSuchPersonUpload(pact, f, { mediaType, file }, 'an upload to a person id that names no person').executeTest(async (mock) => {
        const answer = await saveImage({
          method: f.save.method,
          url: imagePath(mock.url, 0),
          headers: { [httpHeaders.accept]: f.json.type, [httpHeaders.contentType]: mediaType },
          body: readFileSync(file),
        });
        expect(answer.status).toBe(f.status.badRequest);
      });
    },
  },
  {
    consumer: 'profileEditor',
    title: 'is refused with bad credentials',
    play: async (pact) => {
      const mediaType = jpeg();
      const file = imageFor(mediaType);
      await refusedUpload(pact, f, { mediaType, file }, 'an upload with credentials the installation refuses').executeTest(async (mock) => {
        const answer = await saveImage({
          method: f.save.method,
          url: imagePath(mock.url),
          headers: { [httpHeaders.accept]: f.json.type, [httpHeaders.contentType]: mediaType },
          body: readFileSync(file),
        });
        expect(f.status.refused).toContain(answer.status);
      });
    },
  },
];

for (const consumer of ['photoSync', 'profileEditor'] as const) {
  describe(`pact ${consumerNames[consumer]}`, () => {
    for (const s of scenarios.filter((x) => x.consumer === consumer)) it(s.title, () => s.play(pacts[consumer]));
  });
}

describe('committed pacts', () => {
  it('contracts/ holds exactly what the consumer tests produce', async () => {
    // Every scenario again, into a folder of this test's own.
    const out = tempDir('consumer-all');
    const own = pactsIn(out);
    for (const s of scenarios) await s.play(own[s.consumer]);
    const produced = pactFiles(out);
    expect(produced).toEqual([`${consumerNames.photoSync}-${providerName}.json`, `${consumerNames.profileEditor}-${providerName}.json`]);
    if (process.env.PACT_UPDATE_CONTRACTS) {
      for (const file of produced) copyFileSync(join(out, file), join(contractsDir, file));
      return;
    }
    expect(pactFiles(contractsDir), 'contracts/ lists other pact files than the consumer tests produce (PACT_UPDATE_CONTRACTS=1 to refresh)').toEqual(produced);
    for (const file of produced) {
      expect(canonicalPact(join(contractsDir, file)), `contracts/${file} drifted from the consumer tests (PACT_UPDATE_CONTRACTS=1 to refresh)`).toEqual(canonicalPact(join(out, file)));
    }
  });

  it('library versions in the metadata are not drift; a changed expectation is', () => {
    const [file = ''] = pactFiles(contractsDir);
    const original = join(contractsDir, file);
    const copy = join(tempDir('drift'), file);
    const pact = JSON.parse(readFileSync(original, 'utf8')) as { metadata: Record<string, unknown>; interactions: { response: { status: number } }[] };
    pact.metadata['pact-js'] = { version: '99.0.0' };
    pact.metadata.pactRust = { ffi: '9.9.9' };
    writeFileSync(copy, JSON.stringify(pact));
    expect(canonicalPact(copy)).toEqual(canonicalPact(original));
    pact.interactions[0]!.response.status += 1;
    writeFileSync(copy, JSON.stringify(pact));
    expect(canonicalPact(copy)).not.toEqual(canonicalPact(original));
  });
});
