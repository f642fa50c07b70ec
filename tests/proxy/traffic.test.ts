/**
 * The traffic tracker (src/proxy/traffic.ts) on a fake clock: the token bucket, throttling left
 * open by an early request and closed by one that waited, quick retries after a 401 counted per
 * credential and reset by a slow retry or another answer.
 */
import { describe, expect, it } from 'vitest';
import { TrafficTracker } from '../../src/proxy/traffic.js';

function tracker(rate = 10) {
  const clock = { t: 0 };
  return { clock, t: new TrafficTracker(rate, () => clock.t) };
}

describe('the traffic tracker', () => {
  it('a burst of one second\'s worth finds tokens; the next request finds the bucket empty until it refills', () => {
    const { clock, t } = tracker(10);
    const burst = Array.from({ length: 11 }, () => t.started('a').tokens);
    expect(burst.slice(0, 10).every((x) => x >= 1)).toBe(true);
    expect(burst[10]).toBeLessThan(1);
    clock.t += 100;
    expect(t.started('a').tokens).toBeGreaterThanOrEqual(1);
  });

  it('ten a second, evenly, never empties the bucket', () => {
    const { clock, t } = tracker(10);
    for (let n = 0; n < 100; n++, clock.t += 100) expect(t.started('a').tokens).toBeGreaterThanOrEqual(1);
  });

  it('a throttling answer with Retry-After is judged on each later request until one waited', () => {
    const { clock, t } = tracker();
    t.answered('a', 429, 2000);
    clock.t += 500;
    expect(t.started('a').throttled).toEqual({ status: 429, retryAfterMs: 2000, startedAfterMs: 500 });
    clock.t += 1500;
    expect(t.started('a').throttled).toEqual({ status: 429, retryAfterMs: 2000, startedAfterMs: 2000 });
    expect(t.started('a').throttled).toBeUndefined();
  });

  it('a 503 without Retry-After, or a 429 without it, opens no throttle', () => {
    const { t } = tracker();
    t.answered('a', 503, undefined);
    t.answered('a', 429, undefined);
    expect(t.started('a').throttled).toBeUndefined();
  });

  it('quick retries after a 401 count in a row per credential; a slow retry or another answer resets them', () => {
    const { clock, t } = tracker(1000);
    const retry = (fp: string) => {
      const f = t.started(fp);
      clock.t += 10;
      t.answered(fp, 401, undefined);
      return f.quickRetriesAfter401;
    };
    expect(retry('a')).toBe(0);
    expect([retry('a'), retry('a'), retry('a'), retry('a')]).toEqual([1, 2, 3, 4]);
    expect(retry('b')).toBe(0);
    clock.t += 1500;
    expect(retry('a')).toBe(0);
    expect(retry('a')).toBe(1);
    t.answered('a', 200, undefined);
    expect(t.started('a').sinceLast401Ms).toBeUndefined();
  });
});
