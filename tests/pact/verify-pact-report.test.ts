/**
 * `verify-pact --report-dir DIR` writes report.json (the run's schema: no rules, the pact section,
 * the pacts' verdict), report.html and junit.xml (a testcase per interaction) into DIR; pacts that
 * do not hold make the verdict does-not-conform and junit failures. Without a report directory
 * nothing is written.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { verifyPactCommand } from '../../src/cli/verify-pact.js';
import type { RunConfig } from '../../src/config/run-config.js';
import { packageRoot } from '../../src/package-root.js';
import { parseReport } from '../../src/report/parse.js';
import type { OpenTarget } from '../../src/run/target.js';
import { toolName } from '../../src/version.js';
import { contractsDir, removeTempDirs, tempDir } from './helpers.js';
import { rewritingProxy } from './targets.js';

const open: OpenTarget[] = [];
afterEach(async () => {
  for (const t of open.splice(0)) await t.close();
});
afterAll(() => removeTempDirs());

function config(over: Partial<RunConfig> = {}): RunConfig {
  return { credentials: [], seed: 1, runs: 1, concurrency: 1, timeoutMs: 10_000, reportDir: 'reports', only: [], progress: false, ...over };
}

const quiet = { write: () => true } as unknown as NodeJS.WritableStream;

interface JunitCase {
  '@_classname': string;
  '@_name': string;
  failure?: { '@_message': string };
}

function junit(dir: string): { failures: string; cases: JunitCase[] } {
  const xml = readFileSync(join(dir, 'junit.xml'), 'utf8');
  expect(XMLValidator.validate(xml)).toBe(true);
  const doc = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'testcase' }).parse(xml) as {
    testsuites: { '@_failures': string; testsuite: { testcase?: JunitCase[] } };
  };
  return { failures: doc.testsuites['@_failures'], cases: doc.testsuites.testsuite.testcase ?? [] };
}

describe('verify-pact --report-dir', () => {
  it('writes report.json with the pact section, report.html and a junit testcase per interaction', async () => {
    const dir = tempDir('verify-pact-report');
    const { exitCode } = await verifyPactCommand({ pact: contractsDir, config: config(), out: quiet, reportDir: dir });
    expect(exitCode).toBe(0);
    const report = parseReport(JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')), 'report.json');
    expect(report.verdict).toBe('conforms');
    expect(report.rules).toEqual([]);
    expect(report.pact?.map((p) => [p.consumer, p.status, p.interactions.length])).toEqual([
      ['crm-photo-sync', 'pass', 5],
      ['web-profile-editor', 'pass', 4],
    ]);
    expect(report.restore?.outcome).toMatch(/restored|removed/);
    expect(report.sha256).toMatch(/^[0-9a-f]{64}$/);
    const { failures, cases } = junit(dir);
    expect(failures).toBe('0');
    expect(cases.filter((c) => c['@_classname'].startsWith(`${toolName}.pact.`))).toHaveLength(9);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('Pact verification');
  }, 180_000);

  it('a target whose uploads answer 201: exit 1, verdict does-not-conform, a junit failure per broken interaction', async () => {
    const { target } = await rewritingProxy((req, a) => (req.method === 'PUT' && a.status === 200 && !String(req.headers['user-agent']).startsWith(toolName) ? { ...a, status: 201 } : a));
    open.push(target);
    const dir = tempDir('verify-pact-report-fail');
    const remote = config({ target: target.baseUrl, credentials: target.credentials, ...(target.personId !== undefined ? { personId: target.personId } : {}) });
    const { exitCode } = await verifyPactCommand({ pact: contractsDir, config: remote, out: quiet, reportDir: dir });
    expect(exitCode).toBe(1);
    const report = parseReport(JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')), 'report.json');
    expect(report.verdict).toBe('does-not-conform');
    expect(report.target.embedded).toBe(false);
    const { failures, cases } = junit(dir);
    expect(failures).toBe('6');
    expect(cases.filter((c) => c.failure).map((c) => c['@_name'])).toContain('a raw image/png upload');
    // The credentials the filter put on each request are in no report file.
    const secret = target.credentials.find((c) => c.scheme === 'basic');
    if (secret?.scheme !== 'basic') throw new Error('the reference target has a Basic credential');
    for (const f of readdirSync(dir)) expect(readFileSync(join(dir, f), 'utf8')).not.toContain(secret.password);
  }, 180_000);

  it('the CLI writes the report files with --report-dir or SO_REPORT_DIR, and none without', async () => {
    const cwd = tempDir('verify-pact-cli');
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SO_')));
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    const cli = async (args: string[], extraEnv: NodeJS.ProcessEnv = {}) => {
      const child = spawn(process.execPath, ['--import', tsx, join(packageRoot, 'src', 'cli', 'main.ts'), 'verify-pact', '--pact', contractsDir, '--no-progress', ...args], { cwd, env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += String(d)));
      child.stderr.on('data', (d: Buffer) => (out += String(d)));
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(code, out).toBe(0);
      expect(out).toMatch(/all 2 pacts hold/);
      return out;
    };
    expect(await cli([])).not.toMatch(/^report: /m);
    expect(readdirSync(cwd)).toEqual([]);
    expect(await cli(['--report-dir', 'by-flag'])).toMatch(/^report: by-flag\/report\.html$/m);
    expect(await cli([], { SO_REPORT_DIR: 'by-env' })).toMatch(/^report: by-env\/report\.html$/m);
    for (const dir of ['by-flag', 'by-env']) expect(readdirSync(join(cwd, dir)).sort()).toEqual(expect.arrayContaining(['junit.xml', 'report.html', 'report.json']));
    expect(existsSync(join(cwd, 'reports'))).toBe(false);
  }, 300_000);
});
