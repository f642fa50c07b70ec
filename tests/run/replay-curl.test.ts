/**
 * Every counterexample's curl line replays: run as it stands in a clean bash in the report folder
 * (no SO_TARGET, only the documented SO_HEADER_* variables), it gets the status the case got.
 * The engine runs against broken targets whose counterexamples between them hold a raw image, a
 * multipart body, an invalid body, an empty body, a raw body without Content-Type, no Accept,
 * malformed language headers (quotes, backslashes, spaces), a path segment that is no int32, a
 * bad credential, Basic, a ticket with an application token, and a session cookie with XSRF.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Credential } from '../../src/config/credentials.js';
import type { Counterexample } from '../../src/report/types.js';
import { curlLine, placeholderFor } from '../../src/run/counterexample.js';
import { runConformance } from '../../src/run/engine.js';
import { embeddedCredentials } from '../../src/run/target.js';
import { loadSpec, type LoadedSpec } from '../../src/spec/load.js';
import { defaultBehaviour as d } from '../../src/target/behaviour.js';
import type { RunningTarget } from '../../src/target/server.js';
import { startReferenceTarget } from '../../src/target/server.js';
import type { TargetBehaviour } from '../../src/target/types.js';
import { authHeaders } from '../../src/transport/auth-headers.js';
import { Redactor } from '../../src/transport/redact.js';
import { brokenTargets } from '../broken-targets/catalogue.js';
import { commandPath, inCi, missingTool } from '../support/tools.js';

/** Fixed seed of every run (printed, so a failure can be rerun). */
const SEED = 20240611;
const APP_TOKEN = 'replay-app-token-0123456789';
const CI = inCi;
const hasCurl = commandPath('curl') !== undefined;

type Scheme = Credential['scheme'];

interface Scenario {
  /** What the counterexample holds that the replay must reproduce. */
  covers: string;
  rule: string;
  behaviour: Partial<TargetBehaviour>;
  /** The one scheme the run is configured with, so that the SO_HEADER_* values are known. */
  scheme: Scheme;
  appToken?: boolean;
  /** Shows that the counterexample holds what `covers` says. */
  holds: (cx: Counterexample) => void;
  /** Values for the placeholders instead of the configured credential's (a bad credential the report does not keep), given the counterexample. */
  env?: (cx: Counterexample) => Record<string, string>;
}

const header = (cx: Counterexample, name: string) => cx.request.headers[name.toLowerCase()];

const scenarios: Scenario[] = [
  {
    covers: 'a raw image, Basic',
    rule: 'valid-raw-upload',
    behaviour: brokenTargets['valid-raw-upload']!.behaviour,
    scheme: 'basic',
    holds: (cx) => {
      expect(cx.request.body?.file).toMatch(/\.(png|jpg|gif|tif)$/);
      expect(cx.curl).toContain('--data-binary');
      expect(cx.curl).toContain(`"authorization: \${${placeholderFor('authorization')}}"`);
    },
  },
  {
    covers: 'a multipart body, a session cookie and X-XSRF-TOKEN',
    rule: 'valid-multipart-upload',
    behaviour: brokenTargets['valid-multipart-upload']!.behaviour,
    scheme: 'session',
    holds: (cx) => {
      expect(cx.curl).toContain(' -F ');
      expect(header(cx, 'cookie')).toBe('[REDACTED]');
      expect(cx.curl).toContain(`\${${placeholderFor('cookie')}}`);
    },
  },
  {
    covers: 'an invalid body, a ticket with an application token',
    rule: 'no-signature-rejected',
    behaviour: brokenTargets['no-signature-rejected']!.behaviour,
    scheme: 'soticket',
    appToken: true,
    holds: (cx) => {
      expect(cx.request.body?.imageBase64).toBeUndefined();
      expect(cx.curl).toContain(`\${${placeholderFor('so-apptoken')}}`);
    },
  },
  {
    covers: 'an empty body',
    rule: 'empty-body-rejected',
    behaviour: brokenTargets['empty-body-rejected']!.behaviour,
    scheme: 'bearer',
    holds: (cx) => expect(cx.request.body?.size).toBe(0),
  },
  {
    covers: 'a raw image without Content-Type (curl must not add its form type)',
    rule: 'undeclared-content-type-rejected',
    // Takes a missing Content-Type for a raw image; any Content-Type it does not declare still gets 415.
    behaviour: { checkContentType: (t, c) => (t === undefined ? { ok: true, kind: 'raw', mediaType: 'application/octet-stream' } : d.checkContentType(t, c)) },
    scheme: 'basic',
    holds: (cx) => {
      expect(header(cx, 'content-type')).toBeUndefined();
      expect(cx.response?.status).toBe(200);
    },
  },
  {
    covers: 'no Accept (curl must not add */*)',
    rule: 'valid-raw-upload',
    // Answers 406 to a request without Accept.
    behaviour: { negotiate: (a, c) => (a === undefined ? 'not-acceptable' : d.negotiate(a, c)) },
    scheme: 'bearer',
    holds: (cx) => {
      expect(header(cx, 'accept')).toBeUndefined();
      expect(cx.response?.status).toBe(406);
    },
  },
  {
    covers: 'an Accept the server cannot produce',
    rule: 'accept-unsupported',
    behaviour: brokenTargets['accept-unsupported']!.behaviour,
    scheme: 'basic',
    holds: (cx) => expect(header(cx, 'accept')).toBeTruthy(),
  },
  {
    covers: 'malformed language headers (quotes, backslashes, spaces)',
    rule: 'language-headers-malformed-same-status',
    // Refuses any language header holding a quote, a backslash or a space; other malformed values pass.
    behaviour: {
      authenticate: (h, c) =>
        c.model.headers.some((p) => p.role === 'language' && /["'\\ ]/.test(String(h[p.name.toLowerCase()] ?? ''))) ? { ok: false, status: 400, message: 'bad culture' } : d.authenticate(h, c),
    },
    scheme: 'soticket',
    holds: (cx) => expect(Object.values(cx.request.headers).some((v) => /["'\\ ]/.test(v) && v !== '[REDACTED]')).toBe(true),
  },
  {
    covers: 'a person id segment that is no int32',
    rule: 'person-id-not-int32-rejected',
    behaviour: brokenTargets['person-id-not-int32-rejected']!.behaviour,
    scheme: 'basic',
    holds: (cx) => expect(cx.request.url).not.toMatch(/\/Person\/\d+\/Image$/),
  },
  {
    covers: 'a bad credential (a random or tampered ticket or token, which the report keeps as a placeholder)',
    rule: 'bad-credentials-rejected',
    behaviour: brokenTargets['bad-credentials-rejected']!.behaviour,
    scheme: 'basic',
    holds: (cx) => expect(cx.description).toMatch(/auth: (random|tampered) (ticket|bearer token)/),
    // The report keeps no credential, not even a bad one: the replay gets one of the same kind.
    env: (cx) => ({ [placeholderFor('authorization')]: /ticket/.test(cx.description) ? 'SOTicket 7T:QUJDREVGR0hJSktM' : 'Bearer 8A:QUJDREVGR0hJSktM' }),
  },
];

interface Ran {
  status: number | null;
  stdout: Buffer;
  stderr: string;
}

/**
 * Runs a command line in bash, stdin closed (a socket on stdin would make bash read ~/.bashrc).
 * Async: the target answers from this process, so waiting must not block it.
 */
function bash(line: string, cwd: string, env: Record<string, string>): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', line], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 });
    const out: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout: Buffer.concat(out), stderr }));
  });
}

/** The first line curl's -i output starts with, e.g. `HTTP/1.1 400 Bad Request`. */
function statusLine(stdout: Buffer): string {
  return stdout.toString('latin1').split('\r\n', 1)[0] ?? '';
}

let spec: LoadedSpec;
const reportDirs: string[] = [];

beforeAll(async () => {
  console.log(`replay-curl: seed ${SEED}, curl ${hasCurl ? 'found' : 'missing'}${CI ? ' (CI)' : ''}`);
  spec = await loadSpec();
});

afterAll(() => {
  for (const dir of reportDirs) rmSync(dir, { recursive: true, force: true });
});

describe('the curl line as bash reads it', () => {
  // Every character a shell treats specially; the line replaces curl by printf to show the arguments bash hands over.
  const nasty = `it's "quoted" \\ $HOME \`id\` !! ; & | < > * ? ~ {a,b} #x`;
  const argv = async (line: string, env: Record<string, string> = {}) => {
    const r = await bash(line.replace(/^curl /, `printf '%s\\0' `), tmpdir(), { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env });
    expect(r.stderr).toBe('');
    return r.stdout.toString('utf8').split('\0').slice(0, -1);
  };
  const redactor = new Redactor(['s3cret-value'], ['authorization']);

  it('passes header values, the URL and placeholders to curl unchanged', async () => {
    const line = curlLine(
      {
        method: 'PUT',
        url: "http://127.0.0.1:9/api/v1/Person/a'b$c/Image",
        headers: { 'so-language': nasty, 'so-culture': '', authorization: 'Basic s3cret-value' },
        body: { kind: 'raw', bytes: new Uint8Array(2000) },
        file: 'bodies/x.bin',
        bodySize: 2000,
      },
      redactor,
    );
    expect(line).not.toContain('s3cret-value');
    const args = await argv(line, { SO_HEADER_AUTHORIZATION: 'Basic from-env' });
    expect(args).toContain("http://127.0.0.1:9/api/v1/Person/a'b$c/Image");
    expect(args).toContain(`so-language: ${nasty}`);
    expect(args).toContain('so-culture;');
    expect(args).toContain('authorization: Basic from-env');
    // What curl would add on its own is switched off: no Accept, no form Content-Type, no Expect.
    expect(args).toEqual(expect.arrayContaining(['accept:', 'content-type:', 'expect:', '@bodies/x.bin']));
  });

  it('quotes a multipart file name and type for curl -F', async () => {
    const line = curlLine(
      {
        method: 'POST',
        url: 'http://127.0.0.1:9/api/v1/Person/1/Image',
        headers: { accept: 'application/json' },
        body: { kind: 'multipart', parts: [{ field: 'image', filename: 'a;b "c".png', contentType: 'image/png', bytes: new Uint8Array(1) }] },
        file: 'bodies/x.png',
        bodySize: 1,
      },
      redactor,
    );
    const args = await argv(line);
    expect(args).toContain('image=@bodies/x.png;type=image/png;filename="a;b \\"c\\".png"');
    expect(args).not.toContain('accept:');
  });

  it('sends a multipart body framed under a type of its own with that type (curl appends its boundary)', async () => {
    const body = { kind: 'multipart' as const, parts: [{ field: 'image', filename: 'x.png', contentType: 'image/png', bytes: new Uint8Array(1) }] };
    const request = { method: 'PUT', url: 'http://127.0.0.1:9/api/v1/Person/1/Image', headers: {}, file: 'bodies/x.png', bodySize: 1 };
    const framed = await argv(curlLine({ ...request, body: { ...body, framing: { style: 'dotnet', mediaType: 'text/plain' } } }, redactor));
    expect(framed).toContain('content-type: text/plain');
    const plain = await argv(curlLine({ ...request, body }, redactor));
    expect(plain.some((a) => a.toLowerCase().startsWith('content-type'))).toBe(false);
  });
});

describe('curl lines of counterexamples replay in a clean shell', () => {
  it('curl is installed (required when CI=true)', () => {
    if (CI) expect(hasCurl, `CI=true and ${missingTool('curl')}: the replay tests cannot run`).toBe(true);
    else expect(typeof hasCurl).toBe('boolean');
  });

  for (const s of scenarios) {
    it.skipIf(!hasCurl && !CI)(`${s.rule}: ${s.covers}`, async () => {
      expect(hasCurl, `CI=true and ${missingTool('curl')}: .ci/run must install it`).toBe(true);
      const target: RunningTarget = await startReferenceTarget(s.appToken ? { behaviour: s.behaviour, credentials: { appToken: APP_TOKEN } } : { behaviour: s.behaviour });
      const reportDir = mkdtempSync(join(tmpdir(), 'pic-replay-curl-'));
      reportDirs.push(reportDir);
      try {
        const credential = embeddedCredentials(target).find((c) => c.scheme === s.scheme)!;
        // As tests/support/run-against.ts does, with one credential and this test's report folder.
        const report = await runConformance({
          target: target.url,
          credentials: [credential],
          ...(s.appToken ? { appToken: APP_TOKEN } : {}),
          personId: target.persons[0]!,
          seed: SEED,
          runs: 20,
          concurrency: 4,
          timeoutMs: 10_000,
          reportDir,
          only: [s.rule],
          progress: false,
        });
        const cx = report.rules.find((r) => r.id === s.rule)?.counterexample;
        expect(cx, `no counterexample for ${s.rule}`).toBeDefined();
        s.holds(cx!);
        expect(cx!.response?.status).toBeTypeOf('number');
        expect(cx!.curl).not.toContain('SO_TARGET');

        const sent = authHeaders(spec.model, credential, s.appToken ? APP_TOKEN : undefined);
        for (const v of Object.values(sent)) expect(cx!.curl).not.toContain(v);
        const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin' };
        for (const [k, v] of Object.entries(sent)) env[placeholderFor(k)] = v;
        Object.assign(env, s.env?.(cx!));

        const r = await bash(cx!.curl, reportDir, env);
        const line = statusLine(r.stdout);
        expect(r.stderr, cx!.curl).toBe('');
        expect(r.status, cx!.curl).toBe(0);
        expect(line, cx!.curl).toMatch(new RegExp(`^HTTP/1\\.1 ${cx!.response!.status}\\b`));
      } finally {
        await target.close();
      }
    });
  }
});
