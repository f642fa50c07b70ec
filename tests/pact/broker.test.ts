/**
 * Publishing verification results: the Verifier's own publishing options, tried against a small
 * stand-in broker on 127.0.0.1 that serves a pact with a pb:publish-verification-results link and
 * records what is posted to it.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { verifyPactCommand } from '../../src/cli/verify-pact.js';
import type { RunConfig } from '../../src/config/run-config.js';
import { ConfigError } from '../../src/errors.js';
import { brokerConfigFromEnv, describeBroker, publishOptions } from '../../src/pact/broker.js';
import { verifyPacts } from '../../src/pact/verifier.js';
import { loadSpec } from '../../src/spec/load.js';
import { defaultBehaviour } from '../../src/target/server.js';
import { toolVersion } from '../../src/version.js';
import { contractsDir } from './helpers.js';
import { referenceTarget } from './targets.js';

interface Recorded {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

const TOKEN = 'stand-in-broker-token-0123456789';
const pactPath = '/pacts/provider/superoffice-person-image/consumer/web-profile-editor/latest';
const resultsPath = '/pacts/provider/superoffice-person-image/consumer/web-profile-editor/pact-version/abc123/verification-results';
let server: Server;
let base = '';
const recorded: Recorded[] = [];
const envKeys = ['PACT_BROKER_BASE_URL', 'PACT_BROKER_TOKEN', 'PACT_BROKER_USERNAME', 'PACT_BROKER_PASSWORD', 'PACT_PROVIDER_VERSION', 'PACT_PROVIDER_BRANCH', 'PACT_BUILD_URL'];
const savedEnv = Object.fromEntries(envKeys.map((k) => [k, process.env[k]]));

beforeAll(async () => {
  const pact = JSON.parse(readFileSync(join(contractsDir, 'web-profile-editor-superoffice-person-image.json'), 'utf8')) as Record<string, unknown>;
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      recorded.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const hal = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/hal+json' });
        res.end(JSON.stringify(body));
      };
      if (req.headers.authorization !== `Bearer ${TOKEN}`) return hal(401, { error: 'unauthorized' });
      if (req.method === 'GET' && req.url === pactPath) {
        return hal(200, { ...pact, _links: { self: { href: base + pactPath }, 'pb:publish-verification-results': { title: 'Publish verification results', href: base + resultsPath } } });
      }
      if (req.method === 'POST' && req.url === resultsPath) return hal(201, { success: true, _links: { self: { href: `${base + resultsPath}/1` } } });
      hal(404, { error: 'not found' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(() => {
  recorded.length = 0;
  for (const k of envKeys) {
    if (savedEnv[k] === undefined) delete process.env[k];
    else process.env[k] = savedEnv[k];
  }
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function config(): RunConfig {
  return { credentials: [], seed: 1, runs: 1, concurrency: 1, timeoutMs: 10_000, reportDir: 'reports', only: [], progress: false };
}

const posts = () => recorded.filter((r) => r.method === 'POST' && r.url === resultsPath);

describe('broker configuration from the environment', () => {
  it('is off without PACT_BROKER_BASE_URL', () => {
    expect(brokerConfigFromEnv({})).toBeUndefined();
  });

  it('reads a token, or a user and password, and defaults the provider version to the tool version', () => {
    const withToken = brokerConfigFromEnv({ PACT_BROKER_BASE_URL: 'https://broker.example/', PACT_BROKER_TOKEN: 't0k3n' });
    expect(withToken).toEqual({ url: 'https://broker.example', token: 't0k3n', providerVersion: toolVersion });
    expect(publishOptions(withToken!)).toEqual({ publishVerificationResult: true, providerVersion: toolVersion, pactBrokerToken: 't0k3n' });
    expect(describeBroker(withToken!)).not.toContain('t0k3n');
    const basic = brokerConfigFromEnv({ PACT_BROKER_BASE_URL: 'https://broker.example', PACT_BROKER_USERNAME: 'ci', PACT_BROKER_PASSWORD: 'pw-secret', PACT_PROVIDER_VERSION: '1.2.3', PACT_PROVIDER_BRANCH: 'main' });
    expect(publishOptions(basic!)).toMatchObject({ pactBrokerUsername: 'ci', pactBrokerPassword: 'pw-secret', providerVersion: '1.2.3', providerVersionBranch: 'main' });
    expect(describeBroker(basic!)).not.toContain('pw-secret');
  });

  it('refuses half a basic login and a URL that is not http(s)', () => {
    expect(() => brokerConfigFromEnv({ PACT_BROKER_BASE_URL: 'https://b.example', PACT_BROKER_USERNAME: 'ci' })).toThrow(ConfigError);
    expect(() => brokerConfigFromEnv({ PACT_BROKER_BASE_URL: 'ftp://b.example' })).toThrow(/not an http\(s\) URL/);
  });
});

describe('publishing to a stand-in broker', () => {
  it('verify-pact of a pact served by the broker publishes a successful result with the provider version', async () => {
    process.env.PACT_BROKER_BASE_URL = base;
    process.env.PACT_BROKER_TOKEN = TOKEN;
    process.env.PACT_PROVIDER_VERSION = '9.9.9-test';
    let text = '';
    const out = { write: (s: string) => ((text += s), true) } as unknown as NodeJS.WritableStream;
    const { exitCode, results } = await verifyPactCommand({ pact: base + pactPath, config: config(), out });
    expect(exitCode).toBe(0);
    expect(results[0]).toMatchObject({ consumer: 'web-profile-editor', provider: 'superoffice-person-image', status: 'pass' });
    expect(results[0]!.interactions).toHaveLength(4);
    const [post, ...more] = posts();
    expect(more).toEqual([]);
    expect(post?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(JSON.parse(post!.body)).toMatchObject({ success: true, providerApplicationVersion: '9.9.9-test' });
    expect(text).toContain(`publishing verification results to ${base}`);
    expect(text).not.toContain(TOKEN);
  });

  it('a local pact file is verified without publishing', async () => {
    const spec = await loadSpec();
    const { target } = await referenceTarget();
    try {
      const results = await verifyPacts(target, spec.model, [join(contractsDir, 'web-profile-editor-superoffice-person-image.json')], { broker: { url: base, token: TOKEN, providerVersion: '9.9.9-test' } });
      expect(results[0]?.status).toBe('pass');
    } finally {
      await target.close();
    }
    expect(recorded).toEqual([]);
  });

  it('a failing verification is published as a failure', async () => {
    const spec = await loadSpec();
    const { target } = await referenceTarget({ behaviour: { serializeBlobId: (mt, id) => (mt.family === 'json' ? JSON.stringify(String(id)) : defaultBehaviour.serializeBlobId(mt, id)) } });
    try {
      const results = await verifyPacts(target, spec.model, [base + pactPath], { broker: { url: base, token: TOKEN, providerVersion: '9.9.10-test' } });
      expect(results[0]?.status).toBe('fail');
    } finally {
      await target.close();
    }
    const [post] = posts();
    expect(JSON.parse(post!.body)).toMatchObject({ success: false, providerApplicationVersion: '9.9.10-test' });
  });
});
