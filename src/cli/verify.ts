/**
 * `person-image-conformance verify --key PUBLIC.pem REPORT_DIR`: checks the signed attestation
 * of a run (report.intoto.jsonl, src/attest/) against the public key and the report files. One
 * line on stdout: 0 when the signature holds and every subject file matches, 1 with the reason
 * when not. A missing or unusable key, or no attestation, is a ConfigError (exit 2).
 *
 * `verify --keyless REPORT_DIR`: the same for report.sigstore.json (`run --sign-keyless`), with
 * the key of the bundle's own certificate; it names who the certificate was issued to and by
 * which OIDC issuer, and a second line says what it did not check (the certificate's chain to
 * Sigstore's root, Rekor's signature on the entry). Both flags: both files, the worse exit code.
 */
import { stat } from 'node:fs/promises';
import { loadVerifyingKey } from '../attest/keys.js';
import { locateAttestation, verifyAttestation } from '../attest/verify-attestation.js';
import { UsageError } from '../errors.js';

export interface VerifyOptions {
  /** `--key`: the public key of the --sign-key that signed the run. */
  keyPath?: string;
  /** `--keyless`: check report.sigstore.json. */
  keyless?: boolean;
  /** The report folder, or its report.intoto.jsonl (with --key) or report.sigstore.json (with --keyless). */
  path: string;
  out: NodeJS.WritableStream;
}

type Check = () => Promise<number>;

async function keyCheck(keyPath: string, opts: VerifyOptions): Promise<Check> {
  const key = loadVerifyingKey(keyPath);
  const { file, dir } = await locateAttestation(opts.path);
  return async () => {
    const outcome = await verifyAttestation(file, dir, key);
    if (!outcome.ok) {
      opts.out.write(`not verified: ${outcome.file}: ${outcome.reason}\n`);
      return 1;
    }
    const { predicate, subject } = outcome.statement;
    opts.out.write(
      `verified: ${outcome.file} is signed by keyid ${outcome.keyid} (${key.algorithm}); ` +
        `${subject.map((s) => s.name).join(', ')} match; result ${predicate.result}\n`,
    );
    return 0;
  };
}

async function keylessCheck(opts: VerifyOptions): Promise<Check> {
  const { locateKeylessBundle, verifyKeylessBundle } = await import('../attest/verify-keyless.js');
  const { file, dir } = await locateKeylessBundle(opts.path);
  return async () => {
    const outcome = await verifyKeylessBundle(file, dir);
    if (!outcome.ok) {
      opts.out.write(`not verified: ${outcome.file}: ${outcome.reason}\n`);
      return 1;
    }
    const { predicate, subject } = outcome.statement;
    const { identity, issuer } = outcome.certificate;
    opts.out.write(
      `verified: ${outcome.file} is signed by ${identity} (${issuer !== undefined ? `OIDC issuer ${issuer}` : 'the certificate names no OIDC issuer'}), ` +
        `logged in Rekor at index ${outcome.logIndex}${outcome.loggedAt ? ` (${outcome.loggedAt.toISOString()})` : ''}; ` +
        `${subject.map((s) => s.name).join(', ')} match; result ${predicate.result}\n` +
        'not checked: that the certificate chains to Sigstore\'s root (Fulcio issued it) and that Rekor signed the entry; ' +
        'cosign verify-blob-attestation --bundle checks both (README, "Keyless signing through Sigstore")\n',
    );
    return 0;
  };
}

export async function verifyCommand(opts: VerifyOptions): Promise<number> {
  if (opts.keyPath !== undefined && opts.keyless === true && !(await stat(opts.path).then((s) => s.isDirectory(), () => true))) {
    throw new UsageError('verify --key and --keyless together check a report folder, not one file');
  }
  // Every usage or configuration error (exit 2) before any verdict line.
  const checks: Check[] = [];
  if (opts.keyPath !== undefined) checks.push(await keyCheck(opts.keyPath, opts));
  if (opts.keyless === true) checks.push(await keylessCheck(opts));
  let code = 0;
  for (const check of checks) code = Math.max(code, await check());
  return code;
}
