/**
 * The session's interceptors one at a time, with a fake dispatch (records what it is given and
 * plays an answer to the handler) and a recording handler: what each policy passes on, changes,
 * swallows or refuses. No sockets, no clocks but vitest's fake timers where a policy waits.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConformanceError, TargetUnrecoverableError } from '../../src/errors.js';
import { CircuitBreaker } from '../../src/transport/circuit-breaker.js';
import { circuitBreaker, type BreakerGate, type ClientCut } from '../../src/transport/interceptors/circuit-breaker.js';
import { deadline } from '../../src/transport/interceptors/deadline.js';
import { meter, type Meter } from '../../src/transport/interceptors/meter.js';
import { rateLimit } from '../../src/transport/interceptors/rate-limit.js';
import { retryAfter } from '../../src/transport/interceptors/retry-after.js';
import { RUN_ID_HEADER, runIdentity } from '../../src/transport/interceptors/run-identity.js';
import { failBeforeSending, ForwardingHandler, type Controller, type Dispatch, type DispatchOptions, type Handler } from '../../src/transport/interceptors/types.js';
import { RateLimiter } from '../../src/transport/rate-limit.js';

afterEach(() => {
  vi.useRealTimers();
});

type Event = [string, ...unknown[]];

/** A handler that records every call it gets, in order. */
function recorder(): Handler & { events: Event[]; controllers: Controller[] } {
  const events: Event[] = [];
  const controllers: Controller[] = [];
  return {
    events,
    controllers,
    onRequestStart: (c, _ctx) => {
      controllers.push(c);
      events.push(['start']);
    },
    onResponseStart: (c, status, headers) => {
      controllers.push(c);
      events.push(['headers', status, headers]);
    },
    onResponseData: (_c, chunk) => {
      events.push(['data', Buffer.from(chunk).toString()]);
    },
    onResponseEnd: () => {
      events.push(['end']);
    },
    onResponseError: (c, e) => {
      controllers.push(c);
      events.push(['error', e]);
    },
  };
}

function controller(): Controller & { aborts: unknown[]; pauses: number; resumes: number } {
  const c = {
    aborted: false,
    paused: false,
    reason: null as Error | null,
    aborts: [] as unknown[],
    pauses: 0,
    resumes: 0,
    abort(reason: Error) {
      c.aborted = true;
      c.reason = reason;
      c.aborts.push(reason);
    },
    pause() {
      c.pauses++;
      c.paused = true;
    },
    resume() {
      c.resumes++;
      c.paused = false;
    },
  };
  return c;
}

type Answer = { status: number; headers?: Record<string, string | string[]>; body?: string } | { error: Error };

/** A dispatch that records its calls and answers each with the next of `answers` (the last repeats). */
function fakeDispatch(answers: Answer[]): Dispatch & { calls: DispatchOptions[]; handlers: Handler[]; controllers: Controller[] } {
  const calls: DispatchOptions[] = [];
  const handlers: Handler[] = [];
  const controllers: Controller[] = [];
  const d = ((opts: DispatchOptions, handler: Handler) => {
    const answer = answers[Math.min(calls.length, answers.length - 1)]!;
    calls.push(opts);
    handlers.push(handler);
    const c = controller();
    controllers.push(c);
    handler.onRequestStart?.(c, {});
    if ('error' in answer) {
      handler.onResponseError?.(c, answer.error);
      return true;
    }
    handler.onResponseStart?.(c, answer.status, answer.headers ?? {}, '');
    if (answer.body) handler.onResponseData?.(c, Buffer.from(answer.body));
    handler.onResponseEnd?.(c, {});
    return true;
  }) as Dispatch & { calls: DispatchOptions[]; handlers: Handler[]; controllers: Controller[] };
  d.calls = calls;
  d.handlers = handlers;
  d.controllers = controllers;
  return d;
}

const opts = (extra: Partial<DispatchOptions> = {}): DispatchOptions => ({ origin: 'http://127.0.0.1:1', path: '/x', method: 'GET', ...extra });
const errorsOf = (h: { events: Event[] }) => h.events.filter((e) => e[0] === 'error').map((e) => e[1] as Error);

describe('ForwardingHandler and failBeforeSending', () => {
  it('ForwardingHandler passes every call on unchanged', () => {
    const inner = recorder();
    const f = new ForwardingHandler(inner);
    const c = controller();
    f.onRequestStart(c, {});
    f.onResponseStart(c, 201, { a: 'b' }, 'Created');
    f.onResponseData(c, Buffer.from('hi'));
    f.onResponseEnd(c, {});
    const e = new Error('x');
    f.onResponseError(c, e);
    expect(inner.events).toEqual([['start'], ['headers', 201, { a: 'b' }], ['data', 'hi'], ['end'], ['error', e]]);
    expect(inner.controllers.every((x) => x === c)).toBe(true);
  });

  it('ForwardingHandler tolerates an inner handler without callbacks', () => {
    const f = new ForwardingHandler({});
    const c = controller();
    expect(() => {
      f.onRequestStart(c, {});
      f.onResponseStart(c, 200, {}, '');
      f.onResponseData(c, Buffer.from('x'));
      f.onResponseEnd(c, {});
      f.onResponseError(c, new Error('x'));
    }).not.toThrow();
  });

  it('failBeforeSending hands the handler only the error, with an aborted controller that does nothing', () => {
    const h = recorder();
    const e = new Error('refused here');
    failBeforeSending(h, e);
    expect(h.events).toEqual([['error', e]]);
    const c = h.controllers[0]!;
    expect(c.aborted).toBe(true);
    expect(c.paused).toBe(false);
    expect(c.reason).toBe(e);
    expect(() => {
      c.abort(new Error('again'));
      c.pause();
      c.resume();
    }).not.toThrow();
    expect(c.aborted).toBe(true);
    expect(c.paused).toBe(false);
  });
});

describe('runIdentity', () => {
  it('adds the run id and the User-Agent to every request, keeping its own headers', () => {
    const d = fakeDispatch([{ status: 200 }]);
    const h = recorder();
    runIdentity('run-42', 'suite/1.0')(d)(opts({ headers: { accept: 'application/json' } }), h);
    expect(d.calls[0]!.headers).toEqual({ 'user-agent': 'suite/1.0', [RUN_ID_HEADER]: 'run-42', accept: 'application/json' });
    expect(RUN_ID_HEADER).toBe('x-conformance-run');
    expect(d.handlers[0]).toBe(h);
  });

  it('a request without headers still gets both; a User-Agent of the request\'s own wins', () => {
    const d = fakeDispatch([{ status: 200 }]);
    runIdentity('r', 'ua')(d)(opts(), recorder());
    expect(d.calls[0]!.headers).toEqual({ 'user-agent': 'ua', 'x-conformance-run': 'r' });
    runIdentity('r', 'ua')(d)(opts({ headers: { 'user-agent': 'mine' } }), recorder());
    expect(d.calls[1]!.headers).toEqual({ 'user-agent': 'mine', 'x-conformance-run': 'r' });
  });

  it('returns what dispatch returns', () => {
    const d = ((_o: DispatchOptions, _h: Handler) => false) as Dispatch;
    expect(runIdentity('r', 'ua')(d)(opts(), recorder())).toBe(false);
  });
});

describe('meter', () => {
  it('counts every dispatch and its body bytes (none when uploadBytes is absent)', () => {
    const counts: Meter = { requests: 0, uploadedBytes: 0 };
    const d = fakeDispatch([{ status: 200 }]);
    const m = meter(counts)(d);
    const h = recorder();
    expect(m(opts({ uploadBytes: 100 }), h)).toBe(true);
    m(opts(), recorder());
    m(opts({ uploadBytes: 7 }), recorder());
    expect(counts).toEqual({ requests: 3, uploadedBytes: 107 });
    expect(d.calls).toHaveLength(3);
    expect(d.handlers[0]).toBe(h);
  });

  it('returns what dispatch returns', () => {
    const d = ((_o: DispatchOptions, _h: Handler) => false) as Dispatch;
    expect(meter({ requests: 0, uploadedBytes: 0 })(d)(opts(), recorder())).toBe(false);
  });
});

describe('rateLimit', () => {
  it('dispatches only after the limiter lets the request start, and answers true at once', async () => {
    let release: () => void = () => {};
    const limiter = { take: () => new Promise<void>((r) => (release = r)) } as unknown as RateLimiter;
    const d = fakeDispatch([{ status: 200 }]);
    const h = recorder();
    expect(rateLimit(limiter)(d)(opts(), h)).toBe(true);
    await Promise.resolve();
    expect(d.calls).toHaveLength(0);
    release();
    await vi.waitFor(() => expect(d.calls).toHaveLength(1));
    expect(d.handlers[0]).toBe(h);
  });

  it('with no rate every request goes at once', async () => {
    const d = fakeDispatch([{ status: 200 }]);
    const r = rateLimit(new RateLimiter(undefined))(d);
    r(opts(), recorder());
    r(opts(), recorder());
    await vi.waitFor(() => expect(d.calls).toHaveLength(2));
  });
});

describe('deadline', () => {
  it('an answer before the deadline passes through untouched, and the timer is cleared', () => {
    vi.useFakeTimers();
    const d = fakeDispatch([{ status: 200, body: 'ok' }]);
    const h = recorder();
    deadline(1000)(d)(opts(), h);
    expect(h.events.map((e) => e[0])).toEqual(['start', 'headers', 'data', 'end']);
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(5000);
    expect(d.controllers[0]!.aborted).toBe(false);
  });

  it('a transport error before the deadline is passed on as it is, and the timer is cleared', () => {
    vi.useFakeTimers();
    const e = Object.assign(new Error('reset'), { code: 'ECONNRESET' });
    const d = fakeDispatch([{ error: e }]);
    const h = recorder();
    deadline(1000)(d)(opts(), h);
    expect(errorsOf(h)).toEqual([e]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('an exchange still running at the deadline is aborted with a DeadlineError, which the handler sees instead of the abort error', () => {
    vi.useFakeTimers();
    let handler: Handler | undefined;
    const c = controller();
    const d = ((_o: DispatchOptions, hd: Handler) => {
      handler = hd;
      hd.onRequestStart?.(c, {});
      return true;
    }) as Dispatch;
    const h = recorder();
    deadline(1000)(d)(opts({ deadlineMs: 250 }), h);
    vi.advanceTimersByTime(249);
    expect(c.aborts).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect(c.aborts).toHaveLength(1);
    const reason = c.aborts[0] as Error & { code?: string };
    expect(reason).toBeInstanceOf(Error);
    expect(reason.code).toBe('DEADLINE');
    expect(reason.message).toBe('no complete answer within 250 ms');
    // undici then ends the exchange with its own abort error.
    handler!.onResponseError?.(c, new Error('aborted'));
    expect(errorsOf(h)).toEqual([reason]);
  });

  it('uses the default deadline when the request names none', () => {
    vi.useFakeTimers();
    const c = controller();
    const d = ((_o: DispatchOptions, hd: Handler) => {
      hd.onRequestStart?.(c, {});
      return true;
    }) as Dispatch;
    deadline(1000)(d)(opts(), recorder());
    vi.advanceTimersByTime(999);
    expect(c.aborts).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect((c.aborts[0] as Error).message).toBe('no complete answer within 1000 ms');
  });

  it('a request that starts after its deadline passed is aborted as it starts', () => {
    vi.useFakeTimers();
    let handler: Handler | undefined;
    const d = ((_o: DispatchOptions, hd: Handler) => {
      handler = hd;
      return true;
    }) as Dispatch;
    deadline(10)(d)(opts(), recorder());
    vi.advanceTimersByTime(10);
    const c = controller();
    handler!.onRequestStart?.(c, {});
    expect(c.aborts).toHaveLength(1);
    expect((c.aborts[0] as { code?: string }).code).toBe('DEADLINE');
  });

  it('a request that starts in time is not aborted as it starts', () => {
    vi.useFakeTimers();
    const c = controller();
    const d = ((_o: DispatchOptions, hd: Handler) => {
      hd.onRequestStart?.(c, {});
      return true;
    }) as Dispatch;
    const h = recorder();
    deadline(10)(d)(opts(), h);
    expect(c.aborts).toHaveLength(0);
    expect(h.events).toEqual([['start']]);
  });
});

describe('circuitBreaker (interceptor)', () => {
  const sick = (): CircuitBreaker => {
    const b = new CircuitBreaker({ minRequests: 1, window: 1 });
    b.record({ status: 500 }, true);
    return b;
  };

  it('records a complete answer with its status, counted as healthy-expected when the request says so', () => {
    const b = new CircuitBreaker({ minRequests: 1, window: 1 });
    const d = fakeDispatch([{ status: 503 }]);
    const h = recorder();
    circuitBreaker(b, { afterTrip: 0 })(d)(opts({ expectHealthy: true }), h);
    expect(b.tripped).toBeInstanceOf(TargetUnrecoverableError);
    expect(h.events.map((e) => e[0])).toEqual(['start', 'headers', 'end']);
  });

  it('a request not expected healthy is recorded but does not count towards sickness', () => {
    const b = new CircuitBreaker({ minRequests: 1, window: 1 });
    const d = fakeDispatch([{ status: 503 }]);
    circuitBreaker(b, { afterTrip: 0 })(d)(opts(), recorder());
    circuitBreaker(b, { afterTrip: 0 })(d)(opts({ expectHealthy: false }), recorder());
    expect(b.tripped).toBeUndefined();
  });

  it('records a transport error by its code (refused connections count even when not healthy-expected)', () => {
    const b = new CircuitBreaker({ maxConsecutiveRefused: 2 });
    const refused = Object.assign(new Error('refused'), { code: 'ECONNREFUSED' });
    const d = fakeDispatch([{ error: refused }]);
    const h = recorder();
    circuitBreaker(b, { afterTrip: 0 })(d)(opts(), h);
    expect(b.tripped).toBeUndefined();
    circuitBreaker(b, { afterTrip: 0 })(d)(opts(), recorder());
    expect(b.tripped?.kind).toBe('target-gone');
    expect(errorsOf(h)).toEqual([refused]);
  });

  it('a policy\'s own failure (a ConformanceError) is not recorded as an answer of the target\'s', () => {
    const b = new CircuitBreaker({ minRequests: 1, window: 1 });
    const d = fakeDispatch([{ error: new TargetUnrecoverableError('throttled', 'throttled') }]);
    const h = recorder();
    circuitBreaker(b, { afterTrip: 0 })(d)(opts({ expectHealthy: true }), h);
    expect(b.tripped).toBeUndefined();
    expect(errorsOf(h)[0]).toBeInstanceOf(ConformanceError);
  });

  it('an answer the client cut (a body over the cap) counts by its status, not as a dropped connection', () => {
    const b = new CircuitBreaker({ minRequests: 1, window: 1 });
    const cut: ClientCut = { byClient: true };
    const d = ((_o: DispatchOptions, hd: Handler) => {
      const c = controller();
      hd.onRequestStart?.(c, {});
      hd.onResponseStart?.(c, 200, {}, '');
      hd.onResponseError?.(c, Object.assign(new Error('aborted'), { code: 'UND_ERR_ABORTED' }));
      return true;
    }) as Dispatch;
    const h = recorder();
    circuitBreaker(b, { afterTrip: 0 })(d)({ ...opts({ expectHealthy: true }), cut } as DispatchOptions, h);
    expect(b.tripped).toBeUndefined();
    expect(h.events.map((e) => e[0])).toEqual(['start', 'headers', 'error']);
    // The same abort without the client's cut is a dropped exchange: sick.
    const b2 = new CircuitBreaker({ minRequests: 1, window: 1 });
    circuitBreaker(b2, { afterTrip: 0 })(d)({ ...opts({ expectHealthy: true }), cut: { byClient: false } } as DispatchOptions, recorder());
    expect(b2.tripped).toBeInstanceOf(TargetUnrecoverableError);
  });

  it('a cut before any status came counts as the error it is', () => {
    const b = new CircuitBreaker({ minRequests: 1, window: 1 });
    const d = fakeDispatch([{ error: Object.assign(new Error('reset'), { code: 'ECONNRESET' }) }]);
    circuitBreaker(b, { afterTrip: 0 })(d)({ ...opts({ expectHealthy: true }), cut: { byClient: true } } as DispatchOptions, recorder());
    expect(b.tripped).toBeInstanceOf(TargetUnrecoverableError);
  });

  it('once tripped, a request fails before it is sent with the breaker\'s error', () => {
    const b = sick();
    const d = fakeDispatch([{ status: 200 }]);
    const h = recorder();
    expect(circuitBreaker(b, { afterTrip: 0 })(d)(opts(), h)).toBe(true);
    expect(d.calls).toHaveLength(0);
    expect(h.events).toEqual([['error', b.tripped]]);
  });

  it('once tripped, the restore (bypassBreaker) still goes through and the gate is not spent', () => {
    const b = sick();
    const gate: BreakerGate = { afterTrip: 1 };
    const d = fakeDispatch([{ status: 200 }]);
    const h = recorder();
    circuitBreaker(b, gate)(d)(opts({ bypassBreaker: true }), h);
    expect(d.calls).toHaveLength(1);
    expect(gate.afterTrip).toBe(1);
    expect(h.events.map((e) => e[0])).toEqual(['start', 'headers', 'end']);
  });

  it('once tripped, exactly `afterTrip` requests still go through', () => {
    const b = sick();
    const gate: BreakerGate = { afterTrip: 2 };
    const d = fakeDispatch([{ status: 200 }]);
    const i = circuitBreaker(b, gate)(d);
    i(opts(), recorder());
    expect(gate.afterTrip).toBe(1);
    i(opts(), recorder());
    expect(gate.afterTrip).toBe(0);
    const h = recorder();
    i(opts(), h);
    expect(d.calls).toHaveLength(2);
    expect(gate.afterTrip).toBe(0);
    expect(errorsOf(h)).toEqual([b.tripped]);
  });

  it('before a trip the gate is not spent', () => {
    const gate: BreakerGate = { afterTrip: 3 };
    const d = fakeDispatch([{ status: 200 }]);
    circuitBreaker(new CircuitBreaker(), gate)(d)(opts(), recorder());
    expect(gate.afterTrip).toBe(3);
    expect(d.calls).toHaveLength(1);
  });

  it('returns what dispatch returns', () => {
    const d = ((_o: DispatchOptions, _h: Handler) => false) as Dispatch;
    expect(circuitBreaker(new CircuitBreaker(), { afterTrip: 0 })(d)(opts(), recorder())).toBe(false);
  });
});

describe('Retry-After values', () => {
  it.each<[string | undefined, number]>([
    [undefined, 1000],
    ['', 1000],
    ['0', 0],
    ['5', 5000],
    ['10', 10_000],
    [' 7 ', 7000],
    ['soon', 1000],
    // Digits with something else are no number of seconds (and no date): the default wait.
    ['x5', 1000],
    ['5abc', 1000],
    ['Thu, 01 Jan 2026 00:00:10 GMT', 10_000],
    ['Wed, 31 Dec 2025 23:59:00 GMT', 0],
  ])('a 429 with Retry-After %j at 2026-01-01T00:00:00Z waits %j ms', (value, ms) => {
    vi.useFakeTimers({ now: Date.parse('2026-01-01T00:00:00Z') });
    const waits: number[] = [];
    const d = fakeDispatch([{ status: 429, headers: value === undefined ? {} : { 'retry-after': value } }, { status: 200 }]);
    retryAfter({ maxThrottleMs: 100_000, onThrottle: (_s, w) => waits.push(w) })(d)(opts(), recorder());
    expect(waits).toEqual([ms]);
  });
});

describe('retryAfter', () => {
  it('an answer that is no throttling passes through, with one controller standing for the attempt\'s', () => {
    const d = fakeDispatch([{ status: 200, headers: { 'retry-after': '5' }, body: 'ok' }]);
    const h = recorder();
    retryAfter({ maxThrottleMs: 1000 })(d)(opts(), h);
    expect(h.events).toEqual([['start'], ['headers', 200, { 'retry-after': '5' }], ['data', 'ok'], ['end']]);
    const proxy = h.controllers[0]!;
    const real = d.controllers[0] as ReturnType<typeof controller>;
    expect(h.controllers.every((c) => c === proxy)).toBe(true);
    expect(proxy).not.toBe(real);
    proxy.pause();
    expect(real.pauses).toBe(1);
    expect(proxy.paused).toBe(true);
    proxy.resume();
    expect(real.resumes).toBe(1);
    expect(proxy.paused).toBe(false);
    const reason = new Error('stop');
    proxy.abort(reason);
    expect(real.aborts).toEqual([reason]);
    expect(proxy.aborted).toBe(true);
    expect(proxy.reason).toBe(reason);
  });

  it('a 503 without Retry-After is the target\'s answer, passed through', () => {
    const d = fakeDispatch([{ status: 503, body: 'down' }]);
    const h = recorder();
    retryAfter({ maxThrottleMs: 1000 })(d)(opts(), h);
    expect(d.calls).toHaveLength(1);
    expect(h.events.map((e) => e.slice(0, 2))).toEqual([['start'], ['headers', 503], ['data', 'down'], ['end']]);
  });

  it('a 429 is swallowed and the request sent again after the wait it asks for; the caller sees one start and the answer that followed', async () => {
    vi.useFakeTimers();
    const waits: [number, number][] = [];
    const d = fakeDispatch([{ status: 429, headers: { 'retry-after': '2' }, body: 'slow down' }, { status: 200, body: 'ok' }]);
    const h = recorder();
    const o = opts({ uploadBytes: 3 });
    retryAfter({ maxThrottleMs: 10_000, onThrottle: (s, ms) => waits.push([s, ms]) })(d)(o, h);
    expect(h.events).toEqual([['start']]);
    expect(waits).toEqual([[429, 2000]]);
    vi.advanceTimersByTime(1999);
    expect(d.calls).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(d.calls).toHaveLength(2);
    expect(d.calls[1]).toBe(o);
    expect(h.events).toEqual([['start'], ['headers', 200, {}], ['data', 'ok'], ['end']]);
    // The proxy now stands for the second attempt's controller.
    h.controllers[0]!.pause();
    expect((d.controllers[1] as ReturnType<typeof controller>).pauses).toBe(1);
    expect((d.controllers[0] as ReturnType<typeof controller>).pauses).toBe(0);
  });

  it('a 503 with Retry-After (an array of values: the first) is waited out too', () => {
    vi.useFakeTimers();
    const waits: [number, number][] = [];
    const d = fakeDispatch([{ status: 503, headers: { 'retry-after': ['1', '9'] } }, { status: 201 }]);
    const h = recorder();
    retryAfter({ maxThrottleMs: 10_000, onThrottle: (s, ms) => waits.push([s, ms]) })(d)(opts(), h);
    expect(waits).toEqual([[503, 1000]]);
    vi.advanceTimersByTime(1000);
    expect(h.events.map((e) => e.slice(0, 2))).toEqual([['start'], ['headers', 201], ['end']]);
  });

  it('a 429 without Retry-After waits one second; a long Retry-After is capped at 30 s', () => {
    vi.useFakeTimers();
    const waits: number[] = [];
    const d = fakeDispatch([{ status: 429 }, { status: 429, headers: { 'retry-after': '3600' } }, { status: 200 }]);
    const h = recorder();
    retryAfter({ maxThrottleMs: 100_000, onThrottle: (_s, ms) => waits.push(ms) })(d)(opts(), h);
    expect(waits).toEqual([1000]);
    vi.advanceTimersByTime(1000);
    expect(waits).toEqual([1000, 30_000]);
    vi.advanceTimersByTime(29_999);
    expect(d.calls).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(d.calls).toHaveLength(3);
    expect(h.events.map((e) => e.slice(0, 2))).toEqual([['start'], ['headers', 200], ['end']]);
  });

  it('throttling past maxThrottleMs in all (over the whole session) fails with TargetUnrecoverableError (throttled)', () => {
    vi.useFakeTimers();
    const waits: number[] = [];
    const d = fakeDispatch([{ status: 429, headers: { 'retry-after': '2' } }]);
    const policy = retryAfter({ maxThrottleMs: 3000, onThrottle: (_s, ms) => waits.push(ms) })(d);
    const first = recorder();
    policy(opts(), first);
    vi.advanceTimersByTime(2000);
    // 2 s waited; the next 2 s would make 4 s > 3 s.
    expect(waits).toEqual([2000]);
    const errors = errorsOf(first);
    expect(errors).toHaveLength(1);
    const e = errors[0] as TargetUnrecoverableError;
    expect(e).toBeInstanceOf(TargetUnrecoverableError);
    expect(e.kind).toBe('throttled');
    expect(e.message).toBe('the target kept throttling (429 with Retry-After) for over 3 s in all; try a lower --rate');
    expect(d.calls).toHaveLength(2);
    // A later request of the same session: the 2 s already spent count.
    const second = recorder();
    policy(opts(), second);
    expect(errorsOf(second)).toHaveLength(1);
    expect(d.calls).toHaveLength(3);
  });

  it('waits that add up to exactly maxThrottleMs are allowed', () => {
    vi.useFakeTimers();
    const d = fakeDispatch([{ status: 429, headers: { 'retry-after': '1' } }, { status: 429, headers: { 'retry-after': '1' } }, { status: 200 }]);
    const h = recorder();
    retryAfter({ maxThrottleMs: 2000 })(d)(opts(), h);
    vi.advanceTimersByTime(2000);
    expect(errorsOf(h)).toHaveLength(0);
    expect(h.events.map((e) => e.slice(0, 2))).toEqual([['start'], ['headers', 200], ['end']]);
  });

  it('a transport error is passed on', () => {
    const e = new Error('reset');
    const d = fakeDispatch([{ error: e }]);
    const h = recorder();
    retryAfter({ maxThrottleMs: 1000 })(d)(opts(), h);
    expect(h.events).toEqual([['start'], ['error', e]]);
  });
});
