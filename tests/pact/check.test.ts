/** check-pact: the offline check of pacts against the OpenAPI description. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkPactCommand } from '../../src/cli/check-pact.js';
import { PactError } from '../../src/errors.js';
import { checkPactAgainstSpec } from '../../src/pact/check-against-spec.js';
import { loadSpec, type LoadedSpec } from '../../src/spec/load.js';
import { contractsDir, fixturesDir } from './helpers.js';

let spec: LoadedSpec;
beforeAll(async () => {
  spec = await loadSpec();
});

function sink() {
  const s = { text: '', write: (chunk: string) => ((s.text += chunk), true) };
  return s as typeof s & NodeJS.WritableStream;
}

const fixture = (...p: string[]) => join(fixturesDir, ...p);
const json = (file: string): Record<string, unknown> => JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;

/** A copy of our first pact with one interaction, changed by `edit`. */
function ourPactWith(edit: (i: Record<string, any>) => void): Record<string, unknown> {
  const pact = json(join(contractsDir, 'crm-photo-sync-superoffice-person-image.json')) as Record<string, any>;
  pact.interactions = [structuredClone(pact.interactions[0])];
  edit(pact.interactions[0]);
  return pact;
}

describe('check-pact accepts', () => {
  it('our committed pacts', async () => {
    const out = sink();
    expect(await checkPactCommand({ pact: contractsDir, out })).toBe(0);
    expect(out.text).toMatch(/all 2 pacts are compatible/);
  });

  it("a partner's pact (another base path, language headers, ImageInfo, a negative test)", async () => {
    const out = sink();
    expect(await checkPactCommand({ pact: fixture('partner.json'), out })).toBe(0);
    expect(out.text).toMatch(/^ok .*acme-crm-connector/m);
  });
});

describe('check-pact reads V3 pacts too', () => {
  const v3 = (status: number, body: unknown) => ({
    consumer: { name: 'v3-consumer' },
    provider: { name: 'superoffice-person-image' },
    interactions: [
      {
        description: 'reading the image info',
        providerState: 'a person exists',
        request: { method: 'GET', path: '/SuperOffice/api/v1/Person/5/ImageInfo', headers: { Accept: 'application/json' } },
        response: { status, headers: { 'Content-Type': 'application/json; charset=utf-8' }, body },
      },
    ],
    metadata: { pactSpecification: { version: '3.0.0' } },
  });

  it('accepts a BlobEntity and rejects one whose BlobId is a string', () => {
    expect(checkPactAgainstSpec(v3(200, { BlobId: 825, MimeType: 'image/jpeg' }), spec)).toEqual([]);
    expect(checkPactAgainstSpec(v3(200, { BlobId: '825' }), spec)).toEqual([
      { interaction: 'reading the image info', reason: expect.stringMatching(/\/BlobId must be integer/) },
    ]);
  });
});

describe('check-pact rejects', () => {
  const cases: [string, RegExp][] = [
    ['expects-201.json', /status 201 is not declared for PUT \/Person\/\{personId\}\/Image/],
    ['string-body.json', /the 200 body "825" does not match the spec's schema for application\/json: .*must be integer/],
    ['undeclared-content-type.json', /request Content-Type application\/octet-stream is not declared.*expects 200/],
    ['unknown-path.json', /unknown path \/api\/v1\/Person\/5\/Avatar/],
  ];
  for (const [file, reason] of cases) {
    it(file.replace('.json', ''), async () => {
      const out = sink();
      expect(await checkPactCommand({ pact: fixture('incompatible', file), out })).toBe(1);
      const [only, ...rest] = checkPactAgainstSpec(json(fixture('incompatible', file)), spec);
      expect(rest).toEqual([]);
      expect(only?.reason).toMatch(reason);
      // Listed with its interaction and reason.
      expect(out.text).toContain(`"${only?.interaction}": ${only?.reason}`);
    });
  }

  it('the whole incompatible folder, one incompatibility per pact', async () => {
    const out = sink();
    expect(await checkPactCommand({ pact: fixture('incompatible'), out })).toBe(1);
    expect(out.text).toMatch(/4 incompatibilities in 4 pacts/);
  });

  it('person ids that are no int32, an undeclared header, an Accept it cannot answer, a method not declared', () => {
    const reasons = (edit: (i: Record<string, any>) => void) => checkPactAgainstSpec(ourPactWith(edit), spec).map((x) => x.reason);
    expect(
      reasons((i) => {
        delete i.request.generators;
        i.request.path = '/SuperOffice/api/v1/Person/abc/Image';
      }),
    ).toEqual([expect.stringMatching(/person id "abc" does not fit the path parameter personId \(integer, int32\)/)]);
    expect(
      reasons((i) => {
        delete i.request.generators;
        i.request.path = '/api/v1/Person/2147483648/Image';
      }),
    ).toEqual([expect.stringMatching(/does not fit the path parameter/)]);
    expect(reasons((i) => (i.request.headers['X-Api-Key'] = ['k']))).toEqual([expect.stringMatching(/request header x-api-key is not declared/)]);
    expect(reasons((i) => (i.request.headers.Accept = ['application/pdf']))).toEqual([expect.stringMatching(/Accept application\/pdf names no media type/)]);
    expect(reasons((i) => (i.request.method = 'PATCH'))).toEqual([expect.stringMatching(/method PATCH is not declared/)]);
    expect(reasons((i) => (i.response.headers['Content-Type'] = ['text/plain']))).toEqual([expect.stringMatching(/response Content-Type text\/plain is not declared for 200/)]);
    // A provider-state expression stands for the id; an empty body is fine when the pact expects 400.
    expect(reasons((i) => (i.request.generators.path.expression = '/Cust1/api/v1/Person/${id}/Image'))).toEqual([]);
    expect(
      reasons((i) => {
        delete i.request.body;
        delete i.response.body;
        delete i.response.headers;
        delete i.response.matchingRules;
        i.response.status = 400;
      }),
    ).toEqual([]);
  });

  it('an XML answer with another root element or a non-integer', () => {
    const xml = (content: string) =>
      checkPactAgainstSpec(
        ourPactWith((i) => {
          i.request.headers.Accept = ['application/xml'];
          i.response.headers['Content-Type'] = ['application/xml'];
          i.response.body = { content, contentType: 'application/xml', encoded: false };
          delete i.response.matchingRules;
        }),
        spec,
      ).map((x) => x.reason);
    expect(xml('<int>825</int>')).toEqual([]);
    expect(xml('<int xmlns="http://schemas.microsoft.com/2003/10/Serialization/">825</int>')).toEqual([]);
    expect(xml('<long>825</long>')).toEqual([expect.stringMatching(/root element is <long>/)]);
    expect(xml('<int>eight</int>')).toEqual([expect.stringMatching(/does not match the spec's schema/)]);
  });
});

describe('check-pact refuses what is no pact', () => {
  for (const [file, message] of [
    ['not-json.json', /is not JSON/],
    ['no-interactions.json', /has no interactions/],
    ['not-a-pact.json', /is not a pact/],
  ] as const) {
    it(file, async () => {
      const err = await checkPactCommand({ pact: fixture('malformed', file), out: sink() }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PactError);
      expect((err as PactError).message).toMatch(message);
      expect((err as PactError).message).not.toContain('\n');
      expect((err as PactError).exitCode).toBe(2);
    });
  }

  it('a missing file', async () => {
    const err = await checkPactCommand({ pact: fixture('nope.json'), out: sink() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PactError);
    expect((err as PactError).message).toMatch(/no such file/);
  });
});
