/**
 * DSSE as its protocol defines it: the pre-authentication encoding matches the spec's worked
 * example and counts bytes (not characters); an envelope from sign verifies with an independent
 * verifier (openssl, over a PAE built here by hand), and its ECDSA signature is DER; base64 is
 * read strictly; malformed envelopes are reasons, never exceptions.
 */
import { spawnSync } from 'node:child_process';
import { createPublicKey, verify } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeBase64, parseEnvelope, preAuthEncoding } from '../../src/attest/dsse.js';
import { loadSigningKey } from '../../src/attest/keys.js';
import { signEnvelope } from '../../src/attest/sign.js';
import { itWithTools, requireTool } from '../support/tools.js';
import { keyFolder, type KeyKind } from './key-files.js';

const keys = keyFolder();
afterAll(() => keys.remove());

/** PAE written out from the DSSE protocol text, independently of src/attest/dsse.ts. */
const paeByHand = (type: string, body: Buffer) => Buffer.concat([Buffer.from(`DSSEv1 ${Buffer.byteLength(type)} ${type} ${body.length} `), body]);

describe('the pre-authentication encoding', () => {
  it("is the DSSE protocol's worked example", () => {
    expect(preAuthEncoding('http://example.com/HelloWorld', Buffer.from('hello world')).toString()).toBe('DSSEv1 29 http://example.com/HelloWorld 11 hello world');
  });

  it('counts bytes, not characters', () => {
    const body = Buffer.from('é€', 'utf8');
    expect(preAuthEncoding('application/x-ä', body).equals(Buffer.concat([Buffer.from('DSSEv1 16 application/x-ä 5 ', 'utf8'), body]))).toBe(true);
  });
});

describe.each<KeyKind>(['ed25519', 'p256'])('an envelope signed with %s', (kind) => {
  const pair = keys.pair(kind);
  const payload = Buffer.from('{"_type":"https://in-toto.io/Statement/v1"}');
  const envelope = signEnvelope(payload, loadSigningKey(pair.privatePath));
  const sig = Buffer.from(envelope.signatures[0]!.sig, 'base64');
  const pae = paeByHand('application/vnd.in-toto+json', payload);

  it('verifies with node:crypto over the PAE built by hand, and not over the bare payload', () => {
    const key = createPublicKey(pair.publicPem);
    const digest = kind === 'ed25519' ? null : 'sha256';
    expect(verify(digest, pae, key, sig)).toBe(true);
    expect(verify(digest, payload, key, sig)).toBe(false);
  });

  if (kind === 'p256') {
    it('is a DER ECDSA signature (SEQUENCE of two INTEGERs), as cosign expects', () => {
      expect(sig[0]).toBe(0x30);
      expect(sig[1]).toBe(sig.length - 2);
      expect(sig[2]).toBe(0x02);
      expect(sig.length).toBeGreaterThanOrEqual(8);
      expect(sig.length).toBeLessThanOrEqual(72);
    });
  }

  itWithTools('verifies with openssl, an independent implementation, which refuses a flipped byte', ['openssl'], () => {
    const paePath = join(keys.dir, `${kind}.pae`);
    const sigPath = join(keys.dir, `${kind}.sig`);
    const args =
      kind === 'ed25519'
        ? ['pkeyutl', '-verify', '-pubin', '-inkey', pair.publicPath, '-rawin', '-in', paePath, '-sigfile', sigPath]
        : ['dgst', '-sha256', '-verify', pair.publicPath, '-signature', sigPath, paePath];
    const openssl = (message: Buffer) => {
      writeFileSync(paePath, message);
      writeFileSync(sigPath, sig);
      return spawnSync(requireTool('openssl'), args, { encoding: 'utf8' });
    };
    const good = openssl(pae);
    expect(good.stdout + good.stderr).toMatch(/Verified (OK|Successfully)/);
    expect(good.status).toBe(0);
    const flipped = Buffer.from(pae);
    flipped.writeUInt8(flipped.readUInt8(flipped.length - 2) ^ 0x01, flipped.length - 2);
    const bad = openssl(flipped);
    expect(bad.stdout + bad.stderr).not.toMatch(/Verified (OK|Successfully)/);
    expect(bad.status).not.toBe(0);
  });
});

describe('reading envelopes', () => {
  it('base64: standard and URL-safe are read; anything else is not', () => {
    expect(decodeBase64('aGk/Pz8+')?.toString()).toBe('hi???>');
    expect(decodeBase64('aGk_Pz8-')?.toString()).toBe('hi???>');
    expect(decodeBase64('aGk')?.toString()).toBe('hi');
    for (const bad of ['aGk*', 'a', 'aGk=Pz8+', '####']) expect(decodeBase64(bad), bad).toBeUndefined();
  });

  it('malformed envelopes are reasons', () => {
    expect(parseEnvelope('[]')).toBe('the envelope is not a JSON object');
    expect(parseEnvelope('{"payload":"","signatures":[{"sig":""}]}')).toBe('the envelope has no payloadType');
    expect(parseEnvelope('{"payloadType":"t","signatures":[{"sig":""}]}')).toBe('the envelope has no payload');
    expect(parseEnvelope('{"payloadType":"t","payload":"","signatures":[{}]}')).toBe('a signature of the envelope has no sig');
    expect(parseEnvelope('{"payloadType":"t","payload":"","signatures":[{"sig":"","keyid":1}]}')).toBe('a signature of the envelope has a keyid that is no string');
    expect(parseEnvelope('{"payloadType":"t","payload":"","signatures":[{"sig":"c2ln"}]}')).toEqual({ payloadType: 't', payload: '', signatures: [{ keyid: '', sig: 'c2ln' }] });
  });
});
