/**
 * Robustness: the body limit (413) and a fast-check fuzz of malformed requests, both through
 * undici and as raw bytes over a socket. Every answer must be < 500 (or, for bytes that are no
 * HTTP, a closed connection), nothing may hang, and valid requests must still work afterwards.
 */
import { connect } from 'node:net';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSpec } from '../../src/spec/load.js';
import type { SpecModel } from '../../src/spec/model.js';
import { startReferenceTarget, type RunningTarget } from '../../src/target/index.js';
import { auth, call, png, upload } from './helpers.js';

const LIMIT = 256 * 1024;
/** Fixed seeds of the two fuzz tests (printed in their names): every run sends the same inputs, however fast the machine. */
const UNDICI_SEED = 301;
const RAW_SEED = 401;
let t: RunningTarget;
const model: SpecModel = (await loadSpec()).model;
let image: Buffer;
let port: number;
let basePath: string;

beforeAll(async () => {
  t = await startReferenceTarget({ maxBodyBytes: LIMIT });
  image = await png();
  const u = new URL(t.url);
  port = Number(u.port);
  basePath = u.pathname;
});
afterAll(async () => {
  await t.close();
});

async function stillServes(): Promise<void> {
  const a = await upload(t, 1, image, 'image/png');
  expect(a.status).toBe(200);
}

/** Sends raw bytes, half-closes, and reads until the server closes. */
function rawExchange(bytes: Uint8Array, timeoutMs = 8_000): Promise<{ statuses: number[]; timedOut: boolean }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = connect(port, '127.0.0.1');
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ statuses: [], timedOut: true });
    }, timeoutMs);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('latin1');
      const statuses = [...text.matchAll(/HTTP\/1\.[01] (\d{3}) /g)].map((m) => Number(m[1]));
      resolve({ statuses, timedOut: false });
    });
    socket.write(bytes, () => socket.end());
  });
}

describe('body limit', () => {
  it('answers 413 with an error body for a body over the limit, declared or streamed, and keeps serving', async () => {
    const big = Buffer.concat([image, Buffer.alloc(LIMIT)]);
    const declared = await upload(t, 1, big, 'image/png');
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.text)).toMatchObject({ Error: true, ErrorMessage: expect.any(String) });
    async function* chunks(): AsyncGenerator<Buffer> {
      for (let i = 0; i < 8; i++) yield Buffer.alloc(64 * 1024, i);
    }
    const streamed = await request(`${t.url}/Person/1/Image`, { method: 'PUT', headers: { ...auth(t), 'content-type': 'image/png' }, body: Readable.from(chunks()) });
    expect(streamed.statusCode).toBe(413);
    await streamed.body.dump();
    const raw = await rawExchange(Buffer.from(`PUT ${basePath}/Person/1/Image HTTP/1.1\r\nHost: x\r\nAuthorization: ${auth(t).authorization}\r\nContent-Type: image/png\r\nContent-Length: 99999999999\r\n\r\nabc`));
    expect(raw.statuses).toEqual([413]);
    await stillServes();
  });

  it('answers 431 or 400 to huge headers and keeps serving', async () => {
    const huge = await rawExchange(Buffer.from(`GET ${basePath}/Person/1/ImageInfo HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(100_000)}\r\n\r\n`));
    expect(huge.statuses).toEqual([431]);
    await stillServes();
  });
});

describe('fuzz', () => {
  const token = fc.stringMatching(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,20}$/);
  const headerValue = fc.oneof(fc.stringMatching(/^[\x20-\x7e]{0,60}$/), fc.constantFrom('', ' ', 'null', '-1', '\t', 'é', '%00'));
  const segment = fc.oneof(
    fc.constantFrom('1', '0', '-1', '2147483648', 'abc', '1.5', '%zz', '%00', '..', '', '99999999999999999999'),
    fc.string({ maxLength: 12 }).map(encodeURIComponent),
  );
  const path = fc.oneof(
    segment.map((s) => `${basePath}/Person/${s}/Image`),
    segment.map((s) => `${basePath}/Person/${s}/ImageInfo`),
    fc.array(segment, { maxLength: 5 }).map((ss) => `/${ss.join('/')}`),
    fc.tuple(segment, fc.string({ maxLength: 20 })).map(([s, q]) => `${basePath}/Person/${s}/Image?${encodeURIComponent(q)}=${encodeURIComponent(q)}&type=${encodeURIComponent(q)}`),
  );
  const contentType = fc.oneof(
    fc.constantFrom(...model.imageMediaTypes, `${model.multipart.type}; boundary=----b`),
    fc.constantFrom('multipart/form-data; boundary=x', 'multipart/form-data', 'text/plain', 'application/json', 'image/png; boundary=', ';;;', ''),
    headerValue,
  );
  const body = fc.oneof(
    fc.constant(null).map(() => image),
    fc.uint8Array({ maxLength: 3000 }).map((b) => Buffer.from(b)),
    fc.tuple(fc.nat(), fc.nat()).map(([a, b]) => {
      // A real image with a damaged byte and a cut.
      const c = Buffer.from(image);
      c[a % c.length] = (c[a % c.length] ?? 0) ^ 0xff;
      return c.subarray(0, 1 + (b % c.length));
    }),
    fc.uint8Array({ maxLength: 500 }).map((b) =>
      Buffer.concat([Buffer.from(`------b\r\nContent-Disposition: form-data; name="${model.multipart.field}"; filename="a"\r\n\r\n`), Buffer.from(b), Buffer.from('\r\n------b--\r\n')]),
    ),
  );

  it(`answers random requests through undici with a status below 500 (seed ${UNDICI_SEED})`, async () => {
    const valid = auth(t);
    const seen = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'PUT', 'POST', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'TRACE', 'PROPFIND'),
        path,
        fc.boolean(),
        contentType,
        fc.option(headerValue),
        fc.dictionary(token, headerValue, { maxKeys: 6 }),
        body,
        async (method, p, withAuth, type, accept, extra, bytes) => {
          const headers: Record<string, string> = { ...extra, 'content-type': type };
          delete headers.host;
          delete headers['content-length'];
          delete headers['transfer-encoding'];
          delete headers.connection;
          delete headers.expect;
          delete headers.upgrade;
          if (accept !== null) headers.accept = accept;
          if (withAuth) Object.assign(headers, valid);
          const hasBody = method !== 'GET' && method !== 'HEAD';
          const r = await request(`http://127.0.0.1:${port}${p}`, { method: method as 'GET', headers, body: hasBody ? bytes : null, headersTimeout: 10_000, bodyTimeout: 10_000 });
          await r.body.dump();
          expect(r.statusCode).toBeLessThan(500);
          seen.set(r.statusCode, (seen.get(r.statusCode) ?? 0) + 1);
        },
      ),
      { numRuns: 300, seed: UNDICI_SEED },
    );
    if (process.env.FUZZ_STATS) console.log('undici fuzz statuses', Object.fromEntries(seen));
    await stillServes();
  }, 180_000);

  it(`answers raw bytes over a socket with a status below 500 or a close, never hanging (seed ${RAW_SEED})`, async () => {
    const authorization = auth(t).authorization ?? '';
    const crlf = '\r\n';
    const rawRequest = fc
      .tuple(
        fc.oneof({ arbitrary: fc.constantFrom('PUT', 'POST', 'GET', 'DELETE'), weight: 5 }, fc.constantFrom('BREW', 'G E T', '')),
        path,
        fc.oneof({ arbitrary: fc.constant('HTTP/1.1'), weight: 5 }, fc.constantFrom('HTTP/1.0', 'HTTP/2.0', 'HTTP/9', 'FTP/1.1', '')),
        fc.boolean(),
        fc.constantFrom(
          'Content-Length: -1',
          'Content-Length: abc',
          'Content-Length: 99999999999999999999',
          'Content-Length: 10, 20',
          'Content-Length: 5\r\nContent-Length: 6',
          'Content-Length: 3',
          'Content-Length: 5000',
          'Transfer-Encoding: chunked',
          'Transfer-Encoding: chunked\r\nContent-Length: 4',
          'Transfer-Encoding: gzip, chunked',
          '',
        ),
        contentType,
        fc.oneof(
          { arbitrary: fc.array(fc.tuple(token, headerValue), { maxLength: 5 }), weight: 4 },
          fc.array(fc.tuple(fc.string({ maxLength: 15 }), fc.string({ maxLength: 40 })), { maxLength: 3 }),
        ),
        fc.oneof(body, fc.constantFrom(Buffer.from('zz\r\nhello\r\n0\r\n\r\n'), Buffer.from('5\r\nab'), Buffer.from('ffffffffffff\r\n'), Buffer.from('0\r\n\r\n'))),
      )
      .map(([method, p, version, withAuth, framing, type, extra, bytes]) => {
        const lines = [`${method} ${p} ${version}`, 'Host: 127.0.0.1'];
        if (withAuth) lines.push(`Authorization: ${authorization}`);
        if (framing) lines.push(framing);
        lines.push(`Content-Type: ${type}`, ...extra.map(([k, v]) => `${k}: ${v}`));
        return Buffer.concat([Buffer.from(lines.join(crlf) + crlf + crlf, 'utf8'), bytes]);
      });
    const garbage = fc.oneof(
      fc.uint8Array({ minLength: 1, maxLength: 4000 }).map((b) => Buffer.from(b)),
      fc.string({ maxLength: 300 }).map((s) => Buffer.from(s, 'utf8')),
      fc.nat({ max: 200_000 }).map((n) => Buffer.from(`GET / HTTP/1.1\r\nX: ${'b'.repeat(n)}\r\n\r\n`)),
      fc.nat({ max: 3000 }).map((n) => Buffer.from(`GET / HTTP/1.1\r\n${'A: b\r\n'.repeat(n)}\r\n`)),
    );
    let closedOnly = 0;
    const seen = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(fc.oneof(rawRequest, garbage), async (bytes) => {
        const r = await rawExchange(bytes);
        expect(r.timedOut).toBe(false);
        for (const s of r.statuses) expect(s).toBeLessThan(500);
        if (r.statuses.length === 0) closedOnly++;
        for (const s of r.statuses) seen.set(s, (seen.get(s) ?? 0) + 1);
      }),
      { numRuns: 400, seed: RAW_SEED },
    );
    expect(closedOnly).toBeLessThan(40);
    if (process.env.FUZZ_STATS) console.log('raw fuzz statuses', Object.fromEntries(seen), 'closed without answer', closedOnly);
    await stillServes();
    expect((await call(`${t.url}/Person/1/ImageInfo`, 'GET', auth(t))).status).toBe(200);
  }, 180_000);
});
