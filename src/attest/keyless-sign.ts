/**
 * `run --sign-keyless`: the run's in-toto Statement signed through Sigstore, written as
 * `<report-dir>/report.sigstore.json`, a Sigstore bundle (v0.3) holding the DSSE envelope, the
 * Fulcio certificate of the ephemeral key and the Rekor entry. @sigstore/sign does the work: an
 * ephemeral P-256 key, a certificate from Fulcio for the OIDC identity (CIContextProvider:
 * SIGSTORE_ID_TOKEN or the GitHub Actions token, audience `sigstore`), the DSSE signature, and
 * a `dsse` entry in Rekor. A failure is one ConfigError line saying the keyless signature was not
 * written and why, without a token in it; the reports stay, and an older report.sigstore.json
 * in the folder (of other reports) is removed.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { bundleToJSON } from '@sigstore/bundle';
import { CIContextProvider, DSSEBundleBuilder, FulcioSigner, InternalError, RekorWitness } from '@sigstore/sign';
import { ConfigError } from '../errors.js';
import { inTotoPayloadType } from './in-toto.js';
import { keylessBundleFileName, type KeylessSigning } from './keyless-config.js';
import { writeAtomically } from './sign.js';

/** Per request to Fulcio, Rekor or the Actions token endpoint; a connection failure or a 5xx is tried twice more. */
const fetchOptions = { timeout: 30_000, retry: { retries: 2, minTimeout: 500, factor: 2 } };

/** The cause of a @sigstore/sign failure in a few words: an HTTP status and message, or a socket error code. */
function causeOf(e: unknown): string {
  const c = e as { statusCode?: unknown; code?: unknown; message?: unknown } | undefined;
  if (typeof c?.statusCode === 'number') return `HTTP ${typeof c.message === 'string' ? c.message.replace(/^\(\d+\)\s*/, `${c.statusCode} `) : c.statusCode}`;
  if (typeof c?.code === 'string' && /^E[A-Z_]+$/.test(c.code)) return c.code;
  return typeof c?.message === 'string' ? c.message : String(e);
}

/** Why the signing failed, as a user reads it. */
function reasonOf(e: unknown, keyless: KeylessSigning): string {
  if (!(e instanceof InternalError)) return causeOf(e);
  switch (e.code) {
    case 'IDENTITY_TOKEN_READ_ERROR':
      return keyless.tokenFrom === 'GitHub Actions'
        ? 'GitHub Actions gave no OIDC token (does the job have `permissions: id-token: write`?)'
        : 'no OIDC token could be read';
    case 'IDENTITY_TOKEN_PARSE_ERROR':
      return keyless.tokenFrom === 'GitHub Actions' ? 'GitHub Actions gave no OIDC token that is a JWT with a subject' : 'the OIDC token is not a JWT with a subject';
    case 'CA_CREATE_SIGNING_CERTIFICATE_ERROR':
      return `Fulcio (${keyless.fulcioUrl}) gave no certificate: ${causeOf(e.cause)}`;
    case 'TLOG_CREATE_ENTRY_ERROR':
    case 'TLOG_FETCH_ENTRY_ERROR':
      return `Rekor (${keyless.rekorUrl}) did not log the signature: ${causeOf(e.cause)}`;
    default:
      return causeOf(e.cause ?? e);
  }
}

/** One line, with no token in it (a server may echo what it was sent). */
function oneLine(text: string, env: NodeJS.ProcessEnv): string {
  let out = text.replace(/\s+/g, ' ').trim();
  for (const secret of [env.SIGSTORE_ID_TOKEN, env.ACTIONS_ID_TOKEN_REQUEST_TOKEN]) {
    if (secret && secret.trim().length >= 8) out = out.split(secret.trim()).join('<redacted>');
  }
  return out.length > 300 ? `${out.slice(0, 297)}...` : out;
}

export interface KeylessSignature {
  path: string;
  /** The Rekor entry's log index. */
  logIndex: string;
}

/**
 * Signs the statement's bytes through Sigstore and writes `<dir>/report.sigstore.json`. Returns
 * its path and the Rekor log index; ConfigError (exit 2) when Fulcio, Rekor, the token or the
 * file fails, saying that the keyless signature was not written.
 */
export async function writeKeylessBundle(dir: string, payload: Buffer, keyless: KeylessSigning, env: NodeJS.ProcessEnv = process.env): Promise<KeylessSignature> {
  const path = join(dir, keylessBundleFileName);
  const notWritten = async (why: string) => {
    // An older bundle in the folder is of other reports: gone, so nothing there pretends to sign these.
    await rm(path, { force: true }).catch(() => undefined);
    return new ConfigError(oneLine(`the keyless signature was not written: ${why} (the reports in ${dir} are written; ${keylessBundleFileName} is not)`, env));
  };
  const builder = new DSSEBundleBuilder({
    signer: new FulcioSigner({ fulcioBaseURL: keyless.fulcioUrl, identityProvider: new CIContextProvider('sigstore'), ...fetchOptions }),
    witnesses: [new RekorWitness({ rekorBaseURL: keyless.rekorUrl, entryType: 'dsse', ...fetchOptions })],
  });
  let json: ReturnType<typeof bundleToJSON>;
  try {
    json = bundleToJSON(await builder.create({ data: payload, type: inTotoPayloadType }));
  } catch (e) {
    throw await notWritten(reasonOf(e, keyless));
  }
  try {
    await writeAtomically(path, `${JSON.stringify(json)}\n`);
  } catch (e) {
    throw await notWritten((e as NodeJS.ErrnoException).code ?? (e as Error).message);
  }
  return { path, logIndex: json.verificationMaterial.tlogEntries[0]?.logIndex ?? '?' };
}
