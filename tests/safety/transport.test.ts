/**
 * The transport on hostile ground: redirects are not followed (credentials stay at the target's
 * origin), header values undici refuses come back as client errors, a trickling body ends at the
 * overall deadline, every request (also the image's save and restore) carries the run id and the
 * User-Agent, and TLS works with a custom CA (made here with the openssl CLI).
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectivityError } from '../../src/errors.js';
import { runConformance } from '../../src/run/engine.js';
import { loadSpec } from '../../src/spec/load.js';
import { startReferenceTarget, type RunningTarget } from '../../src/target/server.js';
import { snapshotImage } from '../../src/transport/image-snapshot.js';
import { RUN_ID_HEADER, TargetSession } from '../../src/transport/target-session.js';
import { userAgent } from '../../src/version.js';
import { forwardTo } from '../support/forward.js';
import { configFor } from '../support/run-against.js';
import { requireTool } from '../support/tools.js';
import { imageState, ownImage, setImage } from './helpers.js';

async function listen(server: Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}
const close = (s: Server) => new Promise<void>((r) => { s.close(() => r()); s.closeAllConnections(); });

let t: RunningTarget;
beforeAll(async () => {
  t = await startReferenceTarget();
});
afterAll(async () => {
  await t.close();
});

describe('redirects are not followed', () => {
  it('a 307 to another origin on 127.0.0.1 sends it no request and no credential', async () => {
    const elsewhere: IncomingHttpHeaders[] = [];
    const other = createServer((req, res) => { elsewhere.push(req.headers); res.end('{}'); });
    const otherPort = await listen(other);
    const redirecting = createServer((req, res) => {
      req.resume();
      res.writeHead(307, { location: `http://127.0.0.1:${otherPort}${req.url}` }).end();
    });
    const port = await listen(redirecting);
    const base = `http://127.0.0.1:${port}/SuperOffice/api/v1`;
    try {
      const transport = new TargetSession({ baseUrl: base, timeoutMs: 3000, concurrency: 1, runId: 'r1' });
      const o = await transport.send({ method: 'PUT', path: '/Person/1/Image', headers: { authorization: 'Basic c2VjcmV0OnNlY3JldA==' }, body: { kind: 'raw', bytes: Buffer.from('x'), contentType: 'image/png' } });
      expect(o.status).toBe(307);
      const model = (await loadSpec()).model;
      await expect(snapshotImage({ session: transport, model, headers: { authorization: 'Basic c2VjcmV0OnNlY3JldA==' } }, 1)).rejects.toThrow(/307 \(a redirect to http:\/\/127\.0\.0\.1:\d+\/SuperOffice\/api\/v1\/Person\/1\/Image; redirects are not followed/);
      await transport.close();
      // A whole run against it ends at the pre-flight (a configuration error naming the redirect), and the other origin saw nothing.
      await expect(runConformance({ ...configFor(t, { runs: 2 }), target: base })).rejects.toThrow(/answered a redirect to http:\/\/127\.0\.0\.1:\d+\/SuperOffice\/api\/v1\/Person\/1\/ImageInfo \(redirects are not followed/);
      expect(elsewhere).toHaveLength(0);
    } finally {
      await close(redirecting);
      await close(other);
    }
  });
});

describe('nothing hangs', () => {
  it('header values undici refuses come back as a client-side error, not a timeout', async () => {
    // A long --timeout: had the request waited for it, the error would be a timeout, not client-error.
    const transport = new TargetSession({ baseUrl: t.url, timeoutMs: 30_000, concurrency: 1, runId: 'r2' });
    for (const value of ['a\r\nInjected: 1', 'nul\0byte', 'line\nfeed']) {
      const o = await transport.send({ method: 'GET', path: '/Person/1/ImageInfo', headers: { 'x-odd': value } });
      expect(o.status).toBeUndefined();
      expect(o.error?.code).toBe('client-error');
    }
    await transport.close();
  });

  it('a body trickling in a byte at a time ends at the overall deadline (--timeout)', async () => {
    const timers = new Set<NodeJS.Timeout>();
    const trickle = createServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json' });
      const i = setInterval(() => res.write('1'), 100);
      timers.add(i);
      res.on('close', () => clearInterval(i));
    });
    const port = await listen(trickle);
    const transport = new TargetSession({ baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 700, concurrency: 1, runId: 'r3' });
    try {
      // A byte every 100 ms never lets an idle timeout fire: a timeout here is the overall deadline.
      const o = await transport.send({ method: 'GET', path: '/x', headers: {} });
      expect(o.error?.code).toBe('timeout');
    } finally {
      await transport.close();
      for (const i of timers) clearInterval(i);
      await close(trickle);
    }
  });
});

describe('every request says who sends it', () => {
  it('the run id and User-Agent are on every request, also the image save and restore', async () => {
    const seen: IncomingHttpHeaders[] = [];
    const target = new URL(t.url);
    const forward = forwardTo(target.origin);
    const recorder = createServer((req, res) => {
      seen.push(req.headers);
      forward(req, res);
    });
    const port = await listen(recorder);
    try {
      await runConformance({ ...configFor(t, { runs: 3, only: ['valid-raw-upload', 'failed-auth-changes-nothing'] }), target: `http://127.0.0.1:${port}${target.pathname}` });
      expect(seen.length).toBeGreaterThan(5);
      const ids = new Set(seen.map((h) => h[RUN_ID_HEADER]));
      expect(ids.size).toBe(1);
      expect([...ids][0]).toMatch(/^[0-9a-f-]{36}$/);
      expect(seen.every((h) => h['user-agent'] === userAgent)).toBe(true);
      expect(userAgent).toMatch(/^person-image-conformance\/\d+\.\d+\.\d+/);
    } finally {
      await close(recorder);
    }
  });
});

describe('TLS with a custom CA', () => {
  let dir = '';
  let https: Server | undefined;
  let base: string;
  beforeAll(async () => {
    // Needed wherever the test runs (not skipped): a missing openssl fails it, saying what to install.
    const openssl = requireTool('openssl');
    dir = mkdtempSync(join(tmpdir(), 'pic-tls-'));
    const ssl = (...args: string[]) => execFileSync(openssl, args, { cwd: dir, stdio: 'pipe' });
    ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=conformance test CA');
    ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
    ssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '1', '-extfile', writeExt(dir));
    const target = new URL(t.url);
    https = createHttpsServer({ key: readFileSync(join(dir, 'server.key')), cert: readFileSync(join(dir, 'server.pem')) }, forwardTo(target.origin)) as unknown as Server;
    const port = await listen(https);
    base = `https://127.0.0.1:${port}${target.pathname}`;
  });
  afterAll(async () => {
    if (https) await close(https);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('without the CA the target is refused (exit 2, a clear message)', async () => {
    const err = await runConformance({ ...configFor(t, { runs: 2, only: ['valid-raw-upload'] }), target: base }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectivityError);
    expect((err as Error).message).toMatch(/cannot reach the target .*(certificate|self-signed|issuer)/i);
  });

  it('with --ca the run works, the image is saved and restored over TLS', async () => {
    const person = t.persons[3]!;
    const own = await ownImage();
    await setImage(t, person, own);
    const report = await runConformance({ ...configFor(t, { runs: 4, only: ['valid-raw-upload', 'image-readable-after-upload'], personId: person }), target: base, ca: readFileSync(join(dir, 'ca.pem'), 'utf8') });
    expect(report.verdict).toBe('conforms');
    expect(report.notes.join('\n')).toMatch(/restored/);
    expect((await imageState(t, person)).bytes.equals(own)).toBe(true);
  });

  it('the CLI trusts NODE_EXTRA_CA_CERTS (Node honours it) and SO_CA_FILE', async () => {
    const c = t.credentials.basic;
    const cli = (env: Record<string, string>) =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'run', '--target', base, '--person-id', String(t.persons[4]!), '--runs', '2', '--only', 'valid-raw-upload', '--no-progress', '--report-dir', mkdtempSync(join(dir, 'report-'))], {
          env: { ...process.env, SO_AUTH: `basic:${c.user}:${c.password}`, ...env },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let out = '';
        child.stdout.on('data', (d: Buffer) => (out += String(d)));
        child.stderr.on('data', (d: Buffer) => (out += String(d)));
        child.on('exit', (code) => resolve({ code, out }));
      });
    const viaNode = await cli({ NODE_EXTRA_CA_CERTS: join(dir, 'ca.pem') });
    expect(viaNode.code, viaNode.out).toBe(0);
    const viaEnv = await cli({ SO_CA_FILE: join(dir, 'ca.pem') });
    expect(viaEnv.code, viaEnv.out).toBe(0);
    const none = await cli({});
    expect(none.code).toBe(2);
    expect(none.out).toMatch(/cannot reach the target/);
  }, 60_000);
});

function writeExt(dir: string): string {
  const file = join(dir, 'san.ext');
  writeFileSync(file, 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n');
  return file;
}
