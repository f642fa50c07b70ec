/** Client rules about the pace of the traffic: the rate limit, Retry-After, no loop after a 401. */
import { pass, violation } from '../types.js';
import type { ClientCheck } from './types.js';

/** Leeway on Retry-After: timers and the network may start a request that waited a little early. */
export const RETRY_AFTER_LEEWAY_MS = 100;
/** A credential sent again within this time of its 401 is a quick retry. */
export const QUICK_RETRY_MS = 1000;
/** Quick retries in a row that are still no loop. */
const MAX_QUICK_RETRIES = 3;

export const clientRateLimit: ClientCheck = {
  applies: () => true,
  judge: ({ pacing }) => (pacing.tokens >= 1 - 1e-9 ? pass : violation(`more than ${pacing.rate} requests started within one second (the limit is ${pacing.rate} a second)`)),
};

export const clientRetryAfterHonoured: ClientCheck = {
  applies: (x) => x.pacing.throttled !== undefined,
  judge: ({ pacing }) => {
    const t = pacing.throttled!;
    if (t.startedAfterMs + RETRY_AFTER_LEEWAY_MS >= t.retryAfterMs) return pass;
    return violation(`the request started ${Math.round(t.startedAfterMs)} ms after a ${t.status} whose Retry-After asked for ${t.retryAfterMs / 1000} s`);
  },
};

export const clientNo401Loop: ClientCheck = {
  applies: (x) => x.pacing.sinceLast401Ms !== undefined,
  judge: ({ pacing }) =>
    pacing.quickRetriesAfter401 <= MAX_QUICK_RETRIES
      ? pass
      : violation(`a credential refused with 401 was sent again within ${QUICK_RETRY_MS / 1000} s of its refusal ${pacing.quickRetriesAfter401} times in a row (at most ${MAX_QUICK_RETRIES})`),
};
