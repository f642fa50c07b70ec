/**
 * What a Fulcio signing certificate says (read with @sigstore/core's X.509 parser): who was
 * certified (the Subject Alternative Name: a workflow URI for GitHub Actions, an email for a
 * person), by which OIDC issuer (Fulcio's extension 1.3.6.1.4.1.57264.1.8, or the older
 * 1.3.6.1.4.1.57264.1.1), when it is valid, and its public key. Nothing here checks who issued
 * the certificate: that needs Sigstore's trust root.
 */
import { createPublicKey } from 'node:crypto';
import { X509Certificate } from '@sigstore/core';
import { verifyingKeyOf, type VerifyingKey } from './keys.js';

/** https://github.com/sigstore/fulcio/blob/main/docs/oid-info.md */
const OID_ISSUER_V2 = '1.3.6.1.4.1.57264.1.8';
const OID_ISSUER_V1 = '1.3.6.1.4.1.57264.1.1';

export interface SigningCertificate {
  /** The SAN: a URI (e.g. https://github.com/OWNER/REPO/.github/workflows/F.yml@refs/heads/main) or an email. */
  identity: string;
  /** The OIDC issuer (https://token.actions.githubusercontent.com for GitHub Actions), or undefined when the certificate names none. */
  issuer: string | undefined;
  notBefore: Date;
  notAfter: Date;
  key: VerifyingKey;
}

function issuerOf(cert: X509Certificate): string | undefined {
  const v2 = cert.extension(OID_ISSUER_V2);
  // V2: a DER UTF8String inside the extension's OCTET STRING; V1: the raw string.
  if (v2) return v2.valueObj.subs[0]?.value.toString('utf8');
  return cert.extension(OID_ISSUER_V1)?.value.toString('ascii');
}

/** Reads a DER certificate; a string is why it cannot be used. */
export function readSigningCertificate(der: Buffer): SigningCertificate | string {
  let cert: X509Certificate;
  let identity: string | undefined;
  let issuer: string | undefined;
  let notBefore: Date;
  let notAfter: Date;
  let spki: Buffer;
  try {
    cert = X509Certificate.parse(der as Buffer<ArrayBuffer>);
    identity = cert.subjectAltName;
    issuer = issuerOf(cert);
    notBefore = cert.notBefore;
    notAfter = cert.notAfter;
    spki = cert.publicKey;
  } catch {
    return 'the certificate is not an X.509 certificate';
  }
  if (identity === undefined || identity === '') return 'the certificate names no identity (no URI or email Subject Alternative Name)';
  let key: VerifyingKey | string;
  try {
    key = verifyingKeyOf(createPublicKey({ key: spki, format: 'der', type: 'spki' }));
  } catch {
    return 'the certificate\'s public key cannot be read';
  }
  if (typeof key === 'string') return `the certificate's key is ${key}, not ECDSA P-256 or Ed25519`;
  return { identity, issuer, notBefore, notAfter, key };
}
