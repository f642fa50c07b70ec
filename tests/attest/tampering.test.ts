/**
 * verify catches every kind of tampering with a signed report folder, each with its own reason:
 * an edited report.json or report.html, a missing junit.xml, a changed payload (also one whose
 * digest was brought in line with an edited report), a changed signature, an attacker's own
 * signature (with its keyid or with ours), another public key, and envelopes that are not one
 * in-toto DSSE envelope. A hand-made report folder (a fixture report written by writeReports),
 * signed with Ed25519 and with ECDSA P-256.
 */
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReports } from '../../reporters/write.js';
import { loadSigningKey, loadVerifyingKey, type SigningKey, type VerifyingKey } from '../../src/attest/keys.js';
import { signEnvelope, writeAttestation } from '../../src/attest/sign.js';
import { verifyAttestation, type VerifyOutcome } from '../../src/attest/verify-attestation.js';
import { conformingReport } from '../fixtures/reports.js';
import { keyFolder, type KeyKind } from './key-files.js';

const keys = keyFolder();
const dirs: string[] = [];
afterAll(() => {
  keys.remove();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const newDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'pic-attest-'));
  dirs.push(d);
  return d;
};

interface Envelope {
  payloadType: string;
  payload: string;
  signatures: { keyid: string; sig: string }[];
}

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

describe.each<KeyKind>(['ed25519', 'p256'])('tampering with a folder signed with %s', (kind) => {
  let pristine: string;
  let pub: VerifyingKey;
  let ours: SigningKey;
  const attacker = () => loadSigningKey(keys.pair(kind).privatePath);

  beforeAll(async () => {
    const pair = keys.pair(kind);
    pristine = newDir();
    const report = conformingReport();
    const files = await writeReports(report, pristine);
    ours = loadSigningKey(pair.privatePath);
    await writeAttestation(report, pristine, [files.json, files.html, files.junit], ours, { env: {} });
    pub = loadVerifyingKey(pair.publicPath);
  });

  /** A copy of the signed folder, changed by `change`, then verified with `key`. */
  async function verifyChanged(change: (dir: string) => void, key: () => VerifyingKey = () => pub): Promise<VerifyOutcome> {
    const dir = newDir();
    cpSync(pristine, dir, { recursive: true });
    change(dir);
    return verifyAttestation(join(dir, 'report.intoto.jsonl'), dir, key());
  }
  const envelopeIn = (dir: string) => JSON.parse(readFileSync(join(dir, 'report.intoto.jsonl'), 'utf8')) as Envelope;
  const writeEnvelope = (dir: string, e: unknown) => writeFileSync(join(dir, 'report.intoto.jsonl'), `${JSON.stringify(e)}\n`);
  const statementIn = (e: Envelope) => JSON.parse(Buffer.from(e.payload, 'base64').toString('utf8')) as { subject: { name: string; digest: { sha256: string } }[]; predicate: { result: string } };
  const reasonOf = (o: VerifyOutcome) => (o.ok ? 'verified' : o.reason);

  it('untouched: verified, the statement PASSED with the three report files', async () => {
    const o = await verifyChanged(() => {});
    expect(reasonOf(o)).toBe('verified');
    if (o.ok) {
      expect(o.statement.predicate.result).toBe('PASSED');
      expect(o.statement.subject.map((s) => s.name)).toEqual(['report.json', 'report.html', 'junit.xml']);
    }
  });

  it('an edited report.json: not verified, report.json was changed after signing', async () => {
    const o = await verifyChanged((d) => writeFileSync(join(d, 'report.json'), readFileSync(join(d, 'report.json'), 'utf8').replace('"conforms"', '"does-not-conform"')));
    expect(reasonOf(o)).toMatch(/^report\.json was changed after signing \(sha256 [0-9a-f]{64}, signed [0-9a-f]{64}\)$/);
  });

  it('an edited report.html: not verified, report.html was changed after signing', async () => {
    const o = await verifyChanged((d) => writeFileSync(join(d, 'report.html'), `${readFileSync(join(d, 'report.html'), 'utf8')} `));
    expect(reasonOf(o)).toMatch(/^report\.html was changed after signing/);
  });

  it('a missing junit.xml: not verified, junit.xml is missing', async () => {
    const o = await verifyChanged((d) => unlinkSync(join(d, 'junit.xml')));
    expect(reasonOf(o)).toBe('junit.xml is missing (ENOENT)');
  });

  it("a payload changed to match an edited report.json: the signature does not hold", async () => {
    const o = await verifyChanged((d) => {
      const edited = readFileSync(join(d, 'report.json'), 'utf8').replace('"conforms"', '"does-not-conform"');
      writeFileSync(join(d, 'report.json'), edited);
      const e = envelopeIn(d);
      const statement = statementIn(e);
      statement.subject[0]!.digest.sha256 = sha256(edited);
      writeEnvelope(d, { ...e, payload: Buffer.from(JSON.stringify(statement)).toString('base64') });
    });
    expect(reasonOf(o)).toMatch(/^the signature does not hold: the statement \(payload\) or the signature was changed after signing/);
  });

  it('a payload whose result was changed: the signature does not hold', async () => {
    const o = await verifyChanged((d) => {
      const e = envelopeIn(d);
      const text = Buffer.from(e.payload, 'base64').toString('utf8').replace('"PASSED"', '"FAILED"');
      writeEnvelope(d, { ...e, payload: Buffer.from(text).toString('base64') });
    });
    expect(reasonOf(o)).toMatch(/^the signature does not hold/);
  });

  it('a changed signature (one byte flipped): the signature does not hold', async () => {
    const o = await verifyChanged((d) => {
      const e = envelopeIn(d);
      const sig = Buffer.from(e.signatures[0]!.sig, 'base64');
      sig.writeUInt8(sig.readUInt8(sig.length - 1) ^ 0x01, sig.length - 1);
      writeEnvelope(d, { ...e, signatures: [{ ...e.signatures[0]!, sig: sig.toString('base64') }] });
    });
    expect(reasonOf(o)).toMatch(/^the signature does not hold/);
  });

  it("another key's signature over an edited statement: signed with another key, naming both keyids", async () => {
    const other = attacker();
    const o = await verifyChanged((d) => {
      const e = envelopeIn(d);
      const text = Buffer.from(e.payload, 'base64').toString('utf8').replace('"PASSED"', '"WARNED"');
      writeEnvelope(d, signEnvelope(Buffer.from(text), other));
    });
    expect(reasonOf(o)).toBe(`signed with another key (keyid ${other.keyid}), not the --key given (keyid ${pub.keyid})`);
  });

  it("another key's signature that claims our keyid: the signature does not hold", async () => {
    const other = attacker();
    const o = await verifyChanged((d) => {
      const forged = signEnvelope(Buffer.from(envelopeIn(d).payload, 'base64'), other);
      writeEnvelope(d, { ...forged, signatures: [{ keyid: pub.keyid, sig: forged.signatures[0]!.sig }] });
    });
    expect(reasonOf(o)).toMatch(/^the signature does not hold/);
  });

  it('verified with another public key: signed with another key', async () => {
    const otherPublic = loadVerifyingKey(keys.pair(kind).publicPath);
    const o = await verifyChanged(() => {}, () => otherPublic);
    expect(reasonOf(o)).toBe(`signed with another key (keyid ${pub.keyid}), not the --key given (keyid ${otherPublic.keyid})`);
  });

  it('a payloadType that is not in-toto: not verified, with the type named', async () => {
    const o = await verifyChanged((d) => writeEnvelope(d, { ...envelopeIn(d), payloadType: 'text/plain' }));
    expect(reasonOf(o)).toBe('the payloadType is "text/plain", not application/vnd.in-toto+json');
  });

  it('a statement signed with our key whose subject points out of the folder: not verified', async () => {
    const o = await verifyChanged((d) => {
      const statement = statementIn(envelopeIn(d));
      statement.subject[0]!.name = '../report.json';
      writeEnvelope(d, signEnvelope(Buffer.from(JSON.stringify(statement)), ours));
    });
    expect(reasonOf(o)).toBe('the subject "../report.json" is not a file of the report folder');
  });

  it('envelopes that are none: not JSON, no signatures, two lines', async () => {
    expect(reasonOf(await verifyChanged((d) => writeFileSync(join(d, 'report.intoto.jsonl'), '{"payloadType":')))).toBe('the envelope is not JSON');
    expect(reasonOf(await verifyChanged((d) => writeEnvelope(d, { ...envelopeIn(d), signatures: [] })))).toBe('the envelope has no signatures');
    const twice = await verifyChanged((d) => {
      const line = readFileSync(join(d, 'report.intoto.jsonl'), 'utf8');
      writeFileSync(join(d, 'report.intoto.jsonl'), line + line);
    });
    expect(reasonOf(twice)).toBe('report.intoto.jsonl holds 2 envelopes; expected one');
  });
});
