/**
 * TargetSession against a small node:http server on 127.0.0.1 that records each request and
 * answers as a test tells it: what goes on the wire (path, headers, raw and multipart bodies),
 * what comes back (status, headers, the body up to the cap), the counters, the upload budget,
 * the breaker's options, and no answer as an Observation with an error.
 */
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TargetUnrecoverableError } from '../../src/errors.js';
import { CircuitBreaker } from '../../src/transport/circuit-breaker.js';
import { bodySize, RUN_ID_HEADER, TargetSession, type SessionOptions } from '../../src/transport/target-session.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

const seen: Seen[] = [];
let answer: (res: ServerResponse, req: Seen) => void = (res) => res.end('ok');
let server: Server;
let base: string;

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
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
});
afterAll(async () => {
  await new Promise<void>((r) => {
    server.close(() => r());
    server.closeAllConnections();
  });
});

async function withSession<T>(options: Partial<SessionOptions>, fn: (s: TargetSession) => Promise<T>): Promise<T> {
  seen.length = 0;
  const s = new TargetSession({ baseUrl: base, timeoutMs: 10_000, concurrency: 1, runId: 'run-1', ...options });
  try {
    return await fn(s);
  } finally {
    await s.close();
  }
}

describe('bodySize', () => {
  it('counts raw bytes and the bytes of every part (not the framing); no body is 0', () => {
    expect(bodySize(undefined)).toBe(0);
    expect(bodySize({ kind: 'raw', bytes: new Uint8Array(5) })).toBe(5);
    expect(
      bodySize({
        kind: 'multipart',
        parts: [
          { field: 'image', filename: 'a.png', contentType: 'image/png', bytes: new Uint8Array(3) },
          { field: 'x', filename: 'b', contentType: 'text/plain', bytes: new Uint8Array(4) },
        ],
      }),
    ).toBe(7);
  });
});

describe('TargetSession.send', () => {
  it('sends method, path and headers under the base URL, with the run id; answers status, lower-case headers (repeats joined) and body', async () => {
    answer = (res) => {
      res.setHeader('X-One', 'a');
      res.setHeader('Set-Cookie', ['p=1', 'q=2']);
      res.statusCode = 201;
      res.end('hello');
    };
    const o = await withSession({}, (s) => s.send({ method: 'GET', path: '/Person/7/Image', headers: { accept: 'application/json' } }));
    expect(seen).toHaveLength(1);
    expect(seen[0]!.method).toBe('GET');
    expect(seen[0]!.url).toBe('/api/v1/Person/7/Image');
    expect(seen[0]!.headers.accept).toBe('application/json');
    expect(seen[0]!.headers[RUN_ID_HEADER]).toBe('run-1');
    expect(seen[0]!.headers['content-type']).toBeUndefined();
    expect(o.status).toBe(201);
    expect(o.headers['x-one']).toBe('a');
    expect(o.headers['set-cookie']).toBe('p=1, q=2');
    expect(o.body.toString()).toBe('hello');
    expect(o.bodyTruncated).toBe(false);
    expect(o.error).toBeUndefined();
    expect(o.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('a raw body goes as it is, under its Content-Type (none when it names none); the counters count it', async () => {
    answer = (res) => res.end();
    await withSession({}, async (s) => {
      await s.send({ method: 'PUT', path: '/x', headers: {}, body: { kind: 'raw', contentType: 'image/png', bytes: Buffer.from('PNGDATA') } });
      await s.send({ method: 'PUT', path: '/x', headers: {}, body: { kind: 'raw', bytes: Buffer.from('abc') } });
      expect(s.requestCount).toBe(2);
      expect(s.uploadedBytes).toBe(10);
    });
    expect(seen[0]!.method).toBe('PUT');
    expect(seen[0]!.headers['content-type']).toBe('image/png');
    expect(seen[0]!.body.toString()).toBe('PNGDATA');
    expect(seen[1]!.headers['content-type']).toBeUndefined();
    expect(seen[1]!.body.toString()).toBe('abc');
  });

  it('a multipart body is form data with each part\'s field, file name, type and bytes', async () => {
    answer = (res) => res.end();
    await withSession({}, (s) =>
      s.send({
        method: 'POST',
        path: '/x',
        headers: {},
        body: { kind: 'multipart', parts: [{ field: 'image', filename: 'p.png', contentType: 'image/png', bytes: Buffer.from('IMG') }] },
      }),
    );
    const type = seen[0]!.headers['content-type'] ?? '';
    expect(type).toMatch(/^multipart\/form-data; boundary=/);
    const text = seen[0]!.body.toString();
    expect(text).toContain('name="image"; filename="p.png"');
    expect(text).toContain('Content-Type: image/png');
    expect(text).toContain('\r\n\r\nIMG\r\n');
  });

  it('keeps the body up to maxResponseBytes (the request\'s, else the session\'s) and says it was cut', async () => {
    answer = (res) => {
      res.write('0123456789');
      res.end('abcdefghij');
    };
    await withSession({ maxResponseBytes: 15 }, async (s) => {
      const o = await s.send({ method: 'GET', path: '/big', headers: {} });
      expect(o.body.toString()).toBe('0123456789abcde');
      expect(o.bodyTruncated).toBe(true);
      expect(o.status).toBe(200);
      const exact = await s.send({ method: 'GET', path: '/big', headers: {}, maxResponseBytes: 20 });
      expect(exact.body.toString()).toBe('0123456789abcdefghij');
      expect(exact.bodyTruncated).toBe(false);
      const small = await s.send({ method: 'GET', path: '/big', headers: {}, maxResponseBytes: 10 });
      expect(small.body.toString()).toBe('0123456789');
      expect(small.bodyTruncated).toBe(true);
    });
    // The default cap is 16 MiB: 20 bytes come whole.
    await withSession({}, async (s) => {
      const o = await s.send({ method: 'GET', path: '/big', headers: {} });
      expect(o.body.length).toBe(20);
      expect(o.bodyTruncated).toBe(false);
    });
  });

  it('no answer is an Observation with the error in the report\'s words', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const s = new TargetSession({ baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 5000, concurrency: 1, runId: 'r' });
    try {
      const o = await s.send({ method: 'GET', path: '/', headers: {} });
      expect(o.status).toBeUndefined();
      expect(o.error?.code).toBe('refused');
      expect(o.headers).toEqual({});
      expect(o.body.length).toBe(0);
      expect(o.bodyTruncated).toBe(false);
    } finally {
      await s.close();
    }
  });

  it('a request timeout of its own (timeoutMs) ends a slow answer as a timeout', async () => {
    answer = (res) => setTimeout(() => res.end('late'), 2000);
    const o = await withSession({ timeoutMs: 60_000 }, (s) => s.send({ method: 'GET', path: '/slow', headers: {}, timeoutMs: 100 }));
    expect(o.status).toBeUndefined();
    expect(o.error?.code).toBe('timeout');
  });

  it('counts healthy-expected requests for the breaker (its own breaker when given), and bypassBreaker gets past a tripped one', async () => {
    answer = (res) => {
      res.statusCode = 500;
      res.end();
    };
    const breaker = new CircuitBreaker({ window: 1, minRequests: 1 });
    await withSession({ breaker }, async (s) => {
      expect(s.breaker).toBe(breaker);
      await s.send({ method: 'GET', path: '/x', headers: {} });
      expect(breaker.tripped).toBeUndefined();
      await s.send({ method: 'GET', path: '/x', headers: {}, expectHealthy: true });
      expect(breaker.tripped).toBeInstanceOf(TargetUnrecoverableError);
      await expect(s.send({ method: 'GET', path: '/x', headers: {} })).rejects.toBeInstanceOf(TargetUnrecoverableError);
      expect(seen).toHaveLength(2);
      const o = await s.send({ method: 'DELETE', path: '/x', headers: {}, bypassBreaker: true });
      expect(o.status).toBe(500);
      s.allowAfterTrip(1);
      expect((await s.send({ method: 'GET', path: '/x', headers: {} })).status).toBe(500);
      await expect(s.send({ method: 'GET', path: '/x', headers: {} })).rejects.toBeInstanceOf(TargetUnrecoverableError);
      expect(seen).toHaveLength(4);
    });
  });

  it('without a breaker of its own it makes one with the defaults', async () => {
    await withSession({}, async (s) => {
      expect(s.breaker).toBeInstanceOf(CircuitBreaker);
      expect(s.breaker.tripped).toBeUndefined();
    });
  });

  it('the upload budget is spent when the bytes sent reach it; none set, never', async () => {
    answer = (res) => res.end();
    const put = (s: TargetSession, n: number) => s.send({ method: 'PUT', path: '/x', headers: {}, body: { kind: 'raw', bytes: new Uint8Array(n) } });
    await withSession({ maxUploadBytes: 10 }, async (s) => {
      expect(s.budgetExhausted).toBe(false);
      await put(s, 9);
      expect(s.budgetExhausted).toBe(false);
      await put(s, 1);
      expect(s.budgetExhausted).toBe(true);
      await put(s, 1);
      expect(s.budgetExhausted).toBe(true);
    });
    await withSession({}, async (s) => {
      await put(s, 100);
      expect(s.budgetExhausted).toBe(false);
    });
  });

  it('throttling is waited out by the session: onThrottle is told, the caller sees the answer after it', async () => {
    let n = 0;
    answer = (res) => {
      n++;
      if (n === 1) {
        res.statusCode = 429;
        res.setHeader('retry-after', '0');
        res.end('slow down');
      } else res.end('done');
    };
    const waits: [number, number][] = [];
    const o = await withSession({ onThrottle: (st, ms) => waits.push([st, ms]) }, (s) => s.send({ method: 'GET', path: '/t', headers: {} }));
    expect(o.status).toBe(200);
    expect(o.body.toString()).toBe('done');
    expect(waits).toEqual([[429, 0]]);
  });

  it('baseUrl is the configured one', async () => {
    await withSession({}, async (s) => {
      expect(s.baseUrl).toBe(base);
    });
  });
});
