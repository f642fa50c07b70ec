/**
 * What `run --sign-keyless` (SO_SIGN_KEYLESS=1) needs, checked before the run sends anything:
 * the Fulcio and Rekor instances (the public ones unless SO_SIGSTORE_FULCIO_URL /
 * SO_SIGSTORE_REKOR_URL say otherwise) and where the OIDC token will come from. The token itself
 * is fetched only when the reports are signed (a GitHub Actions token lives minutes, a run may
 * take longer). @sigstore/sign's CIContextProvider reads the same two sources: SIGSTORE_ID_TOKEN,
 * or the Actions token endpoint (ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN,
 * which a job gets with `permissions: id-token: write`). No message ever holds a token.
 */
import { ConfigError } from '../errors.js';

/** The keyless signature's file name in the report folder: a Sigstore bundle. */
export const keylessBundleFileName = 'report.sigstore.json';

/** The public Sigstore instances (@sigstore/sign's DEFAULT_FULCIO_URL and DEFAULT_REKOR_URL). */
export const publicFulcioUrl = 'https://fulcio.sigstore.dev';
export const publicRekorUrl = 'https://rekor.sigstore.dev';

export interface KeylessSigning {
  fulcioUrl: string;
  rekorUrl: string;
  /** Where the OIDC token comes from. */
  tokenFrom: 'SIGSTORE_ID_TOKEN' | 'GitHub Actions';
}

function endpoint(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const v = env[name]?.trim();
  if (v === undefined || v === '') return fallback;
  if (!URL.canParse(v) || !/^https?:$/.test(new URL(v).protocol)) throw new ConfigError(`${name}: ${JSON.stringify(v)} is not an http(s) URL`);
  return v.replace(/\/+$/, '');
}

const base64UrlJson = (part: string): unknown => JSON.parse(Buffer.from(part.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8'));

/** Why SIGSTORE_ID_TOKEN cannot get a certificate (no JWT, no subject, expired), or undefined. */
function tokenProblem(token: string, now: Date): string | undefined {
  const parts = token.trim().split('.');
  let claims: unknown;
  try {
    claims = parts.length === 3 ? base64UrlJson(parts[1]!) : undefined;
  } catch {
    claims = undefined;
  }
  if (typeof claims !== 'object' || claims === null) return 'not a JWT (three base64url parts, the second a JSON object of claims)';
  const c = claims as Record<string, unknown>;
  if (typeof c.email === 'string' ? c.email_verified !== true : typeof c.sub !== 'string') return 'a JWT without a subject (a `sub` claim, or an `email` with `email_verified`), which Fulcio certifies';
  if (typeof c.exp === 'number' && c.exp * 1000 <= now.getTime()) return `a JWT that expired at ${new Date(c.exp * 1000).toISOString()}`;
  return undefined;
}

/** The OIDC token's source, or a ConfigError (exit 2) saying why there is none. */
function tokenSource(env: NodeJS.ProcessEnv, now: Date): KeylessSigning['tokenFrom'] {
  const token = env.SIGSTORE_ID_TOKEN;
  if (token !== undefined && token.trim() !== '') {
    const problem = tokenProblem(token, now);
    if (problem !== undefined) throw new ConfigError(`--sign-keyless: SIGSTORE_ID_TOKEN is ${problem}`);
    return 'SIGSTORE_ID_TOKEN';
  }
  if (env.ACTIONS_ID_TOKEN_REQUEST_URL && env.ACTIONS_ID_TOKEN_REQUEST_TOKEN) return 'GitHub Actions';
  if (env.GITHUB_ACTIONS === 'true') {
    throw new ConfigError('--sign-keyless: no OIDC token: this GitHub Actions job may not request one; give the job `permissions: id-token: write`');
  }
  throw new ConfigError('--sign-keyless: no OIDC token: not in a GitHub Actions job with `permissions: id-token: write`, and SIGSTORE_ID_TOKEN is not set');
}

/** Checks, before the run, that keyless signing can work; ConfigError (exit 2) when not. */
export function keylessSigningOf(env: NodeJS.ProcessEnv, now = new Date()): KeylessSigning {
  const fulcioUrl = endpoint(env, 'SO_SIGSTORE_FULCIO_URL', publicFulcioUrl);
  const rekorUrl = endpoint(env, 'SO_SIGSTORE_REKOR_URL', publicRekorUrl);
  return { fulcioUrl, rekorUrl, tokenFrom: tokenSource(env, now) };
}
