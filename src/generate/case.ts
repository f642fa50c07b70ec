/**
 * A Case: one request and what its class allows. Generators produce `CaseRecipe`s (plain
 * data, shrinkable by fast-check); `buildCase` renders the bytes. Checks read the Case, never
 * guess what was sent.
 */
import type { Credential, CredentialScheme } from '../config/credentials.js';
import type { ImageRecipe, InvalidBodyRecipe } from './images/types.js';

export type CaseFamily =
  | 'valid-upload'
  | 'round-trip'
  | 'language-headers'
  | 'accept'
  | 'auth'
  | 'auth-first'
  | 'invalid-body'
  | 'content-type'
  | 'person-id'
  | 'extreme-image';

export type PersonClass = 'configured' | 'not-positive' | 'unknown' | 'not-int32';

export interface PersonRecipe {
  class: PersonClass;
  /** The path segment as sent. */
  segment: string;
}

export type AuthRecipe =
  /**
   * A configured credential. `schemeWord`: the Authorization scheme word as sent (scheme names are
   * case-insensitive, RFC 9110 §11.1: `SOTICKET`, `soticket`, ...); absent, the spec's word with a
   * capital first letter (`Basic`, `SOTicket`, `Bearer`). A session has no scheme word.
   */
  | { kind: 'valid'; scheme: CredentialScheme; schemeWord?: string }
  /** A bad credential; `headers` are sent as they are (the variant names what is wrong). */
  | { kind: 'bad'; variant: string; headers: Record<string, string> };

export type BodyRecipe =
  /**
   * A well-formed image, raw or as the multipart image field. `declaredType` overrides its own
   * media type. `typeClass` marks what makes it no plain valid upload: a Content-Type the spec
   * does not declare, another image type than its bytes, or (`extreme`) dimensions at the limit
   * of its format (a decompression bomb, valid by its format, that a server may refuse).
   */
  | { kind: 'image'; image: ImageRecipe; as: 'raw' | 'multipart'; declaredType?: string; typeClass?: 'undeclared' | 'mismatch' | 'extreme'; framing?: MultipartFraming }
  | { kind: 'invalid'; invalid: InvalidBodyRecipe; as: 'raw' | 'multipart' }
  /** Multipart whose only part is under another field name. */
  | { kind: 'multipart-without-image'; field: string; image: ImageRecipe };

export interface HeaderValue {
  name: string;
  value: string;
  malformed: boolean;
}

export interface CaseRecipe {
  family: CaseFamily;
  method: 'PUT' | 'POST';
  person: PersonRecipe;
  auth: AuthRecipe;
  body: BodyRecipe;
  /** The Accept header; undefined sends none. */
  accept?: string;
  /** Language, culture and time-zone headers. */
  language: HeaderValue[];
  /** Extra headers beside valid credentials (app token, XSRF noise). */
  noise: HeaderValue[];
  /** What else is wrong, for auth-first cases (description only). */
  alsoWrong?: string;
}

/**
 * Who frames a multipart body: undici's FormData (the default: `boundary=` unquoted, names
 * quoted), or (`dotnet`) as .NET's HttpClient MultipartFormDataContent does, which integrations
 * written in C# send: a GUID boundary in quotes (`boundary="…"`) and unquoted parameters with an
 * RFC 5987 `filename*` beside `filename`. RFC 2046 lets a boundary be quoted; a server that does
 * not unquote it finds no part.
 */
export type MultipartFraming = 'dotnet';

/** A body ready to send. */
export type CaseBody =
  | { kind: 'raw'; contentType?: string; bytes: Uint8Array }
  | { kind: 'multipart'; parts: { field: string; filename: string; contentType: string; bytes: Uint8Array }[]; framing?: { style: MultipartFraming; mediaType: string } };

export interface Case {
  recipe: CaseRecipe;
  description: string;
  /** Path relative to the base URL. */
  path: string;
  /** Every header but the credentials. */
  headers: Record<string, string>;
  /** The credential headers (kept apart so that records can redact them). */
  authHeaders: Record<string, string>;
  body: CaseBody;
  /** Describes the body's image, when it holds one. */
  bodyDescription: string;
  /** Coverage dimensions this case exercises: dimension -> value. */
  coverage: Record<string, string>;
}

/** The credential of a valid auth recipe. */
export function credentialFor(credentials: Credential[], scheme: CredentialScheme): Credential | undefined {
  return credentials.find((c) => c.scheme === scheme);
}
