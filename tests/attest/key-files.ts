/**
 * Key pairs for the attestation tests, made with crypto.generateKeyPairSync and written as PEM
 * files into a temporary folder; `remove()` deletes the folder and everything in it.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type KeyKind = 'ed25519' | 'p256';

export interface KeyFiles {
  privatePath: string;
  publicPath: string;
  privatePem: string;
  publicPem: string;
}

export interface KeyFolder {
  dir: string;
  /** A new key pair of `kind`, written as `<name>.pem` (PKCS#8) and `<name>.pub` (SPKI). */
  pair(kind: KeyKind, name?: string): KeyFiles;
  /** Writes any file into the folder and returns its path. */
  write(name: string, content: string): string;
  remove(): void;
}

let made = 0;

function generate(kind: KeyKind): { privatePem: string; publicPem: string } {
  const { privateKey, publicKey } =
    kind === 'ed25519'
      ? generateKeyPairSync('ed25519', { publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } })
      : generateKeyPairSync('ec', { namedCurve: 'prime256v1', publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
  return { privatePem: privateKey, publicPem: publicKey };
}

export function keyFolder(): KeyFolder {
  const dir = mkdtempSync(join(tmpdir(), 'pic-attest-keys-'));
  const write = (name: string, content: string) => {
    const path = join(dir, name);
    writeFileSync(path, content, { mode: 0o600 });
    return path;
  };
  return {
    dir,
    write,
    pair(kind, name = `${kind}-${++made}`) {
      const { privatePem, publicPem } = generate(kind);
      return { privatePem, publicPem, privatePath: write(`${name}.pem`, privatePem), publicPath: write(`${name}.pub`, publicPem) };
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The base64 body lines of a PEM: none of them may ever appear in output or a report. */
export function pemBodyLines(pem: string): string[] {
  return pem.split('\n').filter((l) => l.length > 0 && !l.startsWith('-----'));
}
