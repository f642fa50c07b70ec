/** A token bucket: at most `rate` request starts per second, with a burst of one second's worth. */
export class RateLimiter {
  private tokens: number;
  private last: number;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly rate: number | undefined,
    private readonly now: () => number = () => performance.now(),
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {
    this.tokens = rate ? Math.max(1, rate) : 0;
    this.last = now();
  }

  /** Resolves when the next request may start. */
  take(): Promise<void> {
    if (!this.rate) return Promise.resolve();
    const rate = this.rate;
    const next = this.queue.then(async () => {
      for (;;) {
        const t = this.now();
        this.tokens = Math.min(Math.max(1, rate), this.tokens + ((t - this.last) / 1000) * rate);
        this.last = t;
        if (this.tokens >= 1) {
          this.tokens -= 1;
          return;
        }
        await this.sleep(((1 - this.tokens) / rate) * 1000);
      }
    });
    this.queue = next;
    return next;
  }
}
