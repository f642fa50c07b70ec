/**
 * TargetSession against a small node:http server on 127.0.0.1 that records each request and
 * answers as a test tells it: what goes on the wire (path, headers, raw and multipart bodies,
 * how many connections), what comes back (status, headers, the body up to the cap), the counters,
 * the upload budget, the breaker's options and what it counts, throttling, the record of each
 * exchange, TLS with a custom CA (a certificate made here with the openssl CLI, on stdout: no file
 * written), close(), and no answer as an Observation with an error.
 */
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TargetUnrecoverableError } from '../../src/errors.js';
import { CircuitBreaker } from '../../src/transport/circuit-breaker.js';
import { bodySize, RUN_ID_HEADER, TargetSession, type SessionExchange, type SessionOptions } from '../../src/transport/target-session.js';
import { userAgent } from '../../src/version.js';
import { itWithTools } from '../support/tools.js';
import { startSelfSignedServer } from '../support/tls-server.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The client's end of the connection the request came on. */
  port: number | undefined;
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
      const s = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks), port: req.socket.remotePort };
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
    let before = 0;
    let after = 0;
    const o = await withSession({}, async (s) => {
      before = performance.now();
      const sent = await s.send({ method: 'GET', path: '/Person/7/Image', headers: { accept: 'application/json' } });
      after = performance.now();
      return sent;
    });
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
    // The time send() took, measured inside it: never more than the caller saw go by.
    expect(o.durationMs).toBeGreaterThanOrEqual(0);
    expect(o.durationMs).toBeLessThanOrEqual(after - before);
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

  it('a multipart body with the .NET framing goes out in exactly those bytes, under its media type with the boundary in quotes', async () => {
    answer = (res) => res.end();
    await withSession({}, (s) =>
      s.send({
        method: 'PUT',
        path: '/x',
        headers: {},
        body: {
          kind: 'multipart',
          parts: [{ field: 'image', filename: 'p.png', contentType: 'image/png', bytes: Buffer.from('IMG') }],
          framing: { style: 'dotnet', mediaType: 'multipart/form-data' },
        },
      }),
    );
    const type = seen[0]!.headers['content-type'] ?? '';
    const boundary = /^multipart\/form-data; boundary="([0-9a-f-]{36})"$/.exec(type)?.[1];
    expect(boundary, type).toBeDefined();
    expect(seen[0]!.body.toString('latin1')).toBe(
      `--${boundary}\r\nContent-Type: image/png\r\nContent-Disposition: form-data; name=image; filename=p.png; filename*=utf-8''p.png\r\n\r\nIMG\r\n--${boundary}--\r\n`,
    );
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

  it('a cap that falls in a later chunk keeps exactly maxResponseBytes', async () => {
    // The second chunk goes out a moment after the first has left, so that the first is read on its own.
    answer = (res) => {
      res.write('0123456789', () => setTimeout(() => res.end('abcdefghij'), 50));
    };
    await withSession({ maxResponseBytes: 15 }, async (s) => {
      const o = await s.send({ method: 'GET', path: '/chunks', headers: {} });
      expect(o.body.toString()).toBe('0123456789abcde');
      expect(o.bodyTruncated).toBe(true);
    });
  });

  it('an answer cut at the cap counts for the breaker by its status, not as a dropped connection', async () => {
    // The target is still sending (the answer never ends) when the client stops reading at the cap.
    answer = (res) => res.write('0123456789abcdefghij');
    const breaker = new CircuitBreaker({ window: 1, minRequests: 1 });
    await withSession({ breaker, maxResponseBytes: 15 }, async (s) => {
      const o = await s.send({ method: 'GET', path: '/endless', headers: {}, expectHealthy: true });
      expect(o.status).toBe(200);
      expect(o.body.toString()).toBe('0123456789abcde');
      expect(o.bodyTruncated).toBe(true);
      expect(breaker.tripped).toBeUndefined();
    });
  });

  it('an answer the target drops in the middle of its body is a reset, and the breaker counts it as one', async () => {
    answer = (res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('partial', () => res.socket?.destroy());
    };
    const breaker = new CircuitBreaker({ window: 1, minRequests: 1 });
    await withSession({ breaker }, async (s) => {
      const o = await s.send({ method: 'GET', path: '/dropped', headers: {}, expectHealthy: true });
      expect(o.status).toBeUndefined();
      expect(o.error?.code).toBe('reset');
      expect(breaker.tripped).toBeInstanceOf(TargetUnrecoverableError);
    });
  });

  it('no answer is an Observation with the error in the report\'s words', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const s = new TargetSession({ baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 5000, concurrency: 1, runId: 'r' });
    try {
      const before = performance.now();
      const o = await s.send({ method: 'GET', path: '/', headers: {} });
      const after = performance.now();
      expect(o.status).toBeUndefined();
      expect(o.error?.code).toBe('refused');
      expect(o.headers).toEqual({});
      expect(o.body.length).toBe(0);
      expect(o.bodyTruncated).toBe(false);
      expect(o.durationMs).toBeGreaterThanOrEqual(0);
      expect(o.durationMs).toBeLessThanOrEqual(after - before);
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

  it('gives up when throttling would last longer than maxThrottleMs, without waiting', async () => {
    answer = (res) => {
      if (seen.length === 1) {
        res.statusCode = 429;
        res.setHeader('retry-after', '1');
        res.end();
      } else res.end('done');
    };
    const waits: number[] = [];
    await withSession({ maxThrottleMs: 500, onThrottle: (_st, ms) => waits.push(ms) }, async (s) => {
      const sent = s.send({ method: 'GET', path: '/t', headers: {} });
      await expect(sent).rejects.toBeInstanceOf(TargetUnrecoverableError);
      await expect(sent).rejects.toMatchObject({ kind: 'throttled' });
    });
    expect(seen).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('baseUrl is the configured one', async () => {
    await withSession({}, async (s) => {
      expect(s.baseUrl).toBe(base);
    });
  });
});

describe('TargetSession connections', () => {
  it('with concurrency 2, two requests are on the wire at once, each on a connection of its own', async () => {
    // The target answers only once both requests have come: one connection at a time would leave the first waiting.
    const held: ServerResponse[] = [];
    answer = (res) => {
      held.push(res);
      if (held.length === 2) for (const r of held) r.end('ok');
    };
    await withSession({ concurrency: 2, timeoutMs: 5000 }, async (s) => {
      const [a, b] = await Promise.all([s.send({ method: 'GET', path: '/a', headers: {} }), s.send({ method: 'GET', path: '/b', headers: {} })]);
      expect(a.status).toBe(200);
      expect(b.status).toBe(200);
    });
    expect(seen).toHaveLength(2);
    expect(seen[0]!.port).not.toBe(seen[1]!.port);
  });

  it('with concurrency 1, requests sent together go one after the other on one kept-alive connection', async () => {
    answer = (res) => res.end('ok');
    await withSession({ concurrency: 1 }, async (s) => {
      const answers = await Promise.all(['/a', '/b', '/c'].map((path) => s.send({ method: 'GET', path, headers: {} })));
      expect(answers.map((o) => o.status)).toEqual([200, 200, 200]);
    });
    expect(seen).toHaveLength(3);
    expect(new Set(seen.map((r) => r.port)).size).toBe(1);
  });

  it('close() ends the session: a later request is an error and never reaches the target', async () => {
    answer = (res) => res.end('ok');
    seen.length = 0;
    const s = new TargetSession({ baseUrl: base, timeoutMs: 10_000, concurrency: 1, runId: 'run-1' });
    expect((await s.send({ method: 'GET', path: '/before', headers: {} })).status).toBe(200);
    await s.close();
    const o = await s.send({ method: 'GET', path: '/after', headers: {} });
    expect(o.status).toBeUndefined();
    expect(o.error?.code).toMatch(/^UND_ERR_(CLOSED|DESTROYED)$/);
    expect(seen.map((r) => r.url)).toEqual(['/api/v1/before']);
  });
});

describe('TargetSession onExchange', () => {
  it('is told of each exchange: method, full URL, the headers as sent (User-Agent, run id, Content-Type), the body, when it started and the observation', async () => {
    answer = (res) => {
      res.statusCode = 204;
      res.end();
    };
    const exchanges: SessionExchange[] = [];
    const body = { kind: 'raw' as const, contentType: 'image/png', bytes: Buffer.from('PNG') };
    const before = Date.now();
    const o = await withSession({ onExchange: async (e) => void exchanges.push(e) }, (s) => s.send({ method: 'PUT', path: '/Person/7/Image', headers: { authorization: 'Basic eDp4' }, body }));
    const after = Date.now();
    expect(exchanges).toHaveLength(1);
    const e = exchanges[0]!;
    expect(e.method).toBe('PUT');
    expect(e.url).toBe(`${base}/Person/7/Image`);
    expect(e.headers).toStrictEqual({ 'user-agent': userAgent, [RUN_ID_HEADER]: 'run-1', authorization: 'Basic eDp4', 'content-type': 'image/png' });
    expect(e.body).toBe(body);
    expect(e.startedAt).toBeInstanceOf(Date);
    expect(e.startedAt.getTime()).toBeGreaterThanOrEqual(before);
    expect(e.startedAt.getTime()).toBeLessThanOrEqual(after);
    expect(e.observation).toBe(o);
    expect(o.status).toBe(204);
    // What it was told went on the wire: the same headers.
    expect(seen[0]!.headers['user-agent']).toBe(userAgent);
    expect(seen[0]!.headers.authorization).toBe('Basic eDp4');
  });

  it('a body without a type and a request without a body are told as they went: no Content-Type, no body', async () => {
    answer = (res) => res.end();
    const exchanges: SessionExchange[] = [];
    await withSession({ onExchange: async (e) => void exchanges.push(e) }, async (s) => {
      await s.send({ method: 'PUT', path: '/x', headers: {}, body: { kind: 'raw', bytes: Buffer.from('abc') } });
      await s.send({ method: 'GET', path: '/y', headers: { accept: '*/*' } });
    });
    expect(exchanges).toHaveLength(2);
    expect(exchanges[0]!.headers).toStrictEqual({ 'user-agent': userAgent, [RUN_ID_HEADER]: 'run-1' });
    expect(exchanges[0]!.body).toEqual({ kind: 'raw', bytes: Buffer.from('abc') });
    expect(exchanges[1]!.headers).toStrictEqual({ 'user-agent': userAgent, [RUN_ID_HEADER]: 'run-1', accept: '*/*' });
    expect('body' in exchanges[1]!).toBe(false);
    expect(seen[0]!.headers['content-type']).toBeUndefined();
  });

  it('is told of a request that got no answer too, with the error observation', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const exchanges: SessionExchange[] = [];
    const s = new TargetSession({ baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 5000, concurrency: 1, runId: 'r', onExchange: async (e) => void exchanges.push(e) });
    try {
      const o = await s.send({ method: 'GET', path: '/gone', headers: {} });
      expect(o.error?.code).toBe('refused');
      expect(exchanges).toHaveLength(1);
      expect(exchanges[0]!.url).toBe(`http://127.0.0.1:${port}/gone`);
      expect(exchanges[0]!.observation).toBe(o);
    } finally {
      await s.close();
    }
  });

  it('is awaited: send() ends only once the recorder is done', async () => {
    answer = (res) => res.end('ok');
    let release!: () => void;
    const recorded = new Promise<void>((r) => (release = r));
    let told!: () => void;
    const inRecorder = new Promise<void>((r) => (told = r));
    await withSession(
      {
        onExchange: async () => {
          told();
          await recorded;
        },
      },
      async (s) => {
        let ended = false;
        const sent = s.send({ method: 'GET', path: '/slow-recorder', headers: {} }).then((o) => {
          ended = true;
          return o;
        });
        await inRecorder;
        await new Promise((r) => setImmediate(r));
        expect(ended).toBe(false);
        release();
        expect((await sent).status).toBe(200);
        expect(ended).toBe(true);
      },
    );
  });
});

describe('TargetSession over TLS', () => {
  itWithTools('reaches a target whose certificate the extra CA signed (PEM as text or bytes), and refuses it without that CA', ['openssl'], async () => {
    const tls = await startSelfSignedServer('secure');
    const { cert } = tls;
    const tlsBase = tls.origin;
    const sendWith = async (ca: string | Buffer | undefined) => {
      const s = new TargetSession({ baseUrl: tlsBase, timeoutMs: 10_000, concurrency: 1, runId: 'tls', ...(ca === undefined ? {} : { ca }) });
      try {
        return await s.send({ method: 'GET', path: '/', headers: {} });
      } finally {
        await s.close();
      }
    };
    try {
      for (const ca of [cert, Buffer.from(cert)]) {
        const o = await sendWith(ca);
        expect(o.error).toBeUndefined();
        expect(o.status).toBe(200);
        expect(o.body.toString()).toBe('secure');
      }
      const refused = await sendWith(undefined);
      expect(refused.status).toBeUndefined();
      expect(refused.error?.code).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
    } finally {
      await tls.close();
    }
  });
});
