/**
 * `run --sign-key` end to end (the CLI's runCommand against a reference target on 127.0.0.1):
 * after report.json, report.html and junit.xml, the run writes report.intoto.jsonl; it verifies
 * with the public key, Ed25519 and ECDSA P-256; its statement names the three files with their
 * sha256 as written, the rules and the configuration as report.json has them, and holds no
 * credential and nothing of the key. A run that stopped early (the target went away) is signed
 * too, as FAILED. Fixed seeds (printed in each title).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSigningKey, loadVerifyingKey } from '../../src/attest/keys.js';
import { verifyAttestation } from '../../src/attest/verify-attestation.js';
import { runCommand } from '../../src/cli/run.js';
import type { RunConfig } from '../../src/config/run-config.js';
import { defaultRulesPath } from '../../src/package-root.js';
import type { Report } from '../../src/report/types.js';
import { embeddedCredentials } from '../../src/run/target.js';
import { startReferenceTarget, type RunningTarget } from '../../src/target/server.js';
import { startFaultProxy } from '../safety/helpers.js';
import { keyFolder, pemBodyLines, type KeyFiles, type KeyKind } from './key-files.js';

const keys = keyFolder();
const dirs: string[] = [];
afterAll(() => {
  keys.remove();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

interface SignedRun {
  code: number;
  out: string;
  dir: string;
  report: Report;
  pair: KeyFiles;
  target: RunningTarget;
}

/** runCommand with `--sign-key` (the key read as the CLI reads it) against `url`, into a new report folder. */
async function signedRun(kind: KeyKind, t: RunningTarget, url: string, overrides: Partial<RunConfig>): Promise<SignedRun> {
  const pair = keys.pair(kind);
  const dir = mkdtempSync(join(tmpdir(), 'pic-signed-run-'));
  dirs.push(dir);
  let out = '';
  const sink = new Writable({ write: (chunk, _enc, done) => ((out += String(chunk)), done()) });
  const config: RunConfig = {
    target: url,
    credentials: embeddedCredentials(t),
    personId: t.persons[0]!,
    seed: 1,
    runs: 2,
    concurrency: 2,
    timeoutMs: 10_000,
    reportDir: dir,
    only: [],
    progress: false,
    signKey: loadSigningKey(pair.privatePath),
    ...overrides,
  };
  const code = await runCommand(config, sink);
  const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as Report;
  return { code, out, dir, report, pair, target: t };
}

describe.each<KeyKind>(['ed25519', 'p256'])('a signed run (%s, seed 7, --runs 2 --only empty-body-rejected)', (kind) => {
  let run: SignedRun;
  beforeAll(async () => {
    const t = await startReferenceTarget();
    try {
      run = await signedRun(kind, t, t.url, { seed: 7, only: ['empty-body-rejected'] });
    } finally {
      await t.close();
    }
  });

  it('writes report.intoto.jsonl beside the reports, says so, and verifies with the public key', async () => {
    expect(run.code).toBe(0);
    expect(readdirSync(run.dir).sort()).toEqual(expect.arrayContaining(['junit.xml', 'report.html', 'report.intoto.jsonl', 'report.json']));
    const pub = loadVerifyingKey(run.pair.publicPath);
    // The verdict line first; the attestation's line after it (GitHub Actions annotations may come between).
    expect(run.out).toMatch(/^verdict: conforms/);
    expect(run.out.split('\n')).toContain(`attestation: ${join(run.dir, 'report.intoto.jsonl')} (signed, keyid ${pub.keyid})`);
    const o = await verifyAttestation(join(run.dir, 'report.intoto.jsonl'), run.dir, pub);
    expect(o.ok ? 'verified' : o.reason).toBe('verified');
  });

  it('the statement: the three files with their sha256 as written, the rules and the configuration of report.json', async () => {
    const o = await verifyAttestation(join(run.dir, 'report.intoto.jsonl'), run.dir, loadVerifyingKey(run.pair.publicPath));
    if (!o.ok) throw new Error(o.reason);
    const { subject, predicate } = o.statement;
    expect(subject).toEqual(['report.json', 'report.html', 'junit.xml'].map((name) => ({ name, digest: { sha256: sha256(readFileSync(join(run.dir, name))) } })));
    expect(predicate.result).toBe('PASSED');
    expect(predicate.passedTests).toEqual(['empty-body-rejected']);
    expect(predicate.failedTests).toEqual([]);
    const byName = Object.fromEntries(predicate.configuration.map((d) => [d.name, d]));
    expect(byName.tool?.annotations?.version).toBe(run.report.tool.version);
    expect(byName.spec?.digest?.sha256).toBe(run.report.spec.sha256);
    expect(byName.rules?.digest?.sha256).toBe(sha256(readFileSync(defaultRulesPath)));
    expect(byName.target?.uri).toBe(run.report.target.url);
    expect(byName.target?.annotations).toMatchObject({ seed: 7, runs: 2, only: ['empty-body-rejected'], authSchemes: ['basic', 'soticket', 'bearer', 'session'], startedAt: run.report.startedAt });
  });

  it('no credential and nothing of the key in the attestation, the reports or the output', () => {
    const c = run.target.credentials;
    const secrets = [c.basic.password, c.soticket, c.bearer, c.session.cookie, c.session.xsrfToken, ...pemBodyLines(run.pair.privatePem)];
    const envelope = readFileSync(join(run.dir, 'report.intoto.jsonl'), 'utf8');
    const payload = Buffer.from((JSON.parse(envelope) as { payload: string }).payload, 'base64').toString('utf8');
    const texts = { envelope, payload, out: run.out, ...Object.fromEntries(['report.json', 'report.html', 'junit.xml'].map((f) => [f, readFileSync(join(run.dir, f), 'utf8')])) };
    for (const [where, text] of Object.entries(texts)) for (const s of secrets) expect(text.includes(s), `${where} holds a secret`).toBe(false);
    expect(payload).not.toContain(run.pair.privatePath);
  });
});

describe('a signed run that stopped early (seed 5: the target goes away at its 6th save)', () => {
  it('is signed too, its result FAILED, and verifies', async () => {
    const t = await startReferenceTarget();
    const proxy = await startFaultProxy(t.url, (n) => n === 6, (req) => void proxy.goAway().then(() => req.socket.destroy()));
    let run: SignedRun;
    try {
      run = await signedRun('ed25519', t, proxy.url, { seed: 5, runs: 20, concurrency: 4 });
    } finally {
      await proxy.close();
      await t.close();
    }
    expect(run.report.stop?.kind).toBe('target-gone');
    expect(run.report.verdict).toBe('incomplete');
    expect(run.code).toBe(2);
    expect(run.out.split('\n')).toContain(`attestation: ${join(run.dir, 'report.intoto.jsonl')} (signed, keyid ${loadVerifyingKey(run.pair.publicPath).keyid})`);
    const o = await verifyAttestation(join(run.dir, 'report.intoto.jsonl'), run.dir, loadVerifyingKey(run.pair.publicPath));
    if (!o.ok) throw new Error(o.reason);
    expect(o.statement.predicate.result).toBe('FAILED');
    // Only the rules the run judged before it stopped are listed; the rest (not-run) in no list.
    const ids = (status: string) => run.report.rules.filter((r) => r.status === status).map((r) => r.id);
    expect(ids('not-run').length).toBeGreaterThan(0);
    expect(o.statement.predicate.passedTests).toEqual(ids('pass'));
    expect(o.statement.predicate.failedTests).toEqual(ids('fail'));
  });
});
