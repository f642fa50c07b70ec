/**
 * `person-image-conformance verify --key PUBLIC.pem REPORT_DIR`: checks the signed attestation
 * of a run (report.intoto.jsonl, src/attest/) against the public key and the report files. One
 * line on stdout: 0 when the signature holds and every subject file matches, 1 with the reason
 * when not. A missing or unusable key, or no attestation, is a ConfigError (exit 2).
 */
import { loadVerifyingKey } from '../attest/keys.js';
import { locateAttestation, verifyAttestation } from '../attest/verify-attestation.js';

export interface VerifyOptions {
  keyPath: string;
  /** The report folder, or its report.intoto.jsonl. */
  path: string;
  out: NodeJS.WritableStream;
}

export async function verifyCommand(opts: VerifyOptions): Promise<number> {
  const key = loadVerifyingKey(opts.keyPath);
  const { file, dir } = await locateAttestation(opts.path);
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
}
