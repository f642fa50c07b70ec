/**
 * What a client check sees of one request that came through the checking proxy: facts the proxy
 * established (src/proxy/), never the raw traffic. Stateful facts (the request rate, throttling,
 * refusals of a credential) are computed by the proxy's traffic tracker (src/proxy/traffic.ts), so
 * every check stays a pure function of one request's facts.
 */
import type { SpecModel } from '../../spec/model.js';
import type { ImageFormat, ImageValidation } from '../../target/types.js';
import type { Outcome } from '../types.js';

/** Where a request went, read against the spec's paths. */
export interface RouteFacts {
  /** The path as sent, without the query. */
  path: string;
  /** The Person image resource the path names (`image` or `image-info`), or undefined for any other path. */
  resource?: 'image' | 'image-info';
  /** The person id segment as sent (percent-decoded). */
  segment?: string;
  /** Whether the path starts with the target's base path (e.g. /SuperOffice/api/v1). */
  underBase: boolean;
  /** Whether the spec declares the method on that path. */
  methodDeclared: boolean;
  /** A save: a method the spec declares for saving the image (PUT, POST) on the image path. */
  save: boolean;
}

/** The credential a request carried, by kind; never its value. */
type CredentialKind = 'basic' | 'ticket' | 'bearer' | 'session' | 'session-without-xsrf' | 'unknown-scheme' | 'empty' | 'none';

export interface CredentialFacts {
  kind: CredentialKind;
  /** The Authorization scheme word as sent, when there was one. */
  word?: string;
  /** Whether the spec's app-token header was present. */
  appToken: boolean;
}

/** What a save's body held, as far as the proxy read it (at most its inspection limit). */
export interface BodyFacts {
  /** Bytes of the whole body. */
  size: number;
  /** The body was larger than the inspection limit: its image was not judged. */
  overLimit: boolean;
  /** The Content-Type header as sent, when there was one. */
  contentType?: string;
  /** How the spec's request types read it: a raw image type, multipart with a boundary, or neither (why). */
  declared: { kind: 'raw'; mediaType: string } | { kind: 'multipart' } | { kind: 'undeclared'; reason: string };
  /** The multipart body lacks the spec's image field (or cannot be parsed); why. */
  missingField?: string;
  /** The image bytes' signature (raw body or the multipart image part), when it has one. */
  sniffed?: ImageFormat;
  /** How the image bytes validate (as the reference target validates an upload), when they were found and read. */
  validation?: ImageValidation;
}

/** The pace of the traffic when this request started. */
export interface PacingFacts {
  /** The configured limit, requests per second. */
  rate: number;
  /** Tokens of the rate bucket left for this request (below 1: it found the bucket empty). */
  tokens: number;
  /** The last throttling answer before this request, when its Retry-After had not yet run out. */
  throttled?: { status: number; retryAfterMs: number; startedAfterMs: number };
  /** When this credential's (or no credential's) last answer was a 401: how long before this request it came. */
  sinceLast401Ms?: number;
  /** How many times in a row this credential (or none) was sent again within 1 s of a 401, this request included. */
  quickRetriesAfter401: number;
}

export interface ClientExchange {
  method: string;
  route: RouteFacts;
  credential: CredentialFacts;
  /** Present on saves. */
  body?: BodyFacts;
  pacing: PacingFacts;
}

export interface ClientCheckContext {
  model: SpecModel;
  /** Whether the target is SuperOffice Online (a ticket then needs the app token). */
  online: boolean;
  /** The target's base path, e.g. /SuperOffice/api/v1. */
  basePath: string;
}

export interface ClientCheck {
  applies(x: ClientExchange, ctx: ClientCheckContext): boolean;
  judge(x: ClientExchange, ctx: ClientCheckContext): Outcome;
}
