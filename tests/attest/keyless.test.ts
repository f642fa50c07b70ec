/**
 * `run --sign-keyless` and `verify --keyless`, offline: the CLI in a child process signs through
 * @sigstore/mock's Fulcio and Rekor on 127.0.0.1 (tests/attest/sigstore-mock.ts) with an OIDC
 * token in SIGSTORE_ID_TOKEN, after a real run against the embedded reference target (seed 3,
 * --runs 1, one rule). Every child has a proxy trap for anything not on loopback, and each test
 * that signs checks that nothing went there. Also: the same statement as --sign-key's, verify's
 * refusals (an edited report, a changed signature, another certificate, no or another Rekor
 * entry), exit 2 before the first request without an OIDC token, and a Fulcio or Rekor failure
 * after the run (the reports stay, the bundle is not written, an older one is removed).
 */
import { createHash } from 'node:crypto';
import { appendFileSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_FULCIO_URL, DEFAULT_REKOR_URL } from '@sigstore/sign';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSigningCertificate } from '../../src/attest/fulcio-certificate.js';
import { inTotoPayloadType } from '../../src/attest/in-toto.js';
import { keylessSigningOf, publicFulcioUrl, publicRekorUrl } from '../../src/attest/keyless-config.js';
import { verifyKeylessBundle } from '../../src/attest/verify-keyless.js';
import { runOptions } from '../../src/cli/options.js';
import { parseFlags, resolveRunConfig } from '../../src/cli/parse.js';
import { ConfigError, UsageError } from '../../src/errors.js';
import { runCli, type CliResult } from '../support/cli.js';
import { keyFolder, type KeyFiles } from './key-files.js';
import { actionsIssuer, oidcToken, startMockSigstore, workflowIdentity, type MockSigstore } from './sigstore-mock.js';

const BUNDLE = 'report.sigstore.json';
const REPORT_FILES = ['report.json', 'report.html', 'junit.xml'];
const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

let mock: MockSigstore;
const keys = keyFolder();
const dirs: string[] = [];
const token = oidcToken();

/** No OIDC source but what a test gives: the runner's own (a CI job's) never reaches the child. */
const noToken = { SIGSTORE_ID_TOKEN: '', ACTIONS_ID_TOKEN_REQUEST_URL: '', ACTIONS_ID_TOKEN_REQUEST_TOKEN: '', GITHUB_ACTIONS: '' };

/** The CLI with the mock's URLs and the proxy trap, never a way out. */
function cli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return runCli(args, { env: { ...noToken, ...mock.env, ...env } });
}

function freshDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'pic-keyless-'));
  dirs.push(d);
  return d;
}

function copyOf(dir: string): string {
  const d = freshDir();
  cpSync(dir, d, { recursive: true });
  return d;
}

function expectOneLine(text: string, line: RegExp): void {
  const lines = text.split('\n').filter(Boolean);
  expect(lines, text).toHaveLength(1);
  expect(lines[0]).toMatch(line);
  expect(text).not.toMatch(/\n\s+at /);
}

const embeddedRun = (dir: string) => ['run', '--seed', '3', '--runs', '1', '--only', 'empty-body-rejected', '--no-progress', '--report-dir', dir];

interface SerializedBundle {
  mediaType: string;
  dsseEnvelope: { payload: string; payloadType: string; signatures: { sig: string; keyid?: string }[] };
  verificationMaterial: { certificate?: { rawBytes: string }; tlogEntries: { logIndex: string; kindVersion: { kind: string; version: string }; integratedTime: string; canonicalizedBody: string }[] };
}

const readBundle = (dir: string) => JSON.parse(readFileSync(join(dir, BUNDLE), 'utf8')) as SerializedBundle;

/** A copy of the folder whose bundle is changed by `edit`. */
function withBundle(dir: string, edit: (b: SerializedBundle) => void): string {
  const d = copyOf(dir);
  const b = readBundle(d);
  edit(b);
  writeFileSync(join(d, BUNDLE), JSON.stringify(b));
  return d;
}

async function reasonOf(dir: string): Promise<string> {
  const o = await verifyKeylessBundle(join(dir, BUNDLE), dir);
  return o.ok ? 'verified' : o.reason;
}

/** The folder signed keylessly alone (SO_SIGN_KEYLESS=1), and one signed with --sign-key and --sign-keyless. */
let keyless: { dir: string; r: CliResult };
let both: { dir: string; r: CliResult; pair: KeyFiles };

beforeAll(async () => {
  mock = await startMockSigstore();
  const pair = keys.pair('p256', 'both');
  const [a, b] = [freshDir(), freshDir()];
  const [ra, rb] = await Promise.all([
    cli(embeddedRun(a), { SO_SIGN_KEYLESS: '1', SIGSTORE_ID_TOKEN: token }),
    cli([...embeddedRun(b), '--sign-key', pair.privatePath, '--sign-keyless'], { SIGSTORE_ID_TOKEN: token }),
  ]);
  keyless = { dir: a, r: ra };
  both = { dir: b, r: rb, pair };
});

afterAll(async () => {
  await mock?.close();
  keys.remove();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('run --sign-keyless against @sigstore/mock (embedded target, seed 3, --runs 1 --only empty-body-rejected)', () => {
  it('writes report.sigstore.json and says so after the verdict line; Fulcio and Rekor were asked, nothing else', () => {
    expect(keyless.r.code, keyless.r.stderr).toBe(0);
    expect(keyless.r.stderr).toBe('');
    const lines = keyless.r.stdout.split('\n').filter(Boolean);
    expect(lines[0]).toMatch(/^verdict: conforms/);
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^keyless signature: ${join(keyless.dir, BUNDLE).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(Sigstore bundle: Fulcio certificate, Rekor log index \\d+\\)$`)));
    expect(readdirSync(keyless.dir)).toEqual(expect.arrayContaining([...REPORT_FILES, BUNDLE]));
    expect(readdirSync(keyless.dir)).not.toContain('report.intoto.jsonl');
    // Two runs signed: each asked Fulcio for a certificate and Rekor for an entry.
    expect(mock.requests.filter((p) => p === '/api/v2/signingCert')).toHaveLength(2);
    expect(mock.requests.filter((p) => p === '/api/v1/log/entries')).toHaveLength(2);
    expect(mock.escaped()).toEqual([]);
  });

  it('the bundle: v0.3, a DSSE envelope over the in-toto Statement of the three files, the certificate of the workflow, one Rekor dsse entry', () => {
    const b = readBundle(keyless.dir);
    expect(b.mediaType).toBe('application/vnd.dev.sigstore.bundle.v0.3+json');
    expect(b.dsseEnvelope.payloadType).toBe(inTotoPayloadType);
    const statement = JSON.parse(Buffer.from(b.dsseEnvelope.payload, 'base64').toString('utf8')) as { _type: string; subject: unknown; predicateType: string };
    expect(statement._type).toBe('https://in-toto.io/Statement/v1');
    expect(statement.predicateType).toBe('https://in-toto.io/attestation/test-result/v0.1');
    expect(statement.subject).toEqual(REPORT_FILES.map((name) => ({ name, digest: { sha256: sha256(readFileSync(join(keyless.dir, name))) } })));
    const cert = readSigningCertificate(Buffer.from(b.verificationMaterial.certificate!.rawBytes, 'base64'));
    if (typeof cert === 'string') throw new Error(cert);
    expect(cert.identity).toBe(workflowIdentity);
    expect(cert.issuer).toBe(actionsIssuer);
    expect(cert.key.algorithm).toBe('ecdsa-p256');
    expect(b.verificationMaterial.tlogEntries).toHaveLength(1);
    expect(b.verificationMaterial.tlogEntries[0]!.kindVersion).toEqual({ kind: 'dsse', version: '0.0.1' });
  });

  it('with --sign-key too: both files, both over the same statement, and verify checks both', async () => {
    expect(both.r.code, both.r.stderr).toBe(0);
    const lines = both.r.stdout.split('\n');
    expect(lines.some((l) => l.startsWith(`attestation: ${join(both.dir, 'report.intoto.jsonl')} (signed, keyid `))).toBe(true);
    expect(lines.some((l) => l.startsWith(`keyless signature: ${join(both.dir, BUNDLE)} `))).toBe(true);
    const envelope = JSON.parse(readFileSync(join(both.dir, 'report.intoto.jsonl'), 'utf8')) as { payload: string };
    expect(readBundle(both.dir).dsseEnvelope.payload).toBe(envelope.payload);
    const r = await cli(['verify', '--key', both.pair.publicPath, '--keyless', both.dir]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('verified: '))).toHaveLength(2);
  });

  it('in GitHub Actions: the token comes from the job\'s token endpoint, with audience sigstore and the job\'s bearer token', async () => {
    const d = freshDir();
    const requestToken = 'actions-request-token-0815';
    const r = await cli([...embeddedRun(d), '--sign-keyless'], { GITHUB_ACTIONS: 'true', ACTIONS_ID_TOKEN_REQUEST_URL: `${mock.url}/actions-token?api-version=2.0`, ACTIONS_ID_TOKEN_REQUEST_TOKEN: requestToken });
    expect(r.code, r.stderr).toBe(0);
    expect(mock.tokenRequests).toEqual([{ audience: 'sigstore', authorization: `Bearer ${requestToken}` }]);
    expect(await reasonOf(d)).toBe('verified');
    expect(r.stdout + r.stderr).not.toContain(requestToken);
    expect(mock.escaped()).toEqual([]);
  });

  it('the OIDC token appears nowhere: not in the output, the reports or the bundle', () => {
    const claims = token.split('.')[1]!;
    for (const run of [keyless, both]) {
      const texts = [run.r.stdout, run.r.stderr, ...readdirSync(run.dir).map((f) => readFileSync(join(run.dir, f), 'utf8'))];
      for (const t of texts) expect(t.includes(claims)).toBe(false);
    }
  });
});

describe.concurrent('verify --keyless', () => {
  it('a keyless-signed folder: exit 0; the identity and issuer of the certificate, the log index, the files, the result; then what was not checked', async () => {
    const r = await cli(['verify', '--keyless', keyless.dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n').filter(Boolean);
    expect(lines).toHaveLength(2);
    const logIndex = readBundle(keyless.dir).verificationMaterial.tlogEntries[0]!.logIndex;
    expect(lines[0]).toBe(
      `verified: ${join(keyless.dir, BUNDLE)} is signed by ${workflowIdentity} (OIDC issuer ${actionsIssuer}), logged in Rekor at index ${logIndex} ` +
        `(${new Date(Number(readBundle(keyless.dir).verificationMaterial.tlogEntries[0]!.integratedTime) * 1000).toISOString()}); report.json, report.html, junit.xml match; result PASSED`,
    );
    expect(lines[1]).toMatch(/^not checked: that the certificate chains to Sigstore's root \(Fulcio issued it\) and that Rekor signed the entry; cosign verify-blob-attestation --bundle/);
  });

  it('the bundle itself may be named instead of its folder', async () => {
    const r = await cli(['verify', '--keyless', join(keyless.dir, BUNDLE)]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
  });

  it('an edited report.json: exit 1 and the reason', async () => {
    const d = copyOf(keyless.dir);
    appendFileSync(join(d, 'report.json'), ' ');
    const r = await cli(['verify', '--keyless', d]);
    expect(r.code).toBe(1);
    expectOneLine(r.stdout, /^not verified: .*report\.sigstore\.json: report\.json was changed after signing \(sha256 [0-9a-f]{64}, signed [0-9a-f]{64}\)$/);
  });

  it('a changed signature: exit 1, the signature does not hold', async () => {
    const d = withBundle(keyless.dir, (b) => {
      const sig = Buffer.from(b.dsseEnvelope.signatures[0]!.sig, 'base64');
      sig[sig.length - 5]! ^= 0x01;
      b.dsseEnvelope.signatures[0]!.sig = sig.toString('base64');
    });
    const r = await cli(['verify', '--keyless', d]);
    expect(r.code).toBe(1);
    expectOneLine(r.stdout, /^not verified: .*report\.sigstore\.json: the signature does not hold/);
  });

  it('a changed statement (payload): the signature does not hold', async () => {
    const d = withBundle(keyless.dir, (b) => {
      const s = Buffer.from(b.dsseEnvelope.payload, 'base64').toString('utf8').replace('"PASSED"', '"FAILED"');
      b.dsseEnvelope.payload = Buffer.from(s).toString('base64');
    });
    expect(await reasonOf(d)).toMatch(/^the signature does not hold/);
  });

  it('the certificate of another signing: the signature does not hold', async () => {
    const other = readBundle(both.dir).verificationMaterial.certificate!;
    expect(await reasonOf(withBundle(keyless.dir, (b) => (b.verificationMaterial.certificate = other)))).toMatch(/^the signature does not hold/);
  });

  it('no Rekor entry, or the entry of another signing: refused', async () => {
    expect(await reasonOf(withBundle(keyless.dir, (b) => (b.verificationMaterial.tlogEntries = [])))).toBe('the bundle has no transparency-log (Rekor) entry');
    const other = readBundle(both.dir).verificationMaterial.tlogEntries;
    expect(await reasonOf(withBundle(keyless.dir, (b) => (b.verificationMaterial.tlogEntries = other)))).toMatch(/^no transparency-log entry of the bundle is about this envelope/);
  });

  it('an entry as Rekor stores it (the signature and the payload\'s sha256) is about the envelope; with another payload hash it is not', async () => {
    const rekorForm = (payloadHash: (payload: Buffer) => string) =>
      withBundle(keyless.dir, (b) => {
        const payload = Buffer.from(b.dsseEnvelope.payload, 'base64');
        const body = { apiVersion: '0.0.1', kind: 'dsse', spec: { signatures: [{ signature: b.dsseEnvelope.signatures[0]!.sig, verifier: 'LS0t' }], payloadHash: { algorithm: 'sha256', value: payloadHash(payload) }, envelopeHash: { algorithm: 'sha256', value: '00' } } };
        b.verificationMaterial.tlogEntries[0]!.canonicalizedBody = Buffer.from(JSON.stringify(body)).toString('base64');
      });
    expect(await reasonOf(rekorForm((p) => sha256(p)))).toBe('verified');
    expect(await reasonOf(rekorForm((p) => sha256(Buffer.concat([p, Buffer.from(' ')]))))).toMatch(/^no transparency-log entry of the bundle is about this envelope/);
  });

  it('logged outside the certificate\'s validity: refused', async () => {
    const d = withBundle(keyless.dir, (b) => (b.verificationMaterial.tlogEntries[0]!.integratedTime = String(Number(b.verificationMaterial.tlogEntries[0]!.integratedTime) + 3600)));
    expect(await reasonOf(d)).toMatch(/^the signature was logged at .*, outside the certificate's validity/);
  });

  it('not a bundle, a key-signed bundle, a message signature: refused with what it is', async () => {
    expect(await reasonOf(withBundle(keyless.dir, (b) => (b.mediaType = 'application/json')))).toMatch(/^not a Sigstore bundle/);
    expect(
      await reasonOf(
        withBundle(keyless.dir, (b) => {
          delete b.verificationMaterial.certificate;
          (b.verificationMaterial as Record<string, unknown>).publicKey = { hint: 'x' };
        }),
      ),
    ).toMatch(/^the bundle holds a public key, not a Fulcio certificate/);
    expect(await reasonOf(withBundle(keyless.dir, (b) => delete (b as Partial<SerializedBundle>).dsseEnvelope))).toMatch(/^the bundle holds no DSSE envelope/);
  });

  const usage: [string, () => string[], RegExp][] = [
    ['neither --key nor --keyless', () => ['verify', keyless.dir], /^person-image-conformance: verify needs --key PUBLIC\.pem .* or --keyless/],
    ['no folder', () => ['verify', '--keyless'], /^person-image-conformance: verify takes one report folder \(or its report\.sigstore\.json\), got 0$/],
    ['a folder without a bundle', () => ['verify', '--keyless', keys.dir], /^person-image-conformance: no keyless signature in .*: report\.sigstore\.json is missing \(was the run signed with --sign-keyless\?\)$/],
    ['--key on a folder signed keylessly only (unchanged: it checks report.intoto.jsonl)', () => ['verify', '--key', both.pair.publicPath, keyless.dir], /report\.intoto\.jsonl is missing \(was the run signed with --sign-key\?\)$/],
    ['--key and --keyless on one file', () => ['verify', '--key', both.pair.publicPath, '--keyless', join(both.dir, BUNDLE)], /^person-image-conformance: verify --key and --keyless together check a report folder, not one file$/],
  ];
  for (const [what, args, line] of usage) {
    it(`${what}: exit 2 and one line on stderr`, async () => {
      const r = await cli(args());
      expect(r.code, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      expectOneLine(r.stderr, line);
    });
  }
});

describe('run --sign-keyless without an OIDC token (or with a bad one): exit 2 before the first request', () => {
  let requests = 0;
  let server: Server;
  let targetUrl: string;
  let mockBefore: number;
  beforeAll(async () => {
    server = createServer((_req, res) => {
      requests++;
      res.writeHead(500).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    targetUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/SuperOffice/api/v1`;
    mockBefore = mock.requests.length;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const remote = () => ['run', '--target', targetUrl, '--auth', 'basic:u:p', '--person-id', '1', '--no-progress', '--report-dir', join(keys.dir, 'reports')];
  const secret = 'not-a-jwt-but-a-secret-4711';
  const now = Math.floor(Date.now() / 1000);
  const cases: [string, () => { args: string[]; env: Record<string, string> }, RegExp][] = [
    ['no token at all (SO_SIGN_KEYLESS=1)', () => ({ args: remote(), env: { SO_SIGN_KEYLESS: '1' } }), /^person-image-conformance: --sign-keyless: no OIDC token: not in a GitHub Actions job with `permissions: id-token: write`, and SIGSTORE_ID_TOKEN is not set$/],
    ['in GitHub Actions without id-token: write', () => ({ args: [...remote(), '--sign-keyless'], env: { GITHUB_ACTIONS: 'true' } }), /--sign-keyless: no OIDC token: this GitHub Actions job may not request one; give the job `permissions: id-token: write`$/],
    ['a SIGSTORE_ID_TOKEN that is no JWT (never printed)', () => ({ args: [...remote(), '--sign-keyless'], env: { SIGSTORE_ID_TOKEN: secret } }), /--sign-keyless: SIGSTORE_ID_TOKEN is not a JWT/],
    ['an expired SIGSTORE_ID_TOKEN', () => ({ args: [...remote(), '--sign-keyless'], env: { SIGSTORE_ID_TOKEN: oidcToken({ exp: now - 60 }) } }), /--sign-keyless: SIGSTORE_ID_TOKEN is a JWT that expired at \d{4}-/],
    ['a token without a subject', () => ({ args: [...remote(), '--sign-keyless'], env: { SIGSTORE_ID_TOKEN: oidcToken({ sub: undefined }) } }), /SIGSTORE_ID_TOKEN is a JWT without a subject/],
    ['SO_SIGN_KEYLESS=maybe', () => ({ args: remote(), env: { SO_SIGN_KEYLESS: 'maybe', SIGSTORE_ID_TOKEN: token } }), /^person-image-conformance: SO_SIGN_KEYLESS takes 1 or 0 \(true or false\), not "maybe"$/],
    ['an SO_SIGSTORE_FULCIO_URL that is no http(s) URL', () => ({ args: [...remote(), '--sign-keyless'], env: { SIGSTORE_ID_TOKEN: token, SO_SIGSTORE_FULCIO_URL: 'ftp://fulcio.example' } }), /^person-image-conformance: SO_SIGSTORE_FULCIO_URL: "ftp:\/\/fulcio\.example" is not an http\(s\) URL$/],
  ];
  for (const [what, make, line] of cases) {
    it(`${what}: exit 2, one line, no request to the target or to Sigstore`, async () => {
      const { args, env } = make();
      const r = await cli(args, env);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      expectOneLine(r.stderr, line);
      expect(r.stderr).not.toContain(secret);
      expect(requests).toBe(0);
      expect(mock.requests.length).toBe(mockBefore);
      expect(mock.escaped()).toEqual([]);
    });
  }
});

describe('a Sigstore failure after the run: exit 2, the reports stay, the keyless signature is not written', () => {
  it('Rekor refuses the entry: one line naming Rekor; an older report.sigstore.json in the folder is removed', async () => {
    const d = freshDir();
    writeFileSync(join(d, BUNDLE), '{"old": true}\n');
    const r = await cli(embeddedRun(d).concat('--sign-keyless'), { SIGSTORE_ID_TOKEN: token, SO_SIGSTORE_REKOR_URL: `${mock.url}/refuse` });
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/^verdict: conforms/);
    expectOneLine(
      r.stderr,
      /^person-image-conformance: the keyless signature was not written: Rekor \(http:\/\/127\.0\.0\.1:\d+\/refuse\) did not log the signature: HTTP 400 refused by the test \(the reports in .* are written; report\.sigstore\.json is not\)$/,
    );
    expect(readdirSync(d)).toEqual(expect.arrayContaining(REPORT_FILES));
    expect(existsSync(join(d, BUNDLE))).toBe(false);
    expect(mock.requests).toContain('/refuse/api/v1/log/entries');
    expect(mock.escaped()).toEqual([]);
  });

  it('Fulcio refuses the certificate, with --sign-key too: the attestation is written and verifies, the bundle is not', async () => {
    const d = freshDir();
    const pair = keys.pair('ed25519');
    const r = await cli([...embeddedRun(d), '--sign-key', pair.privatePath, '--sign-keyless'], { SIGSTORE_ID_TOKEN: token, SO_SIGSTORE_FULCIO_URL: `${mock.url}/refuse` });
    expect(r.code).toBe(2);
    expect(r.stdout.split('\n')).toContainEqual(expect.stringMatching(/^attestation: .*report\.intoto\.jsonl \(signed, keyid [0-9a-f]{64}\)$/));
    expectOneLine(r.stderr, /^person-image-conformance: the keyless signature was not written: Fulcio \(http:\/\/127\.0\.0\.1:\d+\/refuse\) gave no certificate: HTTP 400 refused by the test \(/);
    expect(existsSync(join(d, BUNDLE))).toBe(false);
    const v = await cli(['verify', '--key', pair.publicPath, d]);
    expect(v.code, v.stdout).toBe(0);
    expect(mock.escaped()).toEqual([]);
  });
});

describe('the option and its defaults (in-process, nothing sent)', () => {
  const resolve = (argv: string[], env: NodeJS.ProcessEnv) => resolveRunConfig(parseFlags(argv, runOptions).values, env, runOptions).signKeyless;

  it('the public Sigstore instances by default, as @sigstore/sign names them; SO_SIGSTORE_*_URL override them', () => {
    expect([publicFulcioUrl, publicRekorUrl]).toEqual([DEFAULT_FULCIO_URL, DEFAULT_REKOR_URL]);
    expect(keylessSigningOf({ SIGSTORE_ID_TOKEN: token })).toEqual({ fulcioUrl: 'https://fulcio.sigstore.dev', rekorUrl: 'https://rekor.sigstore.dev', tokenFrom: 'SIGSTORE_ID_TOKEN' });
    expect(keylessSigningOf({ SIGSTORE_ID_TOKEN: token, SO_SIGSTORE_FULCIO_URL: 'https://fulcio.example/', SO_SIGSTORE_REKOR_URL: ' http://127.0.0.1:9/ ' })).toMatchObject({ fulcioUrl: 'https://fulcio.example', rekorUrl: 'http://127.0.0.1:9' });
  });

  it('the token: SIGSTORE_ID_TOKEN first, else the GitHub Actions token endpoint; an email needs email_verified', () => {
    const actions = { ACTIONS_ID_TOKEN_REQUEST_URL: 'https://actions.example/token', ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'bearer-value' };
    expect(keylessSigningOf(actions).tokenFrom).toBe('GitHub Actions');
    expect(keylessSigningOf({ ...actions, SIGSTORE_ID_TOKEN: token }).tokenFrom).toBe('SIGSTORE_ID_TOKEN');
    expect(keylessSigningOf({ ...actions, SIGSTORE_ID_TOKEN: ' ' }).tokenFrom).toBe('GitHub Actions');
    expect(() => keylessSigningOf({ ACTIONS_ID_TOKEN_REQUEST_URL: actions.ACTIONS_ID_TOKEN_REQUEST_URL })).toThrow(ConfigError);
    expect(() => keylessSigningOf({ SIGSTORE_ID_TOKEN: oidcToken({ email: 'qa@example.com' }) })).toThrow(/without a subject/);
    expect(keylessSigningOf({ SIGSTORE_ID_TOKEN: oidcToken({ email: 'qa@example.com', email_verified: true }) }).tokenFrom).toBe('SIGSTORE_ID_TOKEN');
  });

  it('--sign-keyless, SO_SIGN_KEYLESS (1/true/yes, 0/false/no, blank) and the config file\'s true/false; the flag wins', () => {
    const env = { SIGSTORE_ID_TOKEN: token };
    expect(resolve([], env)).toBeUndefined();
    expect(resolve(['--sign-keyless'], env)).toMatchObject({ tokenFrom: 'SIGSTORE_ID_TOKEN' });
    for (const on of ['1', 'true', 'YES']) expect(resolve([], { ...env, SO_SIGN_KEYLESS: on }), on).toBeDefined();
    for (const off of ['0', 'false', 'no', '']) expect(resolve([], { ...env, SO_SIGN_KEYLESS: off }), off).toBeUndefined();
    expect(resolve(['--sign-keyless'], { ...env, SO_SIGN_KEYLESS: '0' })).toBeDefined();
    expect(resolveRunConfig({ 'sign-keyless': true }, env, runOptions).signKeyless).toBeDefined();
    expect(resolveRunConfig({ 'sign-keyless': false }, env, runOptions).signKeyless).toBeUndefined();
    expect(() => resolve([], { ...env, SO_SIGN_KEYLESS: '2' })).toThrow(UsageError);
  });
});
