/**
 * Runs the CLI with known credentials against a target that breaks rules and echoes every
 * credential it is sent back in its error bodies, then scans every artefact (report.json,
 * report.html, junit.xml, saved bodies, a re-rendered report, stdout, stderr) for any piece of
 * any secret.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultBehaviour as d } from '../../src/target/behaviour.js';
import { startReferenceTarget } from '../../src/target/server.js';

const hex = () => randomBytes(12).toString('hex');
const s = { password: hex(), ticket: hex(), bearer: hex(), session: hex(), xsrf: hex(), app: hex() };
const user = 'certify';
const credentials = {
  basic: { user, password: s.password },
  soticket: `7T:${s.ticket}`,
  bearer: `8A:${s.bearer}`,
  session: { cookie: `SoSession=${s.session}; XSRF-TOKEN=${s.xsrf}`, xsrfToken: s.xsrf },
  appToken: s.app,
};

/** Every secret, and the Basic header's base64 form. */
const secrets = [...Object.values(s), Buffer.from(`${user}:${s.password}`).toString('base64')];

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

describe('no artefact holds a secret', () => {
  it('report.json, report.html, junit.xml, bodies, a re-rendered report, stdout and stderr', async () => {
    let lastSeen = '';
    const target = await startReferenceTarget({
      credentials,
      behaviour: {
        // Echoes whatever credentials came with the request into every error body.
        authenticate: (h, c) => {
          lastSeen = JSON.stringify({ authorization: h.authorization, cookie: h.cookie, xsrf: h['x-xsrf-token'], app: h['so-apptoken'] });
          return /^(digest|negotiate|token|ntlm|x-custom) /i.test(h.authorization ?? '') ? { ok: true, scheme: 'unknown' } : d.authenticate(h, c);
        },
        errorBody: (status) => ({ contentType: 'text/plain', body: `Error ${status}; you sent ${lastSeen}` }),
        // A 200 that is no int32 and echoes the (valid) credentials of the upload.
        serializeBlobId: (m, id) => (m.family === 'json' ? JSON.stringify(`${id} for ${lastSeen}`) : d.serializeBlobId(m, id)),
      },
    });
    const reportDir = mkdtempSync(join(tmpdir(), 'pic-secrets-'));
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
      const run = await cli(['run', '--target', target.url, '--person-id', String(target.persons[0]), '--seed', '9', '--runs', '15', '--report-dir', reportDir, '--only', 'bad-credentials-rejected,error-body-shape,response-schema']);
      expect(run.status, run.stderr).toBe(1);
      const report = JSON.parse(readFileSync(join(reportDir, 'report.json'), 'utf8')) as { rules: { id: string; status: string; counterexample?: unknown }[] };
      // The run did record the requests and responses that carried the secrets.
      expect(report.rules.find((r) => r.id === 'bad-credentials-rejected')?.counterexample).toBeTruthy();
      expect(report.rules.find((r) => r.id === 'error-body-shape')?.counterexample).toBeTruthy();
      expect(report.rules.find((r) => r.id === 'response-schema')?.counterexample).toBeTruthy();
      const rerender = await cli(['report', join(reportDir, 'report.json'), '--report-dir', join(reportDir, 'rerendered')]);
      expect(rerender.stderr).toBe('');
      const artefacts = files(reportDir);
      expect(artefacts.some((f) => f.endsWith('report.html'))).toBe(true);
      expect(artefacts.some((f) => f.includes('bodies'))).toBe(true);
      for (const f of artefacts) expect(leaks(readFileSync(f, 'latin1')), f).toEqual([]);
      expect(leaks(run.stdout + run.stderr + rerender.stdout + rerender.stderr)).toEqual([]);
      // The echo really carried the secrets: without redaction they would be in the report.
      expect(lastSeen.length).toBeGreaterThan(0);
    } finally {
      await target.close();
    }
  });
});
