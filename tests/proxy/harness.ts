/**
 * A proxy session in a test: the embedded reference target (with a behaviour override when the
 * test needs one), the checking proxy in front of it, an integration driven through it, then the
 * report written into a temporary folder, read back, checked against the report schema and the
 * folder removed (nothing stays in the temp dir).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { secretsOf } from '../../src/config/credentials.js';
import { startProxy, type ProxyOptions } from '../../src/proxy/proxy-server.js';
import { proxyReport, writeProxyReports, type ProxyReport } from '../../src/proxy/report.js';
import { parseReport } from '../../src/report/parse.js';
import { embeddedCredentials } from '../../src/run/target.js';
import { startReferenceTarget, type ReferenceTargetOptions, type RunningTarget } from '../../src/target/server.js';
import type { Integration } from './example-integration.js';

export interface SessionResult {
  report: ProxyReport;
  /** The files the session wrote, name -> content (read before the folder was removed). */
  files: Map<string, string>;
  target: RunningTarget;
}

export interface SessionSetup {
  target?: ReferenceTargetOptions;
  proxy?: Partial<Pick<ProxyOptions, 'rate' | 'online' | 'inspectBytes'>>;
}

function basic(t: RunningTarget): string {
  return `Basic ${Buffer.from(`${t.credentials.basic.user}:${t.credentials.basic.password}`).toString('base64')}`;
}

function readAll(dir: string, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) for (const [k, v] of readAll(join(dir, e.name), `${prefix}${e.name}/`)) out.set(k, v);
    else out.set(prefix + e.name, readFileSync(join(dir, e.name), 'latin1'));
  }
  return out;
}

export async function proxySession(setup: SessionSetup, drive: (i: Integration, target: RunningTarget) => Promise<void>): Promise<SessionResult> {
  const dir = mkdtempSync(join(tmpdir(), 'proxy-session-'));
  const target = await startReferenceTarget(setup.target ?? {});
  try {
    const startedAt = new Date();
    const proxy = await startProxy({ targetUrl: target.url, rate: 10, timeoutMs: 30_000, reportDir: dir, secrets: embeddedCredentials(target).flatMap(secretsOf), ...setup.proxy });
    try {
      await drive({ baseUrl: proxy.url, personId: target.persons[0]!, authorization: basic(target) }, target);
    } finally {
      await proxy.close();
    }
    const report = proxyReport(proxy, { targetUrl: target.url, embedded: true, startedAt, durationMs: 1, rate: setup.proxy?.rate ?? 10, timeoutMs: 30_000, ended: 'the test' });
    await writeProxyReports(report, dir);
    const files = readAll(dir);
    parseReport(JSON.parse(files.get('report.json')!), 'report.json');
    return { report, files, target };
  } finally {
    await target.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A rule's result in the report (throws when the report has no such rule). */
export function ruleOf(report: ProxyReport, id: string): ProxyReport['rules'][number] {
  const r = report.rules.find((x) => x.id === id);
  if (!r) throw new Error(`the report has no rule ${id}`);
  return r;
}

/** The ids of the rules that failed or warned. */
export function findingRules(report: ProxyReport): string[] {
  return report.rules.filter((r) => r.status === 'fail' || r.status === 'warn').map((r) => r.id);
}
