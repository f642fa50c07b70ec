/** Counts what goes on the wire: every dispatch (retries included) and its body bytes. */
import type { DispatchOptions, Interceptor } from './types.js';

export interface Meter {
  requests: number;
  uploadedBytes: number;
}

export function meter(counts: Meter): Interceptor {
  return (dispatch) => (opts: DispatchOptions, handler) => {
    counts.requests++;
    counts.uploadedBytes += opts.uploadBytes ?? 0;
    return dispatch(opts, handler);
  };
}
