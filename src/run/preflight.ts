/**
 * The pre-flight: a few requests before any case, so that a misconfigured run stops within seconds
 * with exit 2 and one line saying what to fix, instead of judging the wrong thing. Each configured
 * credential reads the person's ImageInfo, which must be the API's BlobEntity: a wrong base URL (the
 * installation's root, `/SuperOffice` without `/api/v1`, a web page), a person that does not exist
 * or a credential the target refuses is a configuration error, never a finding.
 */
import type { ValidateFunction } from 'ajv';
import { ConfigError, ConnectivityError } from '../errors.js';
import type { SpecModel } from '../spec/model.js';
import { personPath } from '../spec/model.js';
import type { TargetSession } from '../transport/target-session.js';
import { contentTypeOf, type Observation } from '../transport/observation.js';
import type { Redactor } from '../transport/redact.js';
import type { CredentialKeeper } from './credential-keeper.js';
import { apiBaseHint } from '../spec/paths.js';
import { decodeJsonBody } from '../checks/decode-blob-id.js';

export interface PreflightContext {
  session: TargetSession;
  model: SpecModel;
  credentials: CredentialKeeper;
  imageInfoValidator: ValidateFunction;
  redactor: Redactor;
  baseUrl: string;
  personId: number;
  /** The run's per-request timeout; the pre-flight waits at most PREFLIGHT_TIMEOUT_MS of it. */
  timeoutMs: number;
}

/** Longest wait for a pre-flight answer: a wrong URL must not cost the run's 30 s timeout. */
const PREFLIGHT_TIMEOUT_MS = 10_000;

function what(o: Observation): string {
  const type = contentTypeOf(o);
  const page = /html/.test(type) || /^\s*<(!doctype|html)/i.test(o.body.subarray(0, 64).toString('latin1')) ? ', a web page' : '';
  return `${o.status}${type ? ` ${type}` : ''}${page}`;
}

function errorMessageOf(o: Observation): string | undefined {
  const d = decodeJsonBody(o.body);
  if (!d.ok || typeof d.value !== 'object' || d.value === null) return undefined;
  const body = d.value as Record<string, unknown>;
  const m = body.ErrorMessage ?? body.Message;
  return typeof m === 'string' ? m.slice(0, 200) : undefined;
}

/** Why an answer to the ImageInfo read is not the API's, or undefined when it is a BlobEntity. */
function notTheApi(ctx: PreflightContext, o: Observation, path: string): string | undefined {
  const status = o.status!;
  const hint = apiBaseHint(ctx.baseUrl, ctx.model.apiBase);
  const notApi = `GET ${path} answered ${what(o)}, not the API's ImageInfo; --target must be the API's base URL up to and including ${ctx.model.apiBase}${hint}`;
  if (status >= 300 && status < 400) {
    const to = o.headers.location?.split('?')[0];
    return `GET ${path} answered a redirect${to ? ` to ${to}` : ''} (redirects are not followed, so that credentials stay at the target's origin); give the API's final base URL as --target${hint}`;
  }
  if (status !== 200) {
    const said = errorMessageOf(o);
    if (said === undefined) return notApi;
    return `GET ${path} answered ${status} (${JSON.stringify(said)}): check --person-id ${ctx.personId} (a person the credentials may read and change)${hint}`;
  }
  const entity = decodeJsonBody(o.body);
  if (!entity.ok) return notApi;
  if (ctx.imageInfoValidator(entity.value)) return undefined;
  const e = ctx.imageInfoValidator.errors?.[0];
  return `GET ${path} answered JSON that is not the API's ImageInfo (a BlobEntity: ${e?.instancePath || '/'} ${e?.message ?? ''}); is --target the API's base URL?${hint}`;
}

/**
 * Reads ImageInfo with every configured credential. Marks each accepted one in the keeper and makes
 * the first the scheme of the run's own reads. Throws ConnectivityError (no answer, 5xx) or
 * ConfigError (not the API, refused credentials), with the reason redacted.
 */
export async function preflight(ctx: PreflightContext): Promise<void> {
  const path = personPath(ctx.model.imageInfoPath, ctx.model.personIdParameter.name, String(ctx.personId));
  const timeoutMs = Math.min(ctx.timeoutMs, PREFLIGHT_TIMEOUT_MS);
  const refused: string[] = [];
  let first: string | undefined;
  for (const credential of ctx.credentials.all()) {
    const headers = { ...ctx.credentials.headers(credential.scheme), accept: 'application/json' };
    const o = await ctx.session.send({ method: 'GET', path, headers, timeoutMs });
    if (o.status === undefined) {
      const why = o.error?.code === 'timeout' ? `no answer within ${Math.round(timeoutMs / 1000)} s` : `${o.error?.code ?? ''} ${o.error?.message ?? ''}`.trim();
      throw new ConnectivityError(ctx.redactor.text(`cannot reach the target ${ctx.baseUrl}: ${why}${apiBaseHint(ctx.baseUrl, ctx.model.apiBase)}`));
    }
    if (o.status >= 500) throw new ConnectivityError(`the target answered ${o.status} to a plain ImageInfo read of person ${ctx.personId}; it is not healthy enough to certify`);
    if (o.status === 401 || o.status === 403) {
      refused.push(`${credential.scheme} (${o.status})`);
      continue;
    }
    const problem = notTheApi(ctx, o, path);
    if (problem) throw new ConfigError(ctx.redactor.text(problem));
    ctx.credentials.markAccepted(credential.scheme);
    first ??= credential.scheme;
  }
  if (refused.length > 0) {
    throw new ConfigError(
      `the target refused the configured ${refused.join(', ')} credential${refused.length > 1 ? 's' : ''} on a plain ImageInfo read of person ${ctx.personId}: ` +
        'check --auth, --app-token and --auth-command (leave out a scheme the installation has switched off)',
    );
  }
  if (first) ctx.credentials.readScheme = first as typeof ctx.credentials.readScheme;
}
