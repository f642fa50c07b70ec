/**
 * The checking proxy's road to the target (src/transport/forward.ts): endToEndHeaders on its own
 * (the hop-by-hop headers of RFC 9110 §7.6.1 and those Connection names stay on their hop), and a
 * Forwarder against a small node:http server on 127.0.0.1 that records each request and answers
 * as a test tells it: method, path, headers and a streamed body go through unchanged, the answer
 * comes back as it was sent, an abort or a silent target ends the exchange, TLS with a custom CA
 * (a certificate made here with the openssl CLI, on stdout: no file written), and close().
 */
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endToEndHeaders, Forwarder, type ForwarderOptions } from '../../src/transport/forward.js';
import { itWithTools } from '../support/tools.js';
import { startSelfSignedServer } from '../support/tls-server.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

const seen: Seen[] = [];
/** Told of each request once its body is in; `res` is left open when it does not end it. */
let answer: (res: ServerResponse, req: Seen) => void = (res) => res.end('ok');
let server: Server;
let origin: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const s = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) };
      seen.push(s);
      answer(res, s);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((r) => {
    server.close(() => r());
    server.closeAllConnections();
  });
});

async function withForwarder<T>(options: Partial<ForwarderOptions>, fn: (f: Forwarder) => Promise<T>): Promise<T> {
  seen.length = 0;
  const f = new Forwarder({ origin, timeoutMs: 10_000, ...options });
  try {
    return await fn(f);
  } finally {
    await f.close();
  }
}

/** The hop-by-hop headers of RFC 9110 §7.6.1 the forwarder keeps on their hop, Host among them. */
const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'expect', 'host'];

describe('endToEndHeaders', () => {
  it.each(HOP_BY_HOP)('drops %s, keeps the end-to-end headers beside it', (name) => {
    // `connection: close` names no other header; the value of the others does not matter.
    const value = name === 'connection' ? 'close' : 'x';
    expect(endToEndHeaders({ [name]: value, 'content-type': 'image/png', authorization: 'Basic eDp4' })).toStrictEqual({ 'content-type': 'image/png', authorization: 'Basic eDp4' });
  });

  it('drops a hop-by-hop header whatever the case of its name, and keeps the end-to-end names as they were written', () => {
    expect(endToEndHeaders({ 'Keep-Alive': 'timeout=5', TE: 'trailers', Host: 'client.example', 'Content-Type': 'image/png', 'X-Run': 'r1' })).toStrictEqual({ 'Content-Type': 'image/png', 'X-Run': 'r1' });
  });

  it('drops the headers the Connection header names (trimmed, any case) and keeps the rest', () => {
    const out = endToEndHeaders({ connection: 'Keep-Alive,  X-Trace ,x-hop', 'x-trace': 'a', 'X-Hop': 'b', 'x-keep': 'c' });
    expect(out).toStrictEqual({ 'x-keep': 'c' });
  });

  it('keeps every end-to-end header when there is no Connection header, repeated ones as lists', () => {
    expect(endToEndHeaders({ 'set-cookie': ['a=1', 'b=2'], 'x-one': '1' })).toStrictEqual({ 'set-cookie': ['a=1', 'b=2'], 'x-one': '1' });
  });

  it('leaves out a header whose value is undefined (Node\'s header types allow it)', () => {
    const out = endToEndHeaders({ 'x-absent': undefined, 'x-one': '1' });
    expect(out).toStrictEqual({ 'x-one': '1' });
    expect(Object.keys(out)).toEqual(['x-one']);
  });
});

describe('Forwarder.forward', () => {
  it('relays method, path and query, the end-to-end headers and a streamed body unchanged; Host names the target', async () => {
    answer = (res) => res.end();
    await withForwarder({}, async (f) => {
      const body = Readable.from([Buffer.from('PNG'), Buffer.from('DATA'), Buffer.from([0, 255])]);
      const a = await f.forward({
        method: 'PUT',
        path: '/api/v1/Person/7/Image?x=1&y=%20',
        headers: {
          'content-type': 'image/png',
          authorization: 'Basic eDp4',
          'x-many': ['1', '2'],
          connection: 'keep-alive, x-hop',
          'x-hop': 'secret',
          'keep-alive': 'timeout=5',
          'proxy-connection': 'keep-alive',
          'proxy-authenticate': 'Basic',
          te: 'trailers',
          trailer: 'x-t',
          upgrade: 'h2c',
          expect: '100-continue',
          host: 'client.example',
        },
        body,
      });
      await buffer(a.body);
    });
    expect(seen).toHaveLength(1);
    const s = seen[0]!;
    expect(s.method).toBe('PUT');
    expect(s.url).toBe('/api/v1/Person/7/Image?x=1&y=%20');
    expect(s.body).toEqual(Buffer.from([...Buffer.from('PNGDATA'), 0, 255]));
    expect(s.headers['content-type']).toBe('image/png');
    expect(s.headers.authorization).toBe('Basic eDp4');
    expect(s.headers['x-many']).toBe('1, 2');
    expect(s.headers.host).toBe(new URL(origin).host);
    for (const h of ['x-hop', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'te', 'trailer', 'upgrade', 'expect']) expect(s.headers[h], h).toBeUndefined();
  });

  it('a request without a body sends none', async () => {
    answer = (res) => res.end();
    await withForwarder({}, async (f) => {
      const a = await f.forward({ method: 'GET', path: '/x', headers: {} });
      await buffer(a.body);
    });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.method).toBe('GET');
    expect(seen[0]!.body.length).toBe(0);
    expect(seen[0]!.headers['transfer-encoding']).toBeUndefined();
  });

  it('answers the status, the end-to-end headers (repeated ones as lists, hop-by-hop ones dropped) and the body as it streams', async () => {
    answer = (res) => {
      res.statusCode = 201;
      res.setHeader('Set-Cookie', ['p=1', 'q=2']);
      res.setHeader('X-One', 'a');
      res.setHeader('Connection', 'keep-alive, x-private');
      res.setHeader('X-Private', 'hop only');
      res.write('hel');
      setImmediate(() => res.end('lo'));
    };
    await withForwarder({}, async (f) => {
      const a = await f.forward({ method: 'GET', path: '/answer', headers: {} });
      expect(a.status).toBe(201);
      expect(a.headers['set-cookie']).toEqual(['p=1', 'q=2']);
      expect(a.headers['x-one']).toBe('a');
      for (const h of ['connection', 'keep-alive', 'transfer-encoding', 'x-private']) expect(a.headers[h], h).toBeUndefined();
      expect((await buffer(a.body)).toString()).toBe('hello');
    });
  });

  it('does not follow a redirect: the redirect is the answer', async () => {
    answer = (res) => {
      res.writeHead(307, { location: `${origin}/elsewhere` });
      res.end();
    };
    await withForwarder({}, async (f) => {
      const a = await f.forward({ method: 'GET', path: '/here', headers: {} });
      await buffer(a.body);
      expect(a.status).toBe(307);
      expect(a.headers.location).toBe(`${origin}/elsewhere`);
    });
    expect(seen.map((s) => s.url)).toEqual(['/here']);
  });

  it('an aborted signal ends an exchange still waiting for its answer, with an AbortError', async () => {
    let arrived!: () => void;
    const inServer = new Promise<void>((r) => (arrived = r));
    answer = () => arrived(); // never answers
    await withForwarder({ timeoutMs: 5000 }, async (f) => {
      const ac = new AbortController();
      const pending = f.forward({ method: 'GET', path: '/held', headers: {}, signal: ac.signal });
      await inServer;
      ac.abort();
      await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    });
  });

  it('a target silent for timeoutMs ends the wait for the answer\'s headers', async () => {
    answer = () => {}; // never answers
    await withForwarder({ timeoutMs: 200 }, async (f) => {
      await expect(f.forward({ method: 'GET', path: '/silent', headers: {} })).rejects.toMatchObject({ code: 'UND_ERR_HEADERS_TIMEOUT' });
    });
  });

  it('a body that stops for timeoutMs ends with a body timeout', async () => {
    answer = (res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('first'); // and then nothing
    };
    await withForwarder({ timeoutMs: 200 }, async (f) => {
      const a = await f.forward({ method: 'GET', path: '/stalls', headers: {} });
      expect(a.status).toBe(200);
      await expect(buffer(a.body)).rejects.toMatchObject({ code: 'UND_ERR_BODY_TIMEOUT' });
    });
  });

  it('close() ends the forwarder: a later request is refused and never reaches the target', async () => {
    answer = (res) => res.end('ok');
    seen.length = 0;
    const f = new Forwarder({ origin, timeoutMs: 10_000 });
    const a = await f.forward({ method: 'GET', path: '/before', headers: {} });
    await buffer(a.body);
    await f.close();
    await expect(f.forward({ method: 'GET', path: '/after', headers: {} })).rejects.toMatchObject({ code: 'UND_ERR_DESTROYED' });
    expect(seen.map((s) => s.url)).toEqual(['/before']);
  });
});

describe('Forwarder over TLS', () => {
  itWithTools('reaches a target whose certificate the extra CA signed, and refuses it without that CA', ['openssl'], async () => {
    const tls = await startSelfSignedServer('secure');
    const { cert } = tls;
    const tlsOrigin = tls.origin;
    try {
      const trusting = new Forwarder({ origin: tlsOrigin, timeoutMs: 10_000, ca: cert });
      try {
        const a = await trusting.forward({ method: 'GET', path: '/', headers: {} });
        expect(a.status).toBe(200);
        expect((await buffer(a.body)).toString()).toBe('secure');
      } finally {
        await trusting.close();
      }
      const plain = new Forwarder({ origin: tlsOrigin, timeoutMs: 10_000 });
      try {
        await expect(plain.forward({ method: 'GET', path: '/', headers: {} })).rejects.toMatchObject({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
      } finally {
        await plain.close();
      }
    } finally {
      await tls.close();
    }
  });
});
