/**
 * Misconfiguration is not a verdict: each mistake a partner or a CI job makes ends the run before
 * any case with exit 2 and one line on stderr that says what to fix (the CLI in a child process,
 * as a user runs it), and nothing on the target is changed.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReferenceTarget, type RunningTarget } from '../../src/target/server.js';
import { imageState, ownImage, setImage } from '../safety/helpers.js';
import { forwardTo } from '../support/forward.js';
import { runCli, type CliResult } from '../support/cli.js';

let t: RunningTarget;
let own: Buffer;
const scratch = mkdtempSync(join(tmpdir(), 'pic-misconf-'));

beforeAll(async () => {
  t = await startReferenceTarget();
  own = await ownImage();
  await setImage(t, t.persons[0]!, own);
});

afterAll(async () => {
  await t.close();
  rmSync(scratch, { recursive: true, force: true });
});


function cli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return runCli(args, { env });
}

const basicAuth = () => `basic:${t.credentials.basic.user}:${t.credentials.basic.password}`;

/** `run --target URL` with the reference target's Basic credential, person 1, a report folder of its own. */
function runAgainst(url: string, extra: string[] = [], env: Record<string, string> = {}): Promise<CliResult> {
  const reportDir = mkdtempSync(join(scratch, 'r-'));
  return cli(['run', '--target', url, '--person-id', String(t.persons[0]), '--runs', '3', '--no-progress', '--report-dir', reportDir, ...extra], { SO_AUTH: basicAuth(), ...env });
}

/** Exit 2, exactly one line on stderr (after the http:// warning, if any) matching `reason`, no report, no stack trace. */
function expectOneLineExit2(r: CliResult, reason: RegExp): void {
  const lines = r.stderr.split('\n').filter((l) => l.length > 0 && !l.startsWith('warning:'));
  expect(r.code, r.stderr).toBe(2);
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(reason);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.stdout).not.toMatch(/verdict:/);
}

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ url: string; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer(handler);
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        for (const s of sockets) s.destroy();
      }),
  };
}

const page = (res: ServerResponse, status: number) => res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' }).end('<!DOCTYPE html><html><body>SuperOffice</body></html>');

describe('misconfiguration ends the run with exit 2 and one line', () => {
  it('an empty SO_TARGET (an unset CI variable) is a usage error, not a run against the embedded target', async () => {
    expectOneLineExit2(await cli(['run', '--no-progress'], { SO_TARGET: '' }), /SO_TARGET is set but empty/);
  });

  it('an empty --target likewise', async () => {
    expectOneLineExit2(await cli(['run', '--target', '', '--no-progress']), /--target is empty/);
  });

  describe('a wrong base URL', () => {
    let host: Awaited<ReturnType<typeof listen>>;
    beforeAll(async () => {
      // IIS-like: the API under /SuperOffice/api/v1, the web application's pages everywhere else.
      const api = forwardTo(new URL(t.url).origin);
      host = await listen((req, res) => {
        if ((req.url ?? '').startsWith('/SuperOffice/api/v1/')) return api(req, res);
        req.resume();
        page(res, (req.url ?? '').startsWith('/SuperOffice/') ? 200 : 404);
      });
    });
    afterAll(() => host.close());

    it("the installation's root: names the answer and suggests …/api/v1", async () => {
      const r = await runAgainst(`${host.url}/`);
      expectOneLineExit2(r, new RegExp(`answered 404 text/html, a web page, not the API's ImageInfo.*did you mean ${host.url}/api/v1\\?`));
    });

    it('/SuperOffice without /api/v1: suggests /SuperOffice/api/v1', async () => {
      const r = await runAgainst(`${host.url}/SuperOffice`);
      expectOneLineExit2(r, new RegExp(`answered 200 text/html, a web page.*did you mean ${host.url}/SuperOffice/api/v1\\?`));
    });

    it('the right URL runs (the same host)', async () => {
      const r = await runAgainst(`${host.url}/SuperOffice/api/v1`, ['--only', 'empty-body-rejected']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^verdict: conforms/);
    });
  });

  it('a server that never answers: the pre-flight gives up after 10 s, not the 30 s request timeout', async () => {
    const silent = await listen(() => {});
    try {
      expectOneLineExit2(await runAgainst(`${silent.url}/SuperOffice/api/v1`), /cannot reach the target .*: no answer within 10 s/);
    } finally {
      await silent.close();
    }
  }, 30_000);

  it('a credential the target refuses: names the scheme', async () => {
    const r = await runAgainst(t.url, [], { SO_AUTH: `basic:${t.credentials.basic.user}:wrong-password` });
    expectOneLineExit2(r, /refused the configured basic \(401\) credential on a plain ImageInfo read of person 1: check --auth/);
    expect(r.stderr).not.toContain('wrong-password');
  });

  it('a person that does not exist: says to check --person-id', async () => {
    const r = await cli(['run', '--target', t.url, '--person-id', '999', '--runs', '3', '--no-progress', '--report-dir', mkdtempSync(join(scratch, 'r-'))], { SO_AUTH: basicAuth() });
    expectOneLineExit2(r, /answered 400 .*check --person-id 999/);
  });

  it('a report folder that cannot be written: before any request', async () => {
    const file = join(scratch, 'a-file');
    writeFileSync(file, 'x');
    const before = t.requestCount();
    const r = await cli(['run', '--target', t.url, '--person-id', '1', '--no-progress', '--report-dir', join(file, 'reports')], { SO_AUTH: basicAuth() });
    expectOneLineExit2(r, /--report-dir .* cannot be written/);
    expect(t.requestCount()).toBe(before);
  });

  it('a malformed pact: before any request', async () => {
    const pact = join(scratch, 'broken-pact.json');
    writeFileSync(pact, '{"consumer": {"name": "x"}');
    const before = t.requestCount();
    expectOneLineExit2(await runAgainst(t.url, ['--pact', pact]), /broken-pact\.json is not JSON/);
    expect(t.requestCount()).toBe(before);
  });

  it('an image snapshot that is no image: stops, and nothing is "restored" over the person', async () => {
    const api = forwardTo(new URL(t.url).origin);
    const wrong = await listen((req, res) => {
      if (req.method === 'GET' && /\/Image$/.test(req.url ?? '')) {
        req.resume();
        return page(res, 200);
      }
      return api(req, res);
    });
    try {
      const r = await runAgainst(`${wrong.url}/SuperOffice/api/v1`);
      expectOneLineExit2(r, /answered 200 with \d+ bytes of text\/html that are no image; is --target the API's base URL/);
      const after = await imageState(t, t.persons[0]!);
      expect(after.bytes.equals(own)).toBe(true);
    } finally {
      await wrong.close();
    }
  });
});
