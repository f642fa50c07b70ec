/**
 * `verify` and `run --sign-key` as a user runs them (the CLI in a child process): verify exits 0
 * with one line when the attestation holds, 1 with the reason when a report was edited or another
 * key is given, 2 with one stderr line on usage errors (no --key, an unreadable key, a private key
 * as --key, no attestation, no folder); `run` with a bad --sign-key (or an empty SO_SIGN_KEY) is a
 * one-line exit 2 before any request reaches the target, and never shows the key.
 */
import { appendFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReports } from '../../reporters/write.js';
import { loadSigningKey } from '../../src/attest/keys.js';
import { writeAttestation } from '../../src/attest/sign.js';
import { conformingReport } from '../fixtures/reports.js';
import { keyFolder, pemBodyLines, type KeyFiles } from './key-files.js';
import { runCli, type CliResult } from '../support/cli.js';



function cli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return runCli(args, { env });
}

function expectOneLine(text: string, line: RegExp): void {
  const lines = text.split('\n').filter(Boolean);
  expect(lines, text).toHaveLength(1);
  expect(lines[0]).toMatch(line);
  expect(text).not.toMatch(/\n\s+at /);
}

const keys = keyFolder();
const dirs: string[] = [];
let signed: string;
let pair: KeyFiles;
let requests = 0;
let server: Server;
let targetUrl: string;

beforeAll(async () => {
  pair = keys.pair('p256', 'signer');
  signed = mkdtempSync(join(tmpdir(), 'pic-verify-cli-'));
  dirs.push(signed);
  const report = conformingReport();
  const files = await writeReports(report, signed);
  await writeAttestation(report, signed, [files.json, files.html, files.junit], loadSigningKey(pair.privatePath), { env: {} });
  server = createServer((_req, res) => {
    requests++;
    res.writeHead(500).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  targetUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/SuperOffice/api/v1`;
});

afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  keys.remove();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A copy of the signed folder to change. */
function copyOfSigned(): string {
  const d = mkdtempSync(join(tmpdir(), 'pic-verify-cli-'));
  dirs.push(d);
  cpSync(signed, d, { recursive: true });
  return d;
}

describe.concurrent('verify', () => {
  it('a signed folder: exit 0 and one line naming the keyid, the files and the result', async () => {
    const r = await cli(['verify', '--key', pair.publicPath, signed]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expectOneLine(r.stdout, /^verified: .*report\.intoto\.jsonl is signed by keyid [0-9a-f]{64} \(ecdsa-p256\); report\.json, report\.html, junit\.xml match; result PASSED$/);
  });

  it('the attestation file itself may be named instead of its folder', async () => {
    const r = await cli(['verify', '--key', pair.publicPath, join(signed, 'report.intoto.jsonl')]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
  });

  it('an edited report.json: exit 1 and the reason', async () => {
    const d = copyOfSigned();
    appendFileSync(join(d, 'report.json'), ' ');
    const r = await cli(['verify', '--key', pair.publicPath, d]);
    expect(r.code).toBe(1);
    expectOneLine(r.stdout, /^not verified: .*report\.intoto\.jsonl: report\.json was changed after signing/);
  });

  it('another public key: exit 1, signed with another key', async () => {
    const r = await cli(['verify', '--key', keys.pair('p256').publicPath, signed]);
    expect(r.code).toBe(1);
    expectOneLine(r.stdout, /^not verified: .*: signed with another key \(keyid [0-9a-f]{64}\), not the --key given \(keyid [0-9a-f]{64}\)$/);
  });

  const usage: [string, () => string[], RegExp][] = [
    ['no --key', () => ['verify', signed], /^person-image-conformance: verify needs --key PUBLIC\.pem/],
    ['no folder', () => ['verify', '--key', pair.publicPath], /^person-image-conformance: verify takes one report folder \(or its report\.intoto\.jsonl\), got 0$/],
    ['two folders', () => ['verify', '--key', pair.publicPath, signed, signed], /got 2$/],
    ['an unreadable key', () => ['verify', '--key', join(keys.dir, 'none.pub'), signed], /^person-image-conformance: --key .*none\.pub: cannot read it \(ENOENT\)$/],
    ['a private key as --key', () => ['verify', '--key', pair.privatePath, signed], /^person-image-conformance: --key .*signer\.pem: a private key; give its public key/],
    ['a folder without an attestation', () => ['verify', '--key', pair.publicPath, keys.dir], /^person-image-conformance: no attestation in .*: report\.intoto\.jsonl is missing \(was the run signed with --sign-key\?\)$/],
    ['a folder that does not exist', () => ['verify', '--key', pair.publicPath, join(keys.dir, 'nowhere')], /^person-image-conformance: .*nowhere does not exist$/],
  ];
  for (const [what, args, line] of usage) {
    it(`${what}: exit 2 and one line on stderr`, async () => {
      const r = await cli(args());
      expect(r.code, r.stderr).toBe(2);
      expectOneLine(r.stderr, line);
      for (const l of pemBodyLines(pair.privatePem)) expect(r.stderr + r.stdout).not.toContain(l);
    });
  }
});

describe.concurrent('run --sign-key: a bad key stops the run before its first request', () => {
  const remote = () => ['run', '--target', targetUrl, '--auth', 'basic:u:p', '--person-id', '1', '--no-progress', '--report-dir', join(keys.dir, 'reports')];
  const cases: [string, () => { args: string[]; env?: Record<string, string> }, RegExp][] = [
    ['a file that is no key', () => ({ args: [...remote(), '--sign-key', keys.write('junk.pem', 'not a key')] }), /--sign-key .*junk\.pem: not a PEM private key \(Ed25519 or ECDSA P-256\)$/],
    ['a missing file (SO_SIGN_KEY)', () => ({ args: remote(), env: { SO_SIGN_KEY: join(keys.dir, 'missing.pem') } }), /--sign-key .*missing\.pem: cannot read it \(ENOENT\)$/],
    ['a public key', () => ({ args: [...remote(), '--sign-key', pair.publicPath] }), /--sign-key .*signer\.pub: not a PEM private key/],
    ['an empty SO_SIGN_KEY', () => ({ args: remote(), env: { SO_SIGN_KEY: '' } }), /SO_SIGN_KEY is set but empty/],
  ];
  for (const [what, make, line] of cases) {
    it(`${what}: exit 2, one line, no request sent`, async () => {
      const { args, env } = make();
      const r = await cli(args, env);
      expect(r.code, r.stderr).toBe(2);
      expectOneLine(r.stderr, line);
      expect(requests).toBe(0);
      for (const l of [...pemBodyLines(pair.privatePem), ...pemBodyLines(pair.publicPem)]) expect(r.stderr + r.stdout).not.toContain(l);
    });
  }
});
