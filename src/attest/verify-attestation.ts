/**
 * Checks report.intoto.jsonl against a public key and the report folder: the DSSE signature over
 * the pre-authentication encoding holds for the key (checked before the payload is read), the
 * payload is an in-toto Statement v1 with the test-result predicate, and every subject file is in
 * the folder with the sha256 the statement names. Each failure is a one-line reason.
 */
import { readFile, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, normalize } from 'node:path';
import { ConfigError } from '../errors.js';
import { decodeBase64, parseEnvelope, preAuthEncoding, type DsseEnvelope } from './dsse.js';
import { inTotoPayloadType, statementType, testResultPredicateType, type Statement, type Subject } from './in-toto.js';
import { verifyMessage, type VerifyingKey } from './keys.js';
import { attestationFileName, sha256Hex } from './sign.js';

export type VerifyOutcome = { ok: true; file: string; keyid: string; statement: Statement } | { ok: false; file: string; reason: string };

/** A signature file of a run: what it is called, its name in the report folder, and the run option that writes it. */
interface SignatureFile {
  what: string;
  name: string;
  option: string;
}

/** Where a signature file is: `<dir>/<name>`, or the file itself. ConfigError (exit 2) when there is none. */
export async function locateSignature(path: string, kind: SignatureFile): Promise<{ file: string; dir: string }> {
  const info = await stat(path).catch(() => undefined);
  if (!info) throw new ConfigError(`${path} does not exist`);
  const file = info.isDirectory() ? join(path, kind.name) : path;
  const isFile = await stat(file).then((s) => s.isFile(), () => false);
  if (!isFile) throw new ConfigError(`no ${kind.what} in ${path}: ${kind.name} is missing (was the run signed with ${kind.option}?)`);
  return { file, dir: info.isDirectory() ? path : dirname(path) };
}

/** Where the attestation is: `<dir>/report.intoto.jsonl`, or the file itself. ConfigError (exit 2) when there is none. */
export const locateAttestation = (path: string) => locateSignature(path, { what: 'attestation', name: attestationFileName, option: '--sign-key' });

function oneEnvelope(text: string): DsseEnvelope | string {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  if (lines.length !== 1) return `${attestationFileName} holds ${lines.length} envelopes; expected one`;
  return parseEnvelope(lines[0]!);
}

/** The payload's bytes when a signature of the envelope holds for the key, else the reason. */
export function signedPayload(envelope: DsseEnvelope, key: VerifyingKey): Buffer | string {
  if (envelope.payloadType !== inTotoPayloadType) return `the payloadType is ${JSON.stringify(envelope.payloadType)}, not ${inTotoPayloadType}`;
  const payload = decodeBase64(envelope.payload);
  if (!payload) return 'the payload is not base64';
  const pae = preAuthEncoding(envelope.payloadType, payload);
  const holds = envelope.signatures.some((s) => {
    const sig = decodeBase64(s.sig);
    return sig !== undefined && verifyMessage(key, pae, sig);
  });
  if (holds) return payload;
  const others = envelope.signatures.map((s) => s.keyid).filter((id) => id !== '' && id !== key.keyid);
  if (others.length === envelope.signatures.length) return `signed with another key (keyid ${others[0]}), not the --key given (keyid ${key.keyid})`;
  return 'the signature does not hold: the statement (payload) or the signature was changed after signing, or another key signed it';
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function statementOf(payload: Buffer): Statement | string {
  let v: unknown;
  try {
    v = JSON.parse(payload.toString('utf8'));
  } catch {
    return 'the payload is not JSON';
  }
  if (!isObject(v) || v._type !== statementType) return `the payload is not an in-toto Statement (_type ${statementType})`;
  if (v.predicateType !== testResultPredicateType) return `the predicateType is ${JSON.stringify(v.predicateType)}, not ${testResultPredicateType}`;
  const subjects = v.subject;
  if (!Array.isArray(subjects) || subjects.length === 0) return 'the statement names no subject';
  for (const s of subjects) {
    if (!isObject(s) || typeof s.name !== 'string' || !isObject(s.digest) || typeof s.digest.sha256 !== 'string') return 'a subject has no name or no sha256 digest';
  }
  return v as unknown as Statement;
}

/** The reason a subject file does not match, or undefined when it does. */
async function subjectMismatch(dir: string, subject: Subject): Promise<string | undefined> {
  const name = subject.name;
  if (isAbsolute(name) || normalize(name).split(/[\\/]/).includes('..')) return `the subject ${JSON.stringify(name)} is not a file of the report folder`;
  let bytes: Buffer;
  try {
    bytes = await readFile(join(dir, name));
  } catch (e) {
    return `${name} is missing (${(e as NodeJS.ErrnoException).code ?? 'unreadable'})`;
  }
  const actual = sha256Hex(bytes);
  const signed = subject.digest.sha256!.toLowerCase();
  return actual === signed ? undefined : `${name} was changed after signing (sha256 ${actual}, signed ${signed})`;
}

/** The Statement of a signed payload whose every subject file matches in `dir`, else the reason. */
export async function matchingStatement(payload: Buffer, dir: string): Promise<Statement | string> {
  const statement = statementOf(payload);
  if (typeof statement === 'string') return statement;
  for (const subject of statement.subject) {
    const mismatch = await subjectMismatch(dir, subject);
    if (mismatch !== undefined) return mismatch;
  }
  return statement;
}

/** Verifies the attestation file against the key and the files of `dir`. */
export async function verifyAttestation(file: string, dir: string, key: VerifyingKey): Promise<VerifyOutcome> {
  const fail = (reason: string): VerifyOutcome => ({ ok: false, file, reason });
  const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new ConfigError(`cannot read ${file}: ${e.code ?? e.message}`);
  });
  const envelope = oneEnvelope(text);
  if (typeof envelope === 'string') return fail(envelope);
  const payload = signedPayload(envelope, key);
  if (typeof payload === 'string') return fail(payload);
  const statement = await matchingStatement(payload, dir);
  if (typeof statement === 'string') return fail(statement);
  return { ok: true, file, keyid: key.keyid, statement };
}
