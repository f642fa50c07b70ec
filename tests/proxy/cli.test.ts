/**
 * `person-image-conformance proxy` as a user runs it (a child process): a non-loopback --host is
 * one line and exit 2; `--requests N` ends the session after N requests with the reports written
 * and the verdict's exit code; SIGINT ends it the same way. The embedded target's credentials come
 * on the first stdout line (`--json`), as `serve --json` prints them.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sampleImages } from './example-integration.js';

const ROOT = join(import.meta.dirname, '..', '..');
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function start(args: string[]): { child: ChildProcessWithoutNullStreams; stdout: () => string; stderr: () => string; exit: Promise<number | null> } {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SO_')));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'proxy', ...args], { cwd: ROOT, env: clean });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += String(d)));
  child.stderr.on('data', (d: Buffer) => (err += String(d)));
  return { child, stdout: () => out, stderr: () => err, exit: new Promise((r) => child.on('close', (code) => r(code))) };
}

/** The first stdout line, once it came: the proxy's URL and the embedded target's credentials. */
async function announced(p: ReturnType<typeof start>): Promise<{ url: string; credentials: { basic: { user: string; password: string } }; persons: number[] }> {
  while (!p.stdout().includes('\n')) {
    if (p.child.exitCode !== null) throw new Error(`the proxy exited: ${p.stderr()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return JSON.parse(p.stdout().split('\n')[0]!) as never;
}

function reportDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'proxy-cli-'));
  dirs.push(d);
  return d;
}

describe('proxy on the command line', () => {
  it('refuses a non-loopback --host without --allow-remote-listen: one line, exit 2', async () => {
    const p = start(['--host', '0.0.0.0']);
    expect(await p.exit).toBe(2);
    expect(p.stderr()).toBe('person-image-conformance: --host 0.0.0.0 is not a loopback address; the proxy relays credentials, so give --allow-remote-listen to listen there anyway\n');
  });

  it('--requests 2 ends the session after two requests, writes the reports and exits 0 for a conforming integration', async () => {
    const dir = reportDir();
    const p = start(['--requests', '2', '--json', '--report-dir', dir]);
    const a = await announced(p);
    const authorization = `Basic ${Buffer.from(`${a.credentials.basic.user}:${a.credentials.basic.password}`).toString('base64')}`;
    const put = await fetch(`${a.url}/Person/${a.persons[0]}/Image`, { method: 'PUT', headers: { authorization, 'content-type': 'image/png' }, body: (await sampleImages()).png });
    expect(put.status).toBe(200);
    await put.arrayBuffer();
    await (await fetch(`${a.url}/Person/${a.persons[0]}/ImageInfo`, { headers: { authorization } })).arrayBuffer();
    expect(await p.exit, p.stderr()).toBe(0);
    expect(p.stdout().split('\n')[1]).toMatch(/^verdict: conforms \(the integration, 2 requests through the proxy\) — .*report\.html$/);
    const report = readFileSync(join(dir, 'report.json'), 'utf8');
    expect(JSON.parse(report)).toMatchObject({ verdict: 'conforms', requests: 2, target: { embedded: true } });
    expect(report).not.toContain(a.credentials.basic.password);
  });

  it('SIGINT ends the session: the reports are written and a MUST finding makes the exit code 1', async () => {
    const dir = reportDir();
    const p = start(['--json', '--report-dir', dir]);
    const a = await announced(p);
    const authorization = `Basic ${Buffer.from(`${a.credentials.basic.user}:${a.credentials.basic.password}`).toString('base64')}`;
    await (await fetch(`${a.url}/Person/${a.persons[0]}/Image`, { method: 'PUT', headers: { authorization, 'content-type': 'image/gif' }, body: (await sampleImages()).png })).arrayBuffer();
    p.child.kill('SIGINT');
    expect(await p.exit, p.stderr()).toBe(1);
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as { verdict: string; notes: string[]; rules: { id: string; status: string }[] };
    expect(report.verdict).toBe('does-not-conform');
    expect(report.rules.find((r) => r.id === 'client-content-type-matches-image')?.status).toBe('fail');
    expect(report.notes[0]).toMatch(/ended by SIGINT$/);
  });
});
