/**
 * DSSE v1 (https://github.com/secure-systems-lab/dsse/blob/master/protocol.md): the envelope
 * {payloadType, payload (base64), signatures: [{keyid, sig (base64)}]} and the pre-authentication
 * encoding the signatures are over, "DSSEv1 <len> <type> <len> <payload>" with lengths in bytes as
 * ASCII decimal. Reading an envelope never throws: a malformed one is a reason.
 */

interface DsseSignature {
  keyid: string;
  sig: string;
}

export interface DsseEnvelope {
  payloadType: string;
  payload: string;
  signatures: DsseSignature[];
}

/** The pre-authentication encoding of a payload and its type. */
export function preAuthEncoding(payloadType: string, payload: Buffer): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([Buffer.from(`DSSEv1 ${type.length} `, 'ascii'), type, Buffer.from(` ${payload.length} `, 'ascii'), payload]);
}

/** The envelope as one line of JSON (an .intoto.jsonl line, without its newline). */
export function envelopeLine(envelope: DsseEnvelope): string {
  return JSON.stringify({ payloadType: envelope.payloadType, payload: envelope.payload, signatures: envelope.signatures.map((s) => ({ keyid: s.keyid, sig: s.sig })) });
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Strict standard base64 (DSSE also allows URL-safe); undefined when it is neither. */
export function decodeBase64(text: string): Buffer | undefined {
  const standard = text.replace(/-/g, '+').replace(/_/g, '/');
  if (!BASE64.test(standard)) return undefined;
  const bytes = Buffer.from(standard, 'base64');
  const unpadded = (s: string) => s.replace(/=+$/, '');
  return unpadded(bytes.toString('base64')) === unpadded(standard) ? bytes : undefined;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function signaturesOf(v: unknown): DsseSignature[] | string {
  if (!Array.isArray(v) || v.length === 0) return 'the envelope has no signatures';
  const out: DsseSignature[] = [];
  for (const s of v) {
    if (!isObject(s) || typeof s.sig !== 'string') return 'a signature of the envelope has no sig';
    if (s.keyid !== undefined && typeof s.keyid !== 'string') return 'a signature of the envelope has a keyid that is no string';
    out.push({ keyid: typeof s.keyid === 'string' ? s.keyid : '', sig: s.sig });
  }
  return out;
}

/** Parses one envelope line; a string is the reason it is none. */
export function parseEnvelope(line: string): DsseEnvelope | string {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return 'the envelope is not JSON';
  }
  if (!isObject(v)) return 'the envelope is not a JSON object';
  if (typeof v.payloadType !== 'string') return 'the envelope has no payloadType';
  if (typeof v.payload !== 'string') return 'the envelope has no payload';
  const signatures = signaturesOf(v.signatures);
  if (typeof signatures === 'string') return signatures;
  return { payloadType: v.payloadType, payload: v.payload, signatures };
}
