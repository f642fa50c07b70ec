/**
 * The state of the traffic that client rules about pace need: a token bucket at the configured
 * rate, the last throttling answer (429, or 503 with Retry-After) and each credential's recent
 * 401s (by fingerprint: a hash, never the credential). `started` gives a request's pacing facts
 * when it arrives; `answered` learns from the answer once it went back to the client. Bounded:
 * at most MAX_CREDENTIALS fingerprints are remembered.
 */
import { QUICK_RETRY_MS, RETRY_AFTER_LEEWAY_MS } from '../checks/client/pacing.js';
import type { PacingFacts } from '../checks/client/types.js';

const MAX_CREDENTIALS = 1000;

interface Refusal {
  /** When the last 401 went back. */
  at: number;
  /** Quick retries in a row so far. */
  streak: number;
}

export class TrafficTracker {
  private tokens: number;
  private last: number;
  private throttle: { status: number; retryAfterMs: number; at: number } | undefined;
  private readonly refusals = new Map<string, Refusal>();

  /** `rate`: requests per second, with a burst of one second's worth; `now`: a monotonic clock in ms. */
  constructor(
    private readonly rate: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = Math.max(1, rate);
    this.last = now();
  }

  /** A request with this credential fingerprint starts: its pacing facts. */
  started(fingerprint: string): PacingFacts {
    const t = this.now();
    this.tokens = Math.min(Math.max(1, this.rate), this.tokens + ((t - this.last) / 1000) * this.rate);
    this.last = t;
    const facts: PacingFacts = { rate: this.rate, tokens: this.tokens, quickRetriesAfter401: 0 };
    this.tokens = Math.max(0, this.tokens - 1);
    if (this.throttle) {
      const startedAfterMs = t - this.throttle.at;
      facts.throttled = { status: this.throttle.status, retryAfterMs: this.throttle.retryAfterMs, startedAfterMs };
      // A request that waited closes the throttle; an early one leaves it open for the next.
      if (startedAfterMs + RETRY_AFTER_LEEWAY_MS >= this.throttle.retryAfterMs) this.throttle = undefined;
    }
    const refusal = this.refusals.get(fingerprint);
    if (refusal) {
      facts.sinceLast401Ms = t - refusal.at;
      refusal.streak = facts.sinceLast401Ms < QUICK_RETRY_MS ? refusal.streak + 1 : 0;
      facts.quickRetriesAfter401 = refusal.streak;
    }
    return facts;
  }

  /** The answer to a request with this fingerprint went back: its status and Retry-After (ms), when it had one. */
  answered(fingerprint: string, status: number, retryAfterMs: number | undefined): void {
    if ((status === 429 || status === 503) && retryAfterMs !== undefined) this.throttle = { status, retryAfterMs, at: this.now() };
    if (status !== 401) {
      this.refusals.delete(fingerprint);
      return;
    }
    const refusal = this.refusals.get(fingerprint);
    if (refusal) refusal.at = this.now();
    else {
      if (this.refusals.size >= MAX_CREDENTIALS) this.refusals.delete(this.refusals.keys().next().value!);
      this.refusals.set(fingerprint, { at: this.now(), streak: 0 });
    }
  }
}
