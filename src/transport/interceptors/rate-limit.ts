/** Requests leave at most at the run's rate: each waits for its turn before it is dispatched (each retry too). */
import type { RateLimiter } from '../rate-limit.js';
import type { Interceptor } from './types.js';

export function rateLimit(limiter: RateLimiter): Interceptor {
  return (dispatch) => (opts, handler) => {
    void limiter.take().then(() => dispatch(opts, handler));
    return true;
  };
}
