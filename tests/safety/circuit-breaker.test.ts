/** The circuit breaker's arithmetic: what trips it and what does not. */
import { describe, expect, it } from 'vitest';
import { TargetUnrecoverableError } from '../../src/errors.js';
import { CircuitBreaker, isSick } from '../../src/transport/circuit-breaker.js';
import type { Observation } from '../../src/transport/observation.js';

const answer = (status: number): Observation => ({ status, headers: {}, body: Buffer.alloc(0), bodyTruncated: false, durationMs: 1 });
const failure = (code: string): Observation => ({ headers: {}, body: Buffer.alloc(0), bodyTruncated: false, error: { code, message: code }, durationMs: 1 });

describe('CircuitBreaker', () => {
  it('needs at least 10 healthy-expected requests before it may trip', () => {
    const b = new CircuitBreaker();
    for (let i = 0; i < 9; i++) b.record(answer(500), true);
    expect(() => b.check()).not.toThrow();
    b.record(failure('timeout'), true);
    expect(() => b.check()).toThrow(TargetUnrecoverableError);
    expect(() => b.check()).toThrow(/10 of the last 10 valid requests/);
  });

  it('trips at half of the last 20, not below', () => {
    const b = new CircuitBreaker();
    for (let i = 0; i < 11; i++) b.record(answer(200), true);
    for (let i = 0; i < 9; i++) b.record(i % 2 ? answer(503) : failure('reset'), true); // 9 of 20
    expect(b.tripped).toBeUndefined();
    b.record(failure('protocol'), true); // 10 of 20 (an old 200 left the window)
    expect(b.tripped).toBeInstanceOf(TargetUnrecoverableError);
  });

  it('does not count requests not expected to be healthy (a 500 on invalid input is a finding)', () => {
    const b = new CircuitBreaker();
    for (let i = 0; i < 100; i++) b.record(answer(500), false);
    for (let i = 0; i < 20; i++) b.record(answer(200), true);
    expect(b.tripped).toBeUndefined();
  });

  it('trips on 5 refused connections in a row, whatever the request', () => {
    const b = new CircuitBreaker();
    for (let i = 0; i < 4; i++) b.record(failure('refused'), false);
    b.record(answer(400), false);
    for (let i = 0; i < 4; i++) b.record(failure('refused'), false);
    expect(b.tripped).toBeUndefined();
    b.record(failure('refused'), false);
    expect(b.tripped?.message).toMatch(/went away/);
    expect(b.tripped?.exitCode).toBe(2);
  });

  it('a client-side error (a header value undici refuses) is not sickness', () => {
    expect(isSick(failure('client-error'))).toBe(false);
    expect(isSick(failure('timeout'))).toBe(true);
    expect(isSick(answer(502))).toBe(true);
    expect(isSick(answer(499))).toBe(false);
  });
});
