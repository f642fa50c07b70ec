/**
 * Checks report.sigstore.json (`run --sign-keyless`) against the report folder, offline: it is a
 * Sigstore bundle holding a DSSE envelope and a signing certificate; the envelope's signature
 * holds for the certificate's public key (checked before the payload is read); the bundle has a
 * Rekor entry about this envelope (same signature, and the payload's sha256 or the envelope
 * itself) logged while the certificate was valid; the payload is the in-toto Statement whose
 * subject files match (src/attest/verify-attestation.ts). What it does not check, and says so:
 * that Fulcio issued the certificate (its chain to Sigstore's root and its SCT) and that Rekor
 * signed the entry (its signed timestamp and inclusion proof). Those need Sigstore's trust root
 * (TUF); cosign verify-blob-attestation checks them (README, "Keyless signing").
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { ConfigError } from '../errors.js';
import { decodeBase64, parseEnvelope, type DsseEnvelope } from './dsse.js';
import { readSigningCertificate, type SigningCertificate } from './fulcio-certificate.js';
import type { Statement } from './in-toto.js';
import { keylessBundleFileName } from './keyless-config.js';
import { locateSignature, matchingStatement, signedPayload } from './verify-attestation.js';

export type KeylessOutcome =
  | { ok: true; file: string; statement: Statement; certificate: SigningCertificate; logIndex: string; loggedAt: Date | undefined }
  | { ok: false; file: string; reason: string };

/** Where the bundle is: `<dir>/report.sigstore.json`, or the file itself. ConfigError (exit 2) when there is none. */
export const locateKeylessBundle = (path: string) => locateSignature(path, { what: 'keyless signature', name: keylessBundleFileName, option: '--sign-keyless' });

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

interface BundleParts {
  envelope: DsseEnvelope;
  certificate: Buffer;
  tlogEntries: unknown[];
}

/** The certificate's DER: v0.3 holds one certificate, v0.1 and v0.2 a chain whose first is the leaf. */
function certificateOf(material: Record<string, unknown>): Buffer | string {
  const chain = isObject(material.x509CertificateChain) && Array.isArray(material.x509CertificateChain.certificates) ? material.x509CertificateChain.certificates : undefined;
  const leaf = isObject(material.certificate) ? material.certificate : isObject(chain?.[0]) ? chain[0] : undefined;
  if (leaf === undefined) return isObject(material.publicKey) ? 'the bundle holds a public key, not a Fulcio certificate: it was not signed keylessly' : 'the bundle holds no certificate';
  const der = typeof leaf.rawBytes === 'string' ? decodeBase64(leaf.rawBytes) : undefined;
  return der && der.length > 0 ? der : 'the bundle\'s certificate is not base64';
}

function partsOf(text: string): BundleParts | string {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return 'the file is not JSON';
  }
  if (!isObject(v) || typeof v.mediaType !== 'string' || !v.mediaType.startsWith('application/vnd.dev.sigstore.bundle')) {
    return 'not a Sigstore bundle (no mediaType application/vnd.dev.sigstore.bundle…)';
  }
  if (!isObject(v.dsseEnvelope)) return 'the bundle holds no DSSE envelope (a signature of a file, not of an attestation?)';
  const envelope = parseEnvelope(JSON.stringify(v.dsseEnvelope));
  if (typeof envelope === 'string') return envelope;
  if (!isObject(v.verificationMaterial)) return 'the bundle has no verificationMaterial';
  const certificate = certificateOf(v.verificationMaterial);
  if (typeof certificate === 'string') return certificate;
  const entries = v.verificationMaterial.tlogEntries;
  return { envelope, certificate, tlogEntries: Array.isArray(entries) ? entries : [] };
}

const sameBase64 = (a: unknown, b: string): boolean => {
  const x = typeof a === 'string' ? decodeBase64(a) : undefined;
  const y = decodeBase64(b);
  return x !== undefined && y !== undefined && x.equals(y);
};

function bodyOf(entry: Record<string, unknown>): Record<string, unknown> | undefined {
  const bytes = typeof entry.canonicalizedBody === 'string' ? decodeBase64(entry.canonicalizedBody) : undefined;
  try {
    const body: unknown = bytes ? JSON.parse(bytes.toString('utf8')) : undefined;
    return isObject(body) && body.kind === 'dsse' && isObject(body.spec) ? body.spec : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether a Rekor `dsse` entry is about this envelope: as Rekor stores it (one signature equal to
 * the envelope's, and the payload's sha256), or as it was proposed (the envelope itself: what a
 * Rekor that echoes the request, like @sigstore/mock's, keeps).
 */
function isAbout(entry: unknown, envelope: DsseEnvelope, payload: Buffer): boolean {
  const spec = isObject(entry) ? bodyOf(entry) : undefined;
  const sig = envelope.signatures[0]!.sig;
  if (spec === undefined || envelope.signatures.length !== 1) return false;
  if (Array.isArray(spec.signatures)) {
    const one = spec.signatures.length === 1 && isObject(spec.signatures[0]) ? spec.signatures[0] : undefined;
    const hash = isObject(spec.payloadHash) ? spec.payloadHash : undefined;
    return sameBase64(one?.signature, sig) && hash?.algorithm === 'sha256' && hash.value === createHash('sha256').update(payload).digest('hex');
  }
  const proposed = isObject(spec.proposedContent) && typeof spec.proposedContent.envelope === 'string' ? parseEnvelope(spec.proposedContent.envelope) : undefined;
  if (proposed === undefined || typeof proposed === 'string' || proposed.signatures.length !== 1) return false;
  return sameBase64(proposed.signatures[0]!.sig, sig) && sameBase64(proposed.payload, envelope.payload);
}

/** The Rekor entry about the envelope, logged while the certificate was valid; else the reason. */
function logEntryOf(entries: unknown[], envelope: DsseEnvelope, payload: Buffer, certificate: SigningCertificate): { logIndex: string; loggedAt: Date | undefined } | string {
  if (entries.length === 0) return 'the bundle has no transparency-log (Rekor) entry';
  const entry = entries.find((e) => isAbout(e, envelope, payload)) as Record<string, unknown> | undefined;
  if (entry === undefined) return 'no transparency-log entry of the bundle is about this envelope (another signature or payload was logged)';
  const seconds = Number(entry.integratedTime);
  const loggedAt = Number.isSafeInteger(seconds) && seconds > 0 ? new Date(seconds * 1000) : undefined;
  if (loggedAt && (loggedAt < certificate.notBefore || loggedAt > certificate.notAfter)) {
    return `the signature was logged at ${loggedAt.toISOString()}, outside the certificate's validity (${certificate.notBefore.toISOString()} to ${certificate.notAfter.toISOString()})`;
  }
  return { logIndex: typeof entry.logIndex === 'string' || typeof entry.logIndex === 'number' ? String(entry.logIndex) : '?', loggedAt };
}

/** Verifies the bundle file against the files of `dir`, with the key of its own certificate. */
export async function verifyKeylessBundle(file: string, dir: string): Promise<KeylessOutcome> {
  const fail = (reason: string): KeylessOutcome => ({ ok: false, file, reason });
  const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new ConfigError(`cannot read ${file}: ${e.code ?? e.message}`);
  });
  const parts = partsOf(text);
  if (typeof parts === 'string') return fail(parts);
  const certificate = readSigningCertificate(parts.certificate);
  if (typeof certificate === 'string') return fail(certificate);
  const payload = signedPayload(parts.envelope, certificate.key);
  if (typeof payload === 'string') return fail(payload);
  const logged = logEntryOf(parts.tlogEntries, parts.envelope, payload, certificate);
  if (typeof logged === 'string') return fail(logged);
  const statement = await matchingStatement(payload, dir);
  if (typeof statement === 'string') return fail(statement);
  return { ok: true, file, statement, certificate, ...logged };
}
