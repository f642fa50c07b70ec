/**
 * Signing and verifying keys of attestations: PEM files holding an Ed25519 or an ECDSA P-256 key,
 * read with node:crypto. Ed25519 signs the message itself (no digest); ECDSA P-256 signs its
 * SHA-256 and gives a DER signature (ASN.1 SEQUENCE of r and s), as cosign and Sigstore expect.
 * The keyid is the lowercase hex SHA-256 of the public key's DER SubjectPublicKeyInfo, so anyone
 * holding the public key computes it (`openssl pkey -pubin -in KEY.pub -outform DER | sha256sum`).
 * A key's bytes never appear in an error message.
 */
import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ConfigError } from '../errors.js';

type KeyAlgorithm = 'ed25519' | 'ecdsa-p256';

/** A private key read from `--sign-key` (the KeyObject never prints its contents). */
export interface SigningKey {
  path: string;
  algorithm: KeyAlgorithm;
  keyid: string;
  privateKey: KeyObject;
}

export interface VerifyingKey {
  algorithm: KeyAlgorithm;
  keyid: string;
  publicKey: KeyObject;
}

/** The algorithm of a key, or why it is not one we sign with. */
function algorithmOf(key: KeyObject): KeyAlgorithm | string {
  if (key.asymmetricKeyType === 'ed25519') return 'ed25519';
  if (key.asymmetricKeyType === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    return curve === 'prime256v1' ? 'ecdsa-p256' : `an EC key on ${curve ?? 'an unknown curve'}, not P-256`;
  }
  return `a key of type ${key.asymmetricKeyType ?? 'unknown'}`;
}

/** lowercase hex SHA-256 of the DER SubjectPublicKeyInfo. */
export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex');
}

function readKeyFile(flag: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError(`${flag} ${path}: cannot read it (${(e as NodeJS.ErrnoException).code ?? 'unreadable'})`);
  }
}

/** Reads and checks the private key of `--sign-key`; ConfigError (exit 2) when it cannot sign. */
export function loadSigningKey(path: string): SigningKey {
  const pem = readKeyFile('--sign-key', path);
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: pem, format: 'pem' });
  } catch (e) {
    const encrypted = /passphrase/i.test((e as Error).message) || pem.includes('ENCRYPTED');
    throw new ConfigError(`--sign-key ${path}: ${encrypted ? 'an encrypted key; give an unencrypted PEM private key' : 'not a PEM private key'} (Ed25519 or ECDSA P-256)`);
  }
  const algorithm = algorithmOf(privateKey);
  if (algorithm !== 'ed25519' && algorithm !== 'ecdsa-p256') throw new ConfigError(`--sign-key ${path}: ${algorithm}; give an Ed25519 or ECDSA P-256 private key`);
  return { path, algorithm, keyid: keyIdOf(createPublicKey(privateKey)), privateKey };
}

/** Reads the public key (or certificate) of `verify --key`; ConfigError (exit 2) when it is none we verify with. */
export function loadVerifyingKey(path: string): VerifyingKey {
  const pem = readKeyFile('--key', path);
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem)) throw new ConfigError(`--key ${path}: a private key; give its public key (openssl pkey -in KEY -pubout)`);
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey({ key: pem, format: 'pem' });
  } catch {
    throw new ConfigError(`--key ${path}: not a PEM public key (Ed25519 or ECDSA P-256)`);
  }
  const key = verifyingKeyOf(publicKey);
  if (typeof key === 'string') throw new ConfigError(`--key ${path}: ${key}; give an Ed25519 or ECDSA P-256 public key`);
  return key;
}

/** A public key we verify with (also a certificate's, src/attest/fulcio-certificate.ts), or what it is instead. */
export function verifyingKeyOf(publicKey: KeyObject): VerifyingKey | string {
  const algorithm = algorithmOf(publicKey);
  if (algorithm !== 'ed25519' && algorithm !== 'ecdsa-p256') return algorithm;
  return { algorithm, keyid: keyIdOf(publicKey), publicKey };
}

const digestOf = (algorithm: KeyAlgorithm): string | null => (algorithm === 'ed25519' ? null : 'sha256');

export function signMessage(key: SigningKey, message: Buffer): Buffer {
  return sign(digestOf(key.algorithm), message, { key: key.privateKey, dsaEncoding: 'der' });
}

export function verifyMessage(key: VerifyingKey, message: Buffer, signature: Buffer): boolean {
  try {
    return verify(digestOf(key.algorithm), message, { key: key.publicKey, dsaEncoding: 'der' }, signature);
  } catch {
    return false;
  }
}
