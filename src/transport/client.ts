/** The former name of the target session (src/transport/target-session.ts), kept while its importers move over. */
export { bodySize, retryAfterMs, RUN_ID_HEADER, TargetSession as Transport, type SessionOptions as TransportOptions, type WireRequest } from './target-session.js';
