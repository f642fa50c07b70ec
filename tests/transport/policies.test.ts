/**
 * The transport's small pieces pinned: the Authorization words and headers, error codes in the
 * report's words, the response Content-Type essence, the token bucket (with a fake clock), the
 * circuit breaker's options, and the image's save and restore (with a fake session, fake timers
 * for the waits between restore attempts).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigError, ConnectivityError, TargetUnrecoverableError } from '../../src/errors.js';
import { loadSpec } from '../../src/spec/load.js';
import { authHeaders, schemeWords } from '../../src/transport/auth-headers.js';
import { CircuitBreaker, isSick } from '../../src/transport/circuit-breaker.js';
import { errorCode } from '../../src/transport/error-codes.js';
import { restoreImage, RestoreRefused, snapshotImage, type ImageSessionContext } from '../../src/transport/image-snapshot.js';
import { contentTypeOf, type Observation } from '../../src/transport/observation.js';
import { RateLimiter } from '../../src/transport/rate-limit.js';
import type { TargetSession, WireRequest } from '../../src/transport/target-session.js';

const { model } = await loadSpec();

afterEach(() => {
  vi.useRealTimers();
});

describe('schemeWords / authHeaders', () => {
  it('takes the words from the spec, and falls back to Basic, SOTicket and Bearer', () => {
    expect(schemeWords(model)).toEqual({ basic: 'Basic', ticket: 'SOTicket', bearer: 'Bearer' });
    const bare = { ...model, security: {} } as typeof model;
    expect(schemeWords(bare)).toEqual({ basic: 'Basic', ticket: 'SOTicket', bearer: 'Bearer' });
    // The first letter in upper case, the rest as the spec writes it.
    const own = { ...model, security: { basic: { scheme: 'plain' }, ticket: { scheme: 'soTkt' }, bearer: { scheme: '' } } } as unknown as typeof model;
    expect(schemeWords(own)).toEqual({ basic: 'Plain', ticket: 'SoTkt', bearer: '' });
  });

  it('sends each scheme in its header, and the app token only when one is configured', () => {
    expect(authHeaders(model, { scheme: 'basic', user: 'u', password: 'p' })).toEqual({ authorization: `Basic ${Buffer.from('u:p').toString('base64')}` });
    expect(authHeaders(model, { scheme: 'soticket', ticket: '7T:abc' })).toEqual({ authorization: 'SOTicket 7T:abc' });
    expect(authHeaders(model, { scheme: 'bearer', token: '8A:xyz' }, 'app-1')).toEqual({ authorization: 'Bearer 8A:xyz', 'so-apptoken': 'app-1' });
    expect(authHeaders(model, { scheme: 'session', cookie: 'a=b', xsrfToken: 'x1' }, '')).toEqual({ cookie: 'a=b', 'x-xsrf-token': 'x1' });
    const noSession = { ...model, security: { ...model.security, session: undefined }, headers: [] } as typeof model;
    expect(authHeaders(noSession, { scheme: 'session', cookie: 'a=b', xsrfToken: 'x1' }, 'app-1')).toEqual({ cookie: 'a=b' });
  });
});

describe('errorCode', () => {
  it.each<[unknown, string]>([
    [{ code: 'UND_ERR_INVALID_ARG' }, 'client-error'],
    [{ code: 'ERR_INVALID_ARG_TYPE' }, 'client-error'],
    [{ code: 'ERR_INVALID_ARG_VALUE' }, 'client-error'],
    [{ code: 'ERR_INVALID_CHAR' }, 'client-error'],
    [{ code: 'ERR_HTTP_INVALID_HEADER_VALUE' }, 'client-error'],
    [{ code: 'UND_ERR_HEADERS_TIMEOUT' }, 'timeout'],
    [{ code: 'DEADLINE' }, 'timeout'],
    [{ code: 'UND_ERR_ABORTED' }, 'timeout'],
    [{ name: 'AbortError' }, 'timeout'],
    [{ name: 'TimeoutError' }, 'timeout'],
    [{ code: 'UND_ERR_BODY_TIMEOUT' }, 'timeout'],
    [{ code: 'UND_ERR_CONNECT_TIMEOUT' }, 'timeout'],
    [{ code: 'ECONNRESET' }, 'reset'],
    [{ code: 'UND_ERR_SOCKET' }, 'reset'],
    [{ code: 'ECONNREFUSED' }, 'refused'],
    [{ code: 'HPE_INVALID_CONSTANT' }, 'protocol'],
    [{ code: 'HPE_UNEXPECTED_CONTENT_LENGTH' }, 'protocol'],
    [{ code: 'UND_ERR_RESPONSE_STATUS_CODE' }, 'protocol'],
    [{ code: 'EPIPE' }, 'EPIPE'],
    [{ code: 'ECONNREFUSED', name: 'AbortError' }, 'refused'],
    [{}, 'error'],
  ])('%j is %j', (e, code) => {
    expect(errorCode(e).code).toBe(code);
  });

  it('keeps the message, or the value as text when it has none', () => {
    expect(errorCode(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toEqual({ code: 'reset', message: 'socket hang up' });
    expect(errorCode('boom')).toEqual({ code: 'error', message: 'boom' });
  });
});

describe('contentTypeOf', () => {
  const o = (headers: Record<string, string>): Observation => ({ status: 200, headers, body: Buffer.alloc(0), bodyTruncated: false, durationMs: 0 });
  it.each([
    [{ 'content-type': 'application/json' }, 'application/json'],
    [{ 'content-type': ' Application/JSON ; charset=utf-8' }, 'application/json'],
    [{ 'content-type': 'text/xml;charset=utf-8' }, 'text/xml'],
    [{}, ''],
  ])('%j gives %j', (headers, type) => {
    expect(contentTypeOf(o(headers))).toBe(type);
  });
});

describe('RateLimiter', () => {
  /** A clock that moves only when the limiter sleeps. */
  function clock() {
    const c = { t: 1000, sleeps: [] as number[] };
    return {
      c,
      now: () => c.t,
      sleep: async (ms: number) => {
        c.sleeps.push(ms);
        c.t += ms;
      },
    };
  }

  it('with no rate (or rate 0) never waits', async () => {
    for (const rate of [undefined, 0]) {
      const k = clock();
      const r = new RateLimiter(rate, k.now, k.sleep);
      for (let i = 0; i < 5; i++) await r.take();
      expect(k.c.sleeps).toEqual([]);
    }
  });

  it('lets a burst of one second\'s worth go at once, then one request every 1/rate s', async () => {
    const k = clock();
    const r = new RateLimiter(4, k.now, k.sleep);
    for (let i = 0; i < 4; i++) await r.take();
    expect(k.c.sleeps).toEqual([]);
    await r.take();
    await r.take();
    expect(k.c.sleeps).toEqual([250, 250]);
    expect(k.c.t).toBe(1500);
  });

  it('tokens refill with time, up to the burst', async () => {
    const k = clock();
    const r = new RateLimiter(2, k.now, k.sleep);
    await r.take();
    await r.take();
    k.c.t += 10_000; // a long pause refills to 2, not 20
    await r.take();
    await r.take();
    expect(k.c.sleeps).toEqual([]);
    await r.take();
    expect(k.c.sleeps).toEqual([500]);
    k.c.t += 250; // half a token
    await r.take();
    expect(k.c.sleeps).toEqual([500, 250]);
  });

  it('a rate below 1 keeps a burst of one request and waits the full interval', async () => {
    const k = clock();
    const r = new RateLimiter(0.5, k.now, k.sleep);
    await r.take();
    expect(k.c.sleeps).toEqual([]);
    await r.take();
    expect(k.c.sleeps).toEqual([2000]);
  });

  it('requests taken at once are served in order, one per interval', async () => {
    const k = clock();
    const r = new RateLimiter(1, k.now, k.sleep);
    const order: number[] = [];
    await Promise.all([0, 1, 2].map((i) => r.take().then(() => order.push(i))));
    expect(order).toEqual([0, 1, 2]);
    expect(k.c.sleeps).toEqual([1000, 1000]);
  });

  it('the default clock and sleep work', async () => {
    const r = new RateLimiter(1000);
    await r.take();
    await r.take();
    expect(true).toBe(true);
  });
});

describe('CircuitBreaker options and isSick', () => {
  it.each<[Pick<Observation, 'status' | 'error'>, boolean]>([
    [{ status: 200 }, false],
    [{ status: 499 }, false],
    [{ status: 500 }, true],
    [{ error: { code: 'timeout', message: '' } }, true],
    [{ error: { code: 'client-error', message: '' } }, false],
    [{}, true],
  ])('isSick(%j) is %j', (o, sick) => {
    expect(isSick(o)).toBe(sick);
  });

  it('window, minRequests and threshold are honoured', () => {
    const b = new CircuitBreaker({ window: 4, minRequests: 4, threshold: 0.75 });
    b.record({ status: 500 }, true);
    b.record({ status: 500 }, true);
    b.record({ status: 500 }, true);
    expect(b.tripped).toBeUndefined(); // 3 requests < minRequests
    b.record({ status: 200 }, true); // 3 of 4 = 0.75
    expect(b.tripped?.message).toBe('the target looks sick: 3 of the last 4 valid requests got a 5xx, a timeout or a dropped connection; the run stopped instead of hammering it (circuit breaker)');
    expect(b.tripped?.kind).toBe('circuit-breaker');
  });

  it('the window slides: old sick answers leave it', () => {
    const b = new CircuitBreaker({ window: 2, minRequests: 2, threshold: 1 });
    b.record({ status: 500 }, true);
    b.record({ status: 200 }, true);
    b.record({ status: 500 }, true);
    expect(b.tripped).toBeUndefined();
    b.record({ status: 500 }, true);
    expect(b.tripped?.message).toMatch(/^the target looks sick: 2 of the last 2 /);
  });

  it('keeps the first error it tripped with, and check() throws it', () => {
    const b = new CircuitBreaker({ window: 1, minRequests: 1, maxConsecutiveRefused: 1 });
    expect(() => b.check()).not.toThrow();
    b.record({ error: { code: 'refused', message: '' } }, true);
    const first = b.tripped;
    expect(first?.kind).toBe('target-gone');
    expect(first?.message).toBe('the target went away: 1 connections in a row were refused; the run stopped');
    b.record({ status: 500 }, true);
    b.record({ error: { code: 'refused', message: '' } }, true);
    expect(b.tripped).toBe(first);
    expect(() => b.check()).toThrow(first);
  });

  it('an answer or another error breaks a run of refusals; an observation with neither does not', () => {
    const refused = { error: { code: 'refused', message: '' } };
    const b = new CircuitBreaker({ maxConsecutiveRefused: 2 });
    b.record(refused, false);
    b.record({ status: 404 }, false);
    b.record(refused, false);
    expect(b.tripped).toBeUndefined();
    b.record({ error: { code: 'reset', message: '' } }, false);
    b.record(refused, false);
    expect(b.tripped).toBeUndefined();
    b.record({}, false);
    b.record(refused, false);
    expect(b.tripped).toBeInstanceOf(TargetUnrecoverableError);
  });
});

describe('snapshotImage / restoreImage', () => {
  const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
  type Reply = Partial<Observation>;
  function fakeSession(replies: Reply[]) {
    const sent: WireRequest[] = [];
    const session = {
      baseUrl: 'http://127.0.0.1:9/SuperOffice',
      send: async (req: WireRequest): Promise<Observation> => {
        const r = replies[Math.min(sent.length, replies.length - 1)]!;
        sent.push(req);
        return { headers: {}, body: Buffer.alloc(0), bodyTruncated: false, durationMs: 1, ...r };
      },
    };
    const ctx: ImageSessionContext = { session: session as unknown as TargetSession, model, headers: { authorization: 'Basic x' } };
    return { ctx, sent };
  }

  it('saves a 200 image with its Content-Type, reading the whole image as a healthy-expected GET', async () => {
    const { ctx, sent } = fakeSession([{ status: 200, headers: { 'content-type': 'image/png' }, body: PNG }]);
    expect(await snapshotImage(ctx, 7)).toEqual({ personId: 7, image: { bytes: PNG, contentType: 'image/png' } });
    expect(sent).toEqual([{ method: 'GET', path: '/Person/7/Image', headers: { authorization: 'Basic x' }, maxResponseBytes: 512 * 1024 * 1024, expectHealthy: true }]);
  });

  it('a 200 image without Content-Type is kept as application/octet-stream', async () => {
    const { ctx } = fakeSession([{ status: 200, body: PNG }]);
    expect((await snapshotImage(ctx, 7)).image?.contentType).toBe('application/octet-stream');
  });

  it('404: the person has no image; a 200 with an empty body is no image to save and stops the run', async () => {
    const { ctx } = fakeSession([{ status: 404 }]);
    expect(await snapshotImage(ctx, 7)).toEqual({ personId: 7 });
    const { ctx: empty } = fakeSession([{ status: 200, body: Buffer.alloc(0) }]);
    await expect(snapshotImage(empty, 7)).rejects.toThrow(/^cannot save person 7's image before the run: GET answered 200$/);
  });

  it('a 200 that is no image is a configuration error naming the type and the API base', async () => {
    const { ctx } = fakeSession([{ status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: Buffer.from('<html>') }]);
    const e = await snapshotImage(ctx, 7).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ConfigError);
    expect((e as Error).message).toBe(
      "GET /Person/7/Image answered 200 with 6 bytes of text/html that are no image; is --target the API's base URL (up to and including /api/v1)? (did you mean http://127.0.0.1:9/SuperOffice/api/v1?)",
    );
  });

  it('no answer is a connectivity error', async () => {
    const { ctx } = fakeSession([{ error: { code: 'refused', message: 'connect ECONNREFUSED' } }]);
    await expect(snapshotImage(ctx, 7)).rejects.toThrow(new ConnectivityError("cannot reach the target http://127.0.0.1:9/SuperOffice: refused (connect ECONNREFUSED) when saving person 7's image"));
    const { ctx: bare } = fakeSession([{}]);
    await expect(snapshotImage(bare, 7)).rejects.toThrow("cannot reach the target http://127.0.0.1:9/SuperOffice: error () when saving person 7's image");
  });

  it('another status stops the run; a redirect says where it went, without its query', async () => {
    const { ctx } = fakeSession([{ status: 500 }]);
    await expect(snapshotImage(ctx, 7)).rejects.toThrow(new ConnectivityError("cannot save person 7's image before the run: GET answered 500"));
    for (const status of [301, 399]) {
      const { ctx: r } = fakeSession([{ status, headers: { location: 'https://login.example/x?ticket=1' } }]);
      const e = (await snapshotImage(r, 7).catch((x: unknown) => x)) as Error;
      expect(e.message).toBe(
        `cannot save person 7's image before the run: GET answered ${status} (a redirect to https://login.example/x; redirects are not followed, so that credentials stay at the target's origin: give the final URL as --target)`,
      );
    }
    for (const status of [300, 400]) {
      const { ctx: r } = fakeSession([{ status, headers: { location: 'https://login.example/x' } }]);
      const e = (await snapshotImage(r, 7).catch((x: unknown) => x)) as Error;
      if (status === 300) expect(e.message).toContain('(a redirect to https://login.example/x;');
      else expect(e.message).toBe(`cannot save person 7's image before the run: GET answered 400`);
    }
    const { ctx: noLocation } = fakeSession([{ status: 302 }]);
    await expect(snapshotImage(noLocation, 7)).rejects.toThrow(/^cannot save person 7's image before the run: GET answered 302$/);
  });

  it('restores a saved image with PUT of its bytes under its type (parameters dropped), past the breaker', async () => {
    const { ctx, sent } = fakeSession([{ status: 200 }]);
    const result = await restoreImage(ctx, { personId: 7, image: { bytes: PNG, contentType: 'image/png; q=1' } });
    expect(result).toEqual({ outcome: 'restored', message: "person 7's image restored (12 bytes, image/png)" });
    expect(sent).toEqual([{ method: 'PUT', path: '/Person/7/Image', headers: { authorization: 'Basic x' }, body: { kind: 'raw', contentType: 'image/png', bytes: PNG }, bypassBreaker: true }]);
  });

  it('removes the run\'s image with DELETE when the person had none; 404 and 2xx are fine', async () => {
    for (const status of [200, 204, 299, 404]) {
      const { ctx, sent } = fakeSession([{ status }]);
      expect(await restoreImage(ctx, { personId: 7 })).toEqual({ outcome: 'removed', message: "person 7 had no image; the run's image was removed" });
      expect(sent).toEqual([{ method: 'DELETE', path: '/Person/7/Image', headers: { authorization: 'Basic x' }, bypassBreaker: true }]);
    }
  });

  it('a refusal (4xx) throws RestoreRefused at once, without retrying', async () => {
    const { ctx, sent } = fakeSession([{ status: 403 }]);
    const e = (await restoreImage(ctx, { personId: 7, image: { bytes: PNG, contentType: 'image/png' } }).catch((x: unknown) => x)) as RestoreRefused;
    expect(e).toBeInstanceOf(RestoreRefused);
    expect(e.status).toBe(403);
    expect(e.message).toBe("restoring person 7's image failed: PUT answered 403");
    expect(sent).toHaveLength(1);
    const del = fakeSession([{ status: 300 }]);
    const d = (await restoreImage(del.ctx, { personId: 7 }).catch((x: unknown) => x)) as RestoreRefused;
    expect(d.message).toBe("removing the run's image from person 7 failed: DELETE answered 300");
    expect(del.sent).toHaveLength(1);
  });

  it('a failure (5xx, no answer) is retried 0.5 s, then 1 s later, up to restoreAttempts (default 3)', async () => {
    vi.useFakeTimers();
    const { ctx, sent } = fakeSession([{ status: 503 }, { error: { code: 'reset', message: 'socket hang up' } }, { status: 200 }]);
    const done = restoreImage(ctx, { personId: 7, image: { bytes: PNG, contentType: 'image/png' } });
    await vi.advanceTimersByTimeAsync(499);
    expect(sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(sent).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(999);
    expect(sent).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(sent).toHaveLength(3);
    expect((await done).outcome).toBe('restored');
  });

  it('gives up after restoreAttempts with the last failure; at least one attempt is made', async () => {
    vi.useFakeTimers();
    const { ctx, sent } = fakeSession([{ error: { code: 'reset', message: 'socket hang up' } }]);
    ctx.restoreAttempts = 2;
    const done = restoreImage(ctx, { personId: 7, image: { bytes: PNG, contentType: 'image/png' } }).catch((x: unknown) => x);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(sent).toHaveLength(2);
    expect(((await done) as Error).message).toBe("restoring person 7's image failed: PUT got no answer (reset: socket hang up)");
    const once = fakeSession([{ status: 500 }]);
    once.ctx.restoreAttempts = 0;
    const e = (await restoreImage(once.ctx, { personId: 7 }).catch((x: unknown) => x)) as RestoreRefused;
    expect(once.sent).toHaveLength(1);
    expect(e.message).toBe("removing the run's image from person 7 failed: DELETE answered 500");
    const bare = fakeSession([{}]);
    bare.ctx.restoreAttempts = 1;
    await expect(restoreImage(bare.ctx, { personId: 7 })).rejects.toThrow("removing the run's image from person 7 failed: DELETE got no answer (error: )");
  });
});
