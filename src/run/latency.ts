/** A latency histogram with fixed buckets: bounded memory whatever the number of requests. */
import type { LatencySummary } from '../report/types.js';

const LATENCY_BUCKETS_MS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 30000];

export class LatencyHistogram {
  private readonly counts = new Array<number>(LATENCY_BUCKETS_MS.length + 1).fill(0);
  private total = 0;
  private max = 0;

  add(ms: number): void {
    let i = LATENCY_BUCKETS_MS.findIndex((b) => ms <= b);
    if (i < 0) i = LATENCY_BUCKETS_MS.length;
    this.counts[i]!++;
    this.total++;
    this.max = Math.max(this.max, ms);
  }

  /** The upper bound of the bucket holding the p-th percentile (the max for the open bucket). */
  private percentile(p: number): number {
    if (this.total === 0) return 0;
    const rank = Math.ceil((p / 100) * this.total);
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return Math.min(LATENCY_BUCKETS_MS[i] ?? this.max, this.max);
    }
    return this.max;
  }

  summary(): LatencySummary {
    return {
      count: this.total,
      p50: this.percentile(50),
      p95: this.percentile(95),
      p99: this.percentile(99),
      max: Math.round(this.max * 10) / 10,
      bucketsMs: [...LATENCY_BUCKETS_MS],
      counts: [...this.counts],
    };
  }
}
