/**
 * Signs a run: after report.json, report.html and junit.xml are written, their sha256 digests go
 * into an in-toto Statement (src/attest/statement.ts), which is signed as a DSSE envelope with
 * the `--sign-key` key and written as one line to `<report-dir>/report.intoto.jsonl`. The same
 * Statement's bytes are what `--sign-keyless` signs (src/attest/keyless-sign.ts).
 */
import { createHash } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { ConfigError } from '../errors.js';
import { defaultRulesPath, packageRoot } from '../package-root.js';
import type { Report } from '../report/types.js';
import { envelopeLine, preAuthEncoding, type DsseEnvelope } from './dsse.js';
import { inTotoPayloadType, type Subject } from './in-toto.js';
import { signMessage, type SigningKey } from './keys.js';
import { buildStatement } from './statement.js';

/** The attestation's file name in the report folder. */
export const attestationFileName = 'report.intoto.jsonl';

export const sha256Hex = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

async function subjectOf(dir: string, path: string): Promise<Subject> {
  return { name: relative(dir, path).split('\\').join('/'), digest: { sha256: sha256Hex(await readFile(path)) } };
}

/** The GitHub Actions run, when the signing happens in one. */
export function ciRunUrl(env: NodeJS.ProcessEnv): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: run } = env;
  return server && repo && run ? `${server}/${repo}/actions/runs/${run}` : undefined;
}

/** The envelope of a statement's bytes, signed with the key. */
export function signEnvelope(payload: Buffer, key: SigningKey): DsseEnvelope {
  const sig = signMessage(key, preAuthEncoding(inTotoPayloadType, payload));
  return { payloadType: inTotoPayloadType, payload: payload.toString('base64'), signatures: [{ keyid: key.keyid, sig: sig.toString('base64') }] };
}

export interface AttestationOptions {
  /** The rules catalogue the run judged with (default: the package's spec/rules.yaml). */
  rulesPath?: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * The in-toto Statement of the report files (their paths, as writeReports gives them; each read
 * back from disk and named relative to `dir`), as the bytes every signature of the run is over:
 * report.intoto.jsonl (`--sign-key`) and report.sigstore.json (`--sign-keyless`) sign the same.
 * ConfigError when a file cannot be read.
 */
export async function statementPayload(report: Report, dir: string, files: string[], options: AttestationOptions = {}): Promise<Buffer> {
  const rulesPath = options.rulesPath ?? defaultRulesPath;
  try {
    const subjects = await Promise.all(files.map((f) => subjectOf(dir, f)));
    const runUrl = ciRunUrl(options.env ?? process.env);
    const statement = buildStatement(report, {
      subjects,
      rulesSha256: sha256Hex(await readFile(rulesPath)),
      rulesFile: relative(packageRoot, rulesPath).split('\\').join('/'),
      ...(runUrl !== undefined ? { runUrl } : {}),
    });
    return Buffer.from(JSON.stringify(statement), 'utf8');
  } catch (e) {
    throw new ConfigError(`could not sign the reports in ${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** Writes `text` to `path` through a temporary file, so a reader never sees half of it. */
export async function writeAtomically(path: string, text: string): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, text, 'utf8');
  await rename(tmp, path);
}

/** Writes `<dir>/report.intoto.jsonl`: the statement's bytes signed with the key. Returns its path; ConfigError when it cannot be written. */
export async function writeSignedEnvelope(dir: string, payload: Buffer, key: SigningKey): Promise<string> {
  const path = join(dir, attestationFileName);
  try {
    await writeAtomically(path, `${envelopeLine(signEnvelope(payload, key))}\n`);
    return path;
  } catch (e) {
    throw new ConfigError(`could not write the attestation ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** Writes `<dir>/report.intoto.jsonl` for the report files (statementPayload, then writeSignedEnvelope). Returns its path. */
export async function writeAttestation(report: Report, dir: string, files: string[], key: SigningKey, options: AttestationOptions = {}): Promise<string> {
  return writeSignedEnvelope(dir, await statementPayload(report, dir, files, options), key);
}
