/** One request the proxy relayed, as the judging needs it once its answer went back. */
import type { PacingFacts, RouteFacts } from '../checks/client/types.js';
import type { Observation } from '../transport/observation.js';
import type { SeenBody } from './body-inspection.js';
import type { RequestHeaders, SeenCredential } from './credential-facts.js';

export interface SeenExchange {
  /** 1 for the first request the proxy saw. */
  index: number;
  startedAt: Date;
  method: string;
  /** Path and query as the client sent them. */
  target: string;
  /** The request headers as node:http gave them: credentials included, so redact before keeping any. */
  headers: RequestHeaders;
  /** The body (a save's; other requests keep none). */
  body: SeenBody;
  route: RouteFacts;
  credential: SeenCredential;
  pacing: PacingFacts;
  /** The target's answer as relayed (its body at most the kept limit). */
  observation: Observation;
}

/** Header values as strings (repeated headers joined), for records. */
export function flatHeaders(headers: RequestHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}
