/**
 * Verifying pacts against targets: ours and a partner's hold on the reference target; a target
 * that answers 201, or the blob id as a JSON string, breaks them. The person's image is put back
 * afterwards, also when verification fails.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'undici';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { verifyPactCommand } from '../../src/cli/verify-pact.js';
import type { RunConfig } from '../../src/config/run-config.js';
import { ConfigError, ConnectivityError, PactError } from '../../src/errors.js';
import { pactSources } from '../../src/pact/pact-file.js';
import { verifyPacts } from '../../src/pact/verifier.js';
import type { PactResult } from '../../src/report/types.js';
import type { OpenTarget } from '../../src/run/target.js';
import { loadSpec, type LoadedSpec } from '../../src/spec/load.js';
import { personPath } from '../../src/spec/model.js';
import { defaultBehaviour } from '../../src/target/server.js';
import { authHeaders } from '../../src/transport/auth-headers.js';
import { toolName } from '../../src/version.js';
import { contractsDir, fixturesDir, imageFor } from './helpers.js';
import { referenceTarget, rewritingProxy } from './targets.js';

let spec: LoadedSpec;
const open: OpenTarget[] = [];
const ours = () => pactSources(contractsDir);

beforeAll(async () => {
  spec = await loadSpec();
});

afterEach(async () => {
  for (const t of open.splice(0)) await t.close();
});

function config(): RunConfig {
  return { credentials: [], seed: 1, runs: 1, concurrency: 1, timeoutMs: 10_000, reportDir: 'reports', only: [], progress: false };
}

function imageUrl(t: OpenTarget): string {
  return t.baseUrl + personPath(spec.model.imagePath, spec.model.personIdParameter.name, String(t.personId));
}

/** Gives the configured person an image, so the test can see it come back. */
async function givePersonAnImage(t: OpenTarget, file: string, mediaType: string): Promise<Buffer> {
  const bytes = readFileSync(file);
  const headers = { ...authHeaders(spec.model, t.credentials[0]!), 'content-type': mediaType, 'user-agent': toolName };
  const res = await request(imageUrl(t), { method: spec.model.save[0]!.method as 'PUT', headers, body: bytes });
  await res.body.dump();
  expect(res.statusCode).toBe(200);
  return bytes;
}

async function currentImage(t: OpenTarget): Promise<Buffer> {
  const res = await request(imageUrl(t), { method: 'GET', headers: { ...authHeaders(spec.model, t.credentials[0]!), 'user-agent': toolName } });
  return Buffer.from(await res.body.arrayBuffer());
}

function failures(results: PactResult[]) {
  return results.flatMap((r) => r.interactions.filter((i) => i.status === 'fail').map((i) => ({ file: r.file, ...i })));
}

describe('verifying pacts', () => {
  it('our pacts hold on the reference target, and the person keeps its image', async () => {
    const { target } = await referenceTarget();
    open.push(target);
    const gif = spec.model.imageMediaTypes.find((t) => t.endsWith('/gif'))!;
    const before = await givePersonAnImage(target, imageFor(gif), gif);
    const notes: string[] = [];
    const results = await verifyPacts(target, spec.model, ours(), { onNote: (n) => notes.push(n) });
    expect(failures(results)).toEqual([]);
    expect(results.map((r) => [r.consumer, r.status, r.interactions.length])).toEqual([
      ['crm-photo-sync', 'pass', 5],
      ['web-profile-editor', 'pass', 4],
    ]);
    expect(results[0]!.interactions.every((i) => i.providerState === 'a person exists')).toBe(true);
    expect((await currentImage(target)).toString('hex')).toBe(before.toString('hex'));
    expect(notes.at(-1)).toMatch(/restored/);
  });

  it('a partner pact (provider-state paths under another base, ImageInfo) holds on the reference target', async () => {
    const { target } = await referenceTarget();
    open.push(target);
    const results = await verifyPacts(target, spec.model, [join(fixturesDir, 'partner.json')]);
    expect(failures(results)).toEqual([]);
    expect(results[0]).toMatchObject({ consumer: 'acme-crm-connector', status: 'pass' });
    expect(results[0]!.interactions).toHaveLength(3);
  });

  it('fails against a target whose valid uploads answer 201, and still restores the image', async () => {
    // Only the verifier's requests are rewritten: the suite's own restore (its User-Agent) passes through.
    const { target } = await rewritingProxy((req, a) => (req.method === 'PUT' && a.status === 200 && !String(req.headers['user-agent']).startsWith(toolName) ? { ...a, status: 201 } : a));
    open.push(target);
    const png = spec.model.imageMediaTypes.find((t) => t.endsWith('/png'))!;
    const before = await givePersonAnImage(target, imageFor(png), png);
    const results = await verifyPacts(target, spec.model, ours());
    expect(results.map((r) => r.status)).toEqual(['fail', 'fail']);
    const failed = failures(results);
    // Every interaction that expects 200 fails on its status; the 4xx ones still hold.
    expect(failed.map((f) => f.description).sort()).toEqual([
      'a multipart upload with the image/jpeg image in its form field',
      'a raw image/gif upload',
      'a raw image/jpeg upload',
      'a raw image/png upload',
      'a raw image/png upload answered in XML',
      'a raw image/tiff upload',
    ]);
    for (const f of failed) expect(f.message).toMatch(/200.*201|201.*200/);
    expect((await currentImage(target)).toString('hex')).toBe(before.toString('hex'));
  });

  it('fails against a target that answers the blob id as a string', async () => {
    const { target } = await referenceTarget({ behaviour: { serializeBlobId: (mt, id) => (mt.family === 'json' ? JSON.stringify(String(id)) : defaultBehaviour.serializeBlobId(mt, id)) } });
    open.push(target);
    const results = await verifyPacts(target, spec.model, ours());
    const failed = failures(results);
    expect(failed.map((f) => f.description)).toContain('a raw image/png upload');
    expect(failed.map((f) => f.description)).not.toContain('a raw image/png upload answered in XML');
    for (const f of failed) expect(f.message).toMatch(/integer/i);
  });

  it('verify-pact on contracts/ against the embedded target exits 0 and reports per file and interaction', async () => {
    let text = '';
    const out = { write: (s: string) => ((text += s), true) } as unknown as NodeJS.WritableStream;
    const { exitCode, results } = await verifyPactCommand({ pact: contractsDir, config: config(), out });
    expect(exitCode).toBe(0);
    expect(results.flatMap((r) => r.interactions)).toHaveLength(9);
    expect(text).toMatch(/all 2 pacts hold/);
  });

  it('verify-pact against an unreachable target, or without a person, ends in a one-line error', async () => {
    const out = { write: () => true } as unknown as NodeJS.WritableStream;
    const remote = { ...config(), target: 'http://127.0.0.1:9/SuperOffice/api/v1', credentials: [{ scheme: 'basic' as const, user: 'u', password: 'p' }] };
    const unreachable = await verifyPactCommand({ pact: contractsDir, config: { ...remote, personId: 1 }, out }).catch((e: unknown) => e);
    expect(unreachable).toBeInstanceOf(ConnectivityError);
    expect((unreachable as Error).message).toMatch(/cannot reach the target http:\/\/127\.0\.0\.1:9/);
    const noPerson = await verifyPactCommand({ pact: contractsDir, config: remote, out }).catch((e: unknown) => e);
    expect(noPerson).toBeInstanceOf(ConfigError);
    expect((noPerson as Error).message).toMatch(/needs a person/);
  });

  it('verify-pact refuses a file that is no pact with a one-line PactError', async () => {
    const out = { write: () => true } as unknown as NodeJS.WritableStream;
    const err = await verifyPactCommand({ pact: join(fixturesDir, 'malformed', 'not-json.json'), config: config(), out }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PactError);
    expect((err as PactError).message).not.toMatch(/\n/);
    expect((err as PactError).exitCode).toBe(2);
  });
});
