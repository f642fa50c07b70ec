/**
 * The keys: Ed25519 and ECDSA P-256 PEM private keys (PKCS#8 and SEC1) sign; everything else is a
 * one-line ConfigError naming the file and what is wrong with it, never the key's contents. The
 * keyid is the SHA-256 of the public key's DER SubjectPublicKeyInfo, the same from the private and
 * the public half. A private key is refused where a public one is wanted.
 */
import { createHash, generateKeyPairSync } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { keyIdOf, loadSigningKey, loadVerifyingKey, signMessage, verifyMessage } from '../../src/attest/keys.js';
import { keyFolder, pemBodyLines } from './key-files.js';

const keys = keyFolder();
afterAll(() => keys.remove());

/** The ConfigError a call throws (fails when it throws nothing or something else). */
function configErrorOf(f: () => unknown): ConfigError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('expected a ConfigError, got none');
}

describe('signing keys', () => {
  for (const kind of ['ed25519', 'p256'] as const) {
    it(`${kind}: signs, and the signature verifies with the public key only`, () => {
      const pair = keys.pair(kind);
      const signer = loadSigningKey(pair.privatePath);
      const verifier = loadVerifyingKey(pair.publicPath);
      expect(signer.algorithm).toBe(kind === 'ed25519' ? 'ed25519' : 'ecdsa-p256');
      expect(signer.keyid).toBe(verifier.keyid);
      const sig = signMessage(signer, Buffer.from('message'));
      expect(verifyMessage(verifier, Buffer.from('message'), sig)).toBe(true);
      expect(verifyMessage(verifier, Buffer.from('messagE'), sig)).toBe(false);
      expect(verifyMessage(loadVerifyingKey(keys.pair(kind).publicPath), Buffer.from('message'), sig)).toBe(false);
    });
  }

  it('a SEC1 "EC PRIVATE KEY" (openssl ecparam -genkey) is read too', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const path = keys.write('sec1.pem', privateKey.export({ type: 'sec1', format: 'pem' }) as string);
    expect(loadSigningKey(path).algorithm).toBe('ecdsa-p256');
  });

  it('the keyid is the sha256 of the DER SubjectPublicKeyInfo', () => {
    const pair = keys.pair('ed25519');
    const spki = loadVerifyingKey(pair.publicPath).publicKey.export({ type: 'spki', format: 'der' });
    expect(loadSigningKey(pair.privatePath).keyid).toBe(createHash('sha256').update(spki).digest('hex'));
    expect(keyIdOf(loadVerifyingKey(pair.publicPath).publicKey)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('bad --sign-key files: one line naming the file and the problem, never the key', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    const p384 = generateKeyPairSync('ec', { namedCurve: 'secp384r1', privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    const encrypted = generateKeyPairSync('ed25519', {
      privateKeyEncoding: { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    const cases: [string, string, RegExp][] = [
      ['missing', `${keys.dir}/no-such.pem`, /^--sign-key .*no-such\.pem: cannot read it \(ENOENT\)$/],
      ['a folder', keys.dir, /^--sign-key .*: cannot read it \(EISDIR\)$/],
      ['not PEM', keys.write('junk.pem', 'hello'), /^--sign-key .*junk\.pem: not a PEM private key \(Ed25519 or ECDSA P-256\)$/],
      ['a public key', keys.write('pub-as-private.pem', keys.pair('ed25519').publicPem), /: not a PEM private key/],
      ['an RSA key', keys.write('rsa.pem', rsa.privateKey), /^--sign-key .*rsa\.pem: a key of type rsa; give an Ed25519 or ECDSA P-256 private key$/],
      ['a P-384 key', keys.write('p384.pem', p384.privateKey), /: an EC key on secp384r1, not P-256; give an Ed25519/],
      ['an encrypted key', keys.write('enc.pem', encrypted.privateKey), /: an encrypted key; give an unencrypted PEM private key/],
    ];
    for (const [what, path, message] of cases) {
      const e = configErrorOf(() => loadSigningKey(path));
      expect(e.message, what).toMatch(message);
      expect(e.message.split('\n'), what).toHaveLength(1);
      expect(e.exitCode).toBe(2);
    }
    for (const pem of [rsa.privateKey, p384.privateKey]) {
      const e = configErrorOf(() => loadSigningKey(keys.write('again.pem', pem)));
      for (const line of pemBodyLines(pem)) expect(e.message).not.toContain(line);
    }
  });

  it('bad --key files: a private key, a wrong algorithm or no key at all', () => {
    const pair = keys.pair('p256');
    expect(configErrorOf(() => loadVerifyingKey(pair.privatePath)).message).toMatch(/: a private key; give its public key \(openssl pkey -in KEY -pubout\)$/);
    for (const line of pemBodyLines(pair.privatePem)) expect(configErrorOf(() => loadVerifyingKey(pair.privatePath)).message).not.toContain(line);
    expect(configErrorOf(() => loadVerifyingKey(keys.write('junk.pub', 'hello'))).message).toMatch(/^--key .*junk\.pub: not a PEM public key/);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
    expect(configErrorOf(() => loadVerifyingKey(keys.write('rsa.pub', rsa.publicKey))).message).toMatch(/: a key of type rsa; give an Ed25519 or ECDSA P-256 public key$/);
    expect(configErrorOf(() => loadVerifyingKey(`${keys.dir}/none.pub`)).message).toMatch(/^--key .*none\.pub: cannot read it \(ENOENT\)$/);
  });
});
