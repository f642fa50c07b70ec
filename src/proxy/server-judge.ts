/**
 * Server rules judged on the answers the proxy relays: those whose inputs a proxied save holds
 * (the answer itself, and the Accept the save was sent with). The checks are the run's own
 * (src/checks/, by rule id), called through `judgeCase` on a Case that carries what the proxy
 * knows: the method, the path and the Accept. These five rules read nothing else of a Case; the
 * rest need what a generated case knows and a proxied request does not (the class of its body,
 * of its credentials, of its person; the image before and after), so the proxy does not judge them.
 */
import type { CheckContext } from '../checks/types.js';
import type { Case } from '../generate/case.js';
import { judgeCase, type Judgement } from '../run/judge.js';
import type { Rule } from '../spec/rules.js';
import type { Observation } from '../transport/observation.js';

/** The server rules the proxy judges on each save's answer. */
export const serverRulesJudged: readonly string[] = ['no-server-error', 'response-schema', 'accept-family', 'accept-exact-type', 'error-body-shape'];

/** A Case holding what a proxied save tells: its method, path and Accept (the rules above read only those). */
function proxiedCase(method: 'PUT' | 'POST', path: string, accept: string | undefined): Case {
  return {
    recipe: {
      family: 'accept',
      method,
      person: { class: 'configured', segment: '' },
      auth: { kind: 'valid', scheme: 'basic' },
      body: { kind: 'invalid', invalid: { class: 'empty', kind: 'proxied', seed: 0 }, as: 'raw' },
      ...(accept !== undefined ? { accept } : {}),
      language: [],
      noise: [],
    },
    description: `${method} ${path} through the proxy`,
    path,
    headers: {},
    authHeaders: {},
    body: { kind: 'raw', bytes: new Uint8Array() },
    bodyDescription: '',
    coverage: {},
  };
}

/** Judges a save's answer by the server rules above (`rules`: those of the catalogue, filtered to them). */
export function judgeServerAnswer(rules: readonly Rule[], save: { method: string; path: string; accept: string | undefined }, o: Observation, ctx: CheckContext): Judgement {
  const method = save.method === 'POST' ? 'POST' : 'PUT';
  return judgeCase(rules, proxiedCase(method, save.path, save.accept), o, {}, ctx);
}

/** A throttling answer (429, or 503 with Retry-After): waited out by a client, never judged against the target (as in a run). */
export function isThrottling(o: Pick<Observation, 'status' | 'headers'>): boolean {
  return o.status === 429 || (o.status === 503 && o.headers['retry-after'] !== undefined);
}
