/**
 * The client rules' registry: one check per `side: client` rule of spec/rules.yaml, listed
 * explicitly. `assertClientChecksMatchRules` refuses to start the proxy when a rule has no check
 * or a check no rule.
 */
import { SpecError } from '../../errors.js';
import type { ClientRule } from '../../spec/rules.js';
import { clientContentTypeMatchesImage, clientImageWellFormed, clientMultipartImageField } from './content.js';
import { clientAppTokenWithTicket, clientCredentialsPresent } from './credentials.js';
import { clientNo401Loop, clientRateLimit, clientRetryAfterHonoured } from './pacing.js';
import { clientPathWellFormed } from './path.js';
import type { ClientCheck } from './types.js';

export const clientChecks: Readonly<Record<string, ClientCheck>> = {
  'client-content-type-matches-image': clientContentTypeMatchesImage,
  'client-image-well-formed': clientImageWellFormed,
  'client-multipart-image-field': clientMultipartImageField,
  'client-credentials-present': clientCredentialsPresent,
  'client-app-token-with-ticket': clientAppTokenWithTicket,
  'client-rate-limit': clientRateLimit,
  'client-retry-after-honoured': clientRetryAfterHonoured,
  'client-no-401-loop': clientNo401Loop,
  'client-path-well-formed': clientPathWellFormed,
};

export function assertClientChecksMatchRules(rules: readonly ClientRule[]): void {
  const ids = new Set(rules.map((r) => r.id));
  const missing = [...ids].filter((id) => !clientChecks[id]);
  const orphans = Object.keys(clientChecks).filter((id) => !ids.has(id));
  if (missing.length > 0) throw new SpecError(`client rules without a check: ${missing.join(', ')}`);
  if (orphans.length > 0) throw new SpecError(`client checks without a rule in the catalogue: ${orphans.join(', ')}`);
}
