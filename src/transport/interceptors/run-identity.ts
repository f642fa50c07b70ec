/** Every request carries the run id (X-Conformance-Run) and the suite's User-Agent, so the target's logs can tell the run apart. */
import type { DispatchOptions, Interceptor } from './types.js';

export const RUN_ID_HEADER = 'x-conformance-run';

export function runIdentity(runId: string, userAgent: string): Interceptor {
  return (dispatch) => (opts: DispatchOptions, handler) => {
    const headers = (opts.headers ?? {}) as Record<string, string>;
    return dispatch({ ...opts, headers: { 'user-agent': userAgent, [RUN_ID_HEADER]: runId, ...headers } }, handler);
  };
}
