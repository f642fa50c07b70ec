/**
 * Stops a run that would hammer a sick target: when requests that a healthy server answers
 * below 500 (valid uploads, the run's own reads) fail with 5xx, timeouts or dropped connections
 * at a high rate, or when the target refuses connections several times in a row (it went away).
 * A rule broken on invalid input (a 500 for a damaged image) is a finding, not sickness: such
 * requests are not counted.
 */
import { TargetUnrecoverableError } from '../errors.js';
import type { Observation } from './observation.js';

export interface CircuitBreakerOptions {
  /** How many of the latest healthy-expected requests are looked at. Default 20. */
  window?: number;
  /** Fewest healthy-expected requests in the window before the breaker may trip. Default 10. */
  minRequests?: number;
  /** Share of sick answers in the window that trips it. Default 0.5. */
  threshold?: number;
  /** Refused connections in a row (any request) that trip it. Default 5. */
  maxConsecutiveRefused?: number;
}

/** Whether an observation shows a sick server: 5xx, or no answer (timeout, reset, refused, garbage) for a reason not on our side. */
export function isSick(o: Pick<Observation, 'status' | 'error'>): boolean {
  if (o.status !== undefined) return o.status >= 500;
  return o.error?.code !== 'client-error';
}

export class CircuitBreaker {
  private readonly recent: boolean[] = [];
  private refusedInARow = 0;
  private trippedWith: TargetUnrecoverableError | undefined;
  private readonly window: number;
  private readonly minRequests: number;
  private readonly threshold: number;
  private readonly maxRefused: number;

  constructor(options: CircuitBreakerOptions = {}) {
    this.window = options.window ?? 20;
    this.minRequests = options.minRequests ?? 10;
    this.threshold = options.threshold ?? 0.5;
    this.maxRefused = options.maxConsecutiveRefused ?? 5;
  }

  /** The error the breaker tripped with, if it did. */
  get tripped(): TargetUnrecoverableError | undefined {
    return this.trippedWith;
  }

  /** Throws (and keeps throwing) once the breaker has tripped. */
  check(): void {
    if (this.trippedWith) throw this.trippedWith;
  }

  /** Records one answer; `expectHealthy` marks requests a healthy server answers below 500. */
  record(o: Pick<Observation, 'status' | 'error'>, expectHealthy: boolean): void {
    if (o.error?.code === 'refused') this.refusedInARow++;
    else if (o.status !== undefined || o.error) this.refusedInARow = 0;
    if (this.refusedInARow >= this.maxRefused && !this.trippedWith) {
      this.trippedWith = new TargetUnrecoverableError(`the target went away: ${this.refusedInARow} connections in a row were refused; the run stopped`, 'target-gone');
    }
    if (!expectHealthy) return;
    this.recent.push(isSick(o));
    if (this.recent.length > this.window) this.recent.shift();
    const sick = this.recent.filter(Boolean).length;
    if (!this.trippedWith && this.recent.length >= this.minRequests && sick / this.recent.length >= this.threshold) {
      this.trippedWith = new TargetUnrecoverableError(
        `the target looks sick: ${sick} of the last ${this.recent.length} valid requests got a 5xx, a timeout or a dropped connection; the run stopped instead of hammering it (circuit breaker)`,
      );
    }
  }
}
