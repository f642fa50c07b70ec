/**
 * Runs the CLI with known credentials against a target that breaks rules and echoes every
 * credential it is sent back in its answers (JSON 200 bodies as text, error bodies as binary that
 * starts like a GIF, so the report keeps them as hex and would show them as a thumbnail), then
 * scans every artefact (report.json, report.html, junit.xml, saved bodies, a re-rendered report,
 * stdout, stderr) for any piece of any secret: as stored, and decoded from the hex previews, the
 * base64 thumbnails (report.json's `imageBase64`, the HTML's data: URLs) and the HTML hex dumps.
 * A second test feeds the scan a made-up report that hides a secret in each of those ways, so
 * the scan is shown to find what it looks for.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultBehaviour as d } from '../../src/target/behaviour.js';
import { startReferenceTarget } from '../../src/target/server.js';

/** The secrets are derived from this seed (fixed, and printed in the test name). */
const SECRET_SEED = 20260415;
const derive = (name: string) => createHash('sha256').update(`${SECRET_SEED}:${name}`).digest('hex').slice(0, 24);
const s = { password: derive('password'), ticket: derive('ticket'), bearer: derive('bearer'), session: derive('session'), xsrf: derive('xsrf'), app: derive('app') };
const user = 'certify';
const credentials = {
  basic: { user, password: s.password },
  soticket: `7T:${s.ticket}`,
  bearer: `8A:${s.bearer}`,
  session: { cookie: `SoSession=${s.session}; XSRF-TOKEN=${s.xsrf}`, xsrfToken: s.xsrf },
  appToken: s.app,
};

/** Every secret, and the Basic header's base64 form. */
const basicB64 = Buffer.from(`${user}:${s.password}`).toString('base64');
const secrets = [...Object.values(s), basicB64];
/** What the target is sent on the wire: every secret but the password, which travels inside the Basic header's base64. */
const onTheWire = secrets.filter((x) => x !== s.password);

const scratch: string[] = [];
afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});
function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  scratch.push(dir);
  return dir;
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

/** Pieces of 10 characters of each secret: a tampered or cut secret still shows most of them. */
function leaks(text: string): string[] {
  const found: string[] = [];
  for (const secret of secrets) for (let i = 0; i + 10 <= secret.length; i++) if (text.includes(secret.slice(i, i + 10))) found.push(secret.slice(i, i + 10));
  return found;
}

const fromHex = (h: string) => Buffer.from(h.replace(/[\s:]+/g, ''), 'hex').toString('latin1');
const fromBase64 = (b: string) => Buffer.from(b.replace(/\s+/g, ''), 'base64').toString('latin1');

/** The body previews of a report.json, decoded: every `hex` and `imageBase64` field, wherever it is. */
function decodedPreviews(value: unknown, where = '$'): { where: string; bytes: string }[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => decodedPreviews(v, `${where}[${i}]`));
  if (value === null || typeof value !== 'object') return [];
  const out: { where: string; bytes: string }[] = [];
  for (const [k, v] of Object.entries(value)) {
    if (k === 'hex' && typeof v === 'string') out.push({ where: `${where}.hex`, bytes: fromHex(v) });
    else if (k === 'imageBase64' && typeof v === 'string') out.push({ where: `${where}.imageBase64`, bytes: fromBase64(v) });
    else out.push(...decodedPreviews(v, `${where}.${k}`));
  }
  return out;
}

/** The bodies an HTML report shows encoded: data: URLs (thumbnails) and hex dumps (`00000000  47 49 46 ...  |GIF...|`). */
function decodedHtml(html: string): { where: string; bytes: string }[] {
  const out: { where: string; bytes: string }[] = [];
  for (const m of html.matchAll(/data:[^,"'\s]*;base64,([A-Za-z0-9+/=\s]+)/g)) out.push({ where: 'data: URL', bytes: fromBase64(m[1]!) });
  // One dump is a run of consecutive lines; the bytes of all of them, in order, are the body's first bytes.
  const dumpLine = /(?:^|>)[0-9a-f]{8} {2}((?:[0-9a-f]{2}[ ]{1,2})*[0-9a-f]{2})\s+\|/gm;
  const rows = [...html.matchAll(dumpLine)].map((m) => m[1]!);
  if (rows.length) out.push({ where: 'hex dump', bytes: fromHex(rows.join(' ')) });
  return out;
}

/** Every piece of every secret in a folder's files: as stored (bytes read as latin1), and decoded from previews. */
function scan(dir: string): string[] {
  const found: string[] = [];
  for (const f of files(dir)) {
    const raw = readFileSync(f).toString('latin1');
    for (const piece of leaks(raw)) found.push(`${f}: ${piece}`);
    const decoded = f.endsWith('.json') ? decodedPreviews(JSON.parse(raw) as unknown) : f.endsWith('.html') ? decodedHtml(raw) : [];
    for (const { where, bytes } of decoded) for (const piece of leaks(bytes)) found.push(`${f} ${where} (decoded): ${piece}`);
  }
  return found;
}

/** Counts the previews of each kind in a report.json, so the test knows the decoding paths were exercised. */
function previewKinds(report: unknown): { text: number; hex: number; imageBase64: number } {
  const n = { text: 0, hex: 0, imageBase64: 0 };
  const walk = (v: unknown, key = ''): void => {
    if (Array.isArray(v)) v.forEach((x) => walk(x));
    else if (v !== null && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (key === 'body' && typeof o.size === 'number') for (const k of ['text', 'hex', 'imageBase64'] as const) if (typeof o[k] === 'string') n[k]++;
      for (const [k, x] of Object.entries(o)) walk(x, k);
    }
  };
  walk(report);
  return n;
}

describe(`no artefact holds a secret (secrets from seed ${SECRET_SEED})`, () => {
  it('the scan finds a secret as plain text, in a hex preview, in a base64 thumbnail, in an HTML hex dump or data: URL, and in a saved body', () => {
    const dir = tempDir('pic-secrets-scan-');
    const secret = s.bearer;
    const gif = Buffer.concat([Buffer.from('GIF89a\0 token '), Buffer.from(secret)]);
    const report = {
      rules: [
        { id: 'a', counterexample: { response: { body: { size: gif.length, hex: gif.toString('hex') } } } },
        { id: 'b', counterexample: { response: { body: { size: gif.length, imageBase64: gif.toString('base64') } } } },
      ],
    };
    writeFileSync(join(dir, 'report.json'), JSON.stringify(report));
    // The hex and the base64 forms alone show no piece of the secret: only decoding finds them.
    expect(leaks(JSON.stringify(report))).toEqual([]);
    expect(scan(dir).filter((x) => x.includes('.hex (decoded)'))).not.toEqual([]);
    expect(scan(dir).filter((x) => x.includes('.imageBase64 (decoded)'))).not.toEqual([]);

    const dump = [...gif].map((b) => b.toString(16).padStart(2, '0'));
    const lines = [0, 16, 32].map((off) => `${off.toString(16).padStart(8, '0')}  ${dump.slice(off, off + 8).join(' ')}  ${dump.slice(off + 8, off + 16).join(' ')}  |........|`);
    writeFileSync(join(dir, 'report.html'), `<pre>${lines.join('\n')}</pre><img src="data:image/gif;base64,${gif.toString('base64')}">`);
    expect(scan(dir).filter((x) => x.endsWith(`report.html hex dump (decoded): ${secret.slice(0, 10)}`))).not.toEqual([]);
    expect(scan(dir).filter((x) => x.includes('report.html data: URL (decoded)'))).not.toEqual([]);

    mkdirSync(join(dir, 'bodies'));
    writeFileSync(join(dir, 'bodies', 'x.bin'), Buffer.concat([Buffer.from([0, 1, 2]), Buffer.from(s.app), Buffer.from([0xff])]));
    expect(scan(dir).filter((x) => x.includes(join('bodies', 'x.bin')))).not.toEqual([]);
    // A cut secret (its first 12 characters) is still found.
    expect(leaks(`x${s.ticket.slice(0, 12)}x`)).not.toEqual([]);
  });

  it('report.json, report.html, junit.xml, bodies, a re-rendered report, stdout and stderr', async () => {
    let lastSeen = '';
    /** Every credential header the target was sent, and every error body it sent back. */
    const seen: string[] = [];
    const errorBodies: string[] = [];
    /** The header values seen so far that hold a real secret: every answer echoes them all, whatever its request carried (a shrunk case may carry none). */
    const real = new Set<string>();
    const echo = () => `${lastSeen} and before ${JSON.stringify([...real])}`;
    const target = await startReferenceTarget({
      credentials,
      behaviour: {
        // Echoes whatever credentials came with the request into every error body.
        authenticate: (h, c) => {
          const values = { authorization: h.authorization, cookie: h.cookie, xsrf: h['x-xsrf-token'], app: h['so-apptoken'] };
          lastSeen = JSON.stringify(values);
          seen.push(lastSeen);
          for (const v of Object.values(values)) if (typeof v === 'string' && onTheWire.some((x) => v.includes(x))) real.add(v);
          return /^(digest|negotiate|token|ntlm|x-custom) /i.test(h.authorization ?? '') ? { ok: true, scheme: 'unknown' } : d.authenticate(h, c);
        },
        // Binary (a NUL after a GIF signature): the report keeps it as hex, and as a thumbnail were it not redacted.
        errorBody: (status) => {
          const body = `GIF89a\0Error ${status}; you sent ${echo()}`;
          errorBodies.push(body);
          return { contentType: 'application/octet-stream', body };
        },
        // A 200 that is no int32 and echoes the (valid) credentials of the upload.
        serializeBlobId: (m, id) => (m.family === 'json' ? JSON.stringify(`${id} for ${echo()}`) : d.serializeBlobId(m, id)),
      },
    });
    const reportDir = tempDir('pic-secrets-');
    // Async: the target answers from this process, so the CLI must not block it.
    const cli = (args: string[]) =>
      new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
          timeout: 120_000,
          env: {
            ...process.env,
            SO_AUTH: `basic:${user}:${s.password},soticket:${credentials.soticket},bearer:${credentials.bearer}`,
            SO_SESSION_COOKIE: credentials.session.cookie,
            SO_XSRF_TOKEN: s.xsrf,
            SO_APP_TOKEN: s.app,
          },
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (b: Buffer) => (stdout += b.toString('utf8')));
        child.stderr.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
        child.on('close', (status) => resolve({ status, stdout, stderr }));
      });
    try {
      const run = await cli(['run', '--target', target.url, '--person-id', String(target.persons[0]), '--seed', '9', '--runs', '40', '--report-dir', reportDir, '--only', 'bad-credentials-rejected,error-body-shape,response-schema']);
      expect(run.status, run.stderr).toBe(1);
      // The target was sent every secret, and echoed them in the binary error bodies: without redaction they would be in the report.
      const wire = seen.join('\n');
      expect(onTheWire.filter((x) => !wire.includes(x)), 'secrets the target never saw').toEqual([]);
      const echoed = errorBodies.join('\n');
      expect(onTheWire.filter((x) => !echoed.includes(x)), 'secrets no error body echoed').toEqual([]);

      const report = JSON.parse(readFileSync(join(reportDir, 'report.json'), 'utf8')) as { rules: { id: string; status: string; counterexample?: unknown }[] };
      // The run did record the requests and responses that carried the secrets.
      expect(report.rules.find((r) => r.id === 'bad-credentials-rejected')?.counterexample).toBeTruthy();
      expect(report.rules.find((r) => r.id === 'error-body-shape')?.counterexample).toBeTruthy();
      expect(report.rules.find((r) => r.id === 'response-schema')?.counterexample).toBeTruthy();
      // Text and hex previews of answers are both there, so the scan reads text and decodes hex of real echoes.
      const kinds = previewKinds(report);
      expect(kinds.text, JSON.stringify(kinds)).toBeGreaterThan(0);
      expect(kinds.hex, JSON.stringify(kinds)).toBeGreaterThan(0);
      // A recorded answer was an echo of every secret: what the redactor had to take out.
      const answers = report.rules.map((r) => (r.counterexample as { response?: { body?: { size: number; hex?: string } } } | undefined)?.response?.body).filter((b) => b?.hex);
      expect(answers.some((b) => b!.size > 'GIF89a\0Error 401; you sent {} and before []'.length + onTheWire.join('').length), 'no recorded answer is long enough to have held the echoed secrets').toBe(true);

      const rerender = await cli(['report', join(reportDir, 'report.json'), '--report-dir', join(reportDir, 'rerendered')]);
      expect(rerender.stderr).toBe('');
      const artefacts = files(reportDir);
      for (const name of ['report.json', 'report.html', 'junit.xml', join('rerendered', 'report.html')]) expect(artefacts.some((f) => f.endsWith(name)), name).toBe(true);
      expect(artefacts.some((f) => f.includes(`${join(reportDir, 'bodies')}/`)), 'saved bodies').toBe(true);
      expect(scan(reportDir)).toEqual([]);
      expect(leaks(run.stdout + run.stderr + rerender.stdout + rerender.stderr)).toEqual([]);
    } finally {
      await target.close();
    }
  });
});
