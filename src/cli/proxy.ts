/**
 * `person-image-conformance proxy`: the checking proxy in front of a target (the embedded reference
 * target when none is named), until Ctrl-C (SIGINT/SIGTERM), `--duration` or `--requests` ends the
 * session; then the reports and the verdict line. Exit 0 when the integration conforms (warnings
 * allowed), 1 when it broke a MUST client rule, 2 for bad options or a session with no request.
 */
import { readFileSync } from 'node:fs';
import { assertWritableDir } from '../../reporters/write.js';
import { secretsOf } from '../config/credentials.js';
import { ConfigError, ExitCode, UsageError } from '../errors.js';
import { startProxy, type RunningProxy } from '../proxy/proxy-server.js';
import { proxyReport, writeProxyReports, type ProxyReport } from '../proxy/report.js';
import { isLoopbackUrl, REMOTE_DEFAULT_RATE } from '../run/loopback.js';
import { embeddedCredentials } from '../run/target.js';
import { describeTarget, startReferenceTarget, type RunningTarget } from '../target/server.js';
import type { ParsedValues } from './parse.js';

export interface ProxyCommandOptions {
  /** The target's base URL; undefined: the embedded reference target. */
  target?: string;
  host: string;
  port: number;
  reportDir: string;
  durationS?: number;
  requests?: number;
  rate: number;
  online?: boolean;
  timeoutMs: number;
  ca?: string;
  specPath?: string;
  json: boolean;
}

function pick(values: ParsedValues, env: NodeJS.ProcessEnv, flag: string, variable?: string): string | undefined {
  const v = values[flag];
  if (typeof v === 'string') return v;
  const e = variable ? env[variable] : undefined;
  return e !== undefined && e.trim() !== '' ? e : undefined;
}

function whole(flag: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < min || Number(raw) > max) throw new UsageError(`--${flag} takes a whole number ${min}..${max}, not ${JSON.stringify(raw)}`);
  return Number(raw);
}

function targetUrl(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  if (raw.trim() === '') throw new UsageError('--target is empty; give a URL or leave the option out');
  if (!URL.canParse(raw)) throw new ConfigError(`--target ${JSON.stringify(raw)} is not a URL (expected e.g. https://host/SuperOffice/api/v1)`);
  const url = new URL(raw);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError(`--target must be an http:// or https:// URL, not ${url.protocol}`);
  if (url.username || url.password) throw new ConfigError('--target must not hold credentials: the integration sends its own through the proxy');
  return url.href.replace(/\/+$/, '');
}

/** Whether `host` is a loopback address as written: localhost, 127.x.x.x, ::1. */
function isLoopbackHost(host: string): boolean {
  const inUrl = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return URL.canParse(`http://${inUrl}/`) && isLoopbackUrl(`http://${inUrl}/`);
}

/** The proxy's options from flags and environment; every mistake is one UsageError or ConfigError line. */
export function parseProxyOptions(values: ParsedValues, env: NodeJS.ProcessEnv): ProxyCommandOptions {
  const host = pick(values, env, 'host') ?? '127.0.0.1';
  if (!isLoopbackHost(host) && values['allow-remote-listen'] !== true) {
    throw new UsageError(`--host ${host} is not a loopback address; the proxy relays credentials, so give --allow-remote-listen to listen there anyway`);
  }
  const ca = pick(values, env, 'ca', 'SO_CA_FILE');
  const target = targetUrl(pick(values, env, 'target', 'SO_TARGET'));
  const durationS = whole('duration', pick(values, env, 'duration'), 1, 7 * 24 * 3600);
  const requests = whole('requests', pick(values, env, 'requests'), 1, Number.MAX_SAFE_INTEGER);
  const specPath = pick(values, env, 'spec', 'SO_SPEC');
  return {
    ...(target !== undefined ? { target } : {}),
    host,
    port: whole('port', pick(values, env, 'port'), 0, 65535) ?? 0,
    reportDir: pick(values, env, 'report-dir', 'SO_REPORT_DIR') ?? 'reports',
    ...(durationS !== undefined ? { durationS } : {}),
    ...(requests !== undefined ? { requests } : {}),
    rate: whole('rate', pick(values, env, 'rate', 'SO_RATE'), 1, 10_000) ?? REMOTE_DEFAULT_RATE,
    ...(values.online === true ? { online: true } : {}),
    timeoutMs: whole('timeout', pick(values, env, 'timeout', 'SO_TIMEOUT'), 1, 3_600_000) ?? 30_000,
    ...(ca !== undefined ? { ca: readCa(ca) } : {}),
    ...(specPath !== undefined ? { specPath } : {}),
    json: values.json === true,
  };
}

function readCa(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(`--ca ${file} cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** What the integration needs to know: the proxy's URL, and the embedded target's credentials and persons. */
function announce(o: ProxyCommandOptions, proxy: RunningProxy, target: string, embedded: RunningTarget | undefined, out: NodeJS.WritableStream): void {
  const d = embedded ? describeTarget(embedded) : undefined;
  if (o.json) {
    out.write(`${JSON.stringify({ url: proxy.url, target, ...(d ? { credentials: d.credentials, persons: d.persons } : {}) })}\n`);
    return;
  }
  const lines = [`Checking proxy listening: ${proxy.url}`, `  target:   ${target}${embedded ? ' (the embedded reference target)' : ''}`];
  if (d) {
    lines.push(`  persons:  ${d.persons.join(', ')}`, `  basic:    ${d.credentials.basic.user} / ${d.credentials.basic.password}`, `  ticket:   ${d.credentials.soticket}`, `  bearer:   ${d.credentials.bearer}`);
    lines.push(`  session:  Cookie: ${d.credentials.session.cookie} (XSRF token ${d.credentials.session.xsrfToken})`);
  }
  const ends = [o.durationS !== undefined ? `after ${o.durationS} s` : '', o.requests !== undefined ? `after ${o.requests} requests` : '', 'on Ctrl+C'].filter(Boolean).join(', ');
  lines.push(`  limit:    ${o.rate} requests a second${proxy.online ? '; judged as SuperOffice Online' : ''}`, `The session ends ${ends}; the reports go to ${o.reportDir}.`);
  out.write(`${lines.join('\n')}\n`);
}

/** Resolves with what ended the session: a signal, the duration, or the number of requests. */
function sessionEnd(o: ProxyCommandOptions, ended: Promise<void>): Promise<string> {
  return new Promise<string>((resolve) => {
    const timers: NodeJS.Timeout[] = [];
    const done = (why: string) => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      for (const t of timers) clearTimeout(t);
      resolve(why);
    };
    const onSignal = (signal: NodeJS.Signals) => done(signal);
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    if (o.durationS !== undefined) timers.push(setTimeout(() => done(`--duration ${o.durationS}`), o.durationS * 1000));
    void ended.then(() => done(`--requests ${o.requests}`));
  });
}

function verdictLine(report: ProxyReport, html: string): string {
  const failing = report.rules.filter((r) => r.status === 'fail').map((r) => r.id);
  const warning = report.rules.filter((r) => r.status === 'warn').map((r) => r.id);
  return (
    `verdict: ${report.verdict} (the integration, ${report.requests} ${report.requests === 1 ? 'request' : 'requests'} through the proxy` +
    (failing.length ? `; failing: ${failing.join(', ')}` : '') +
    (warning.length ? `; warnings: ${warning.join(', ')}` : '') +
    `) — ${html}\n`
  );
}

export async function proxyCommand(o: ProxyCommandOptions, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  await assertWritableDir(o.reportDir);
  const embedded = o.target === undefined ? await startReferenceTarget(o.specPath ? { specPath: o.specPath } : {}) : undefined;
  const target = o.target ?? embedded!.url;
  let reached: () => void = () => undefined;
  const enough = new Promise<void>((resolve) => (reached = resolve));
  const startedAt = new Date();
  const t0 = performance.now();
  const proxy = await startProxy({
    targetUrl: target,
    host: o.host,
    port: o.port,
    rate: o.rate,
    timeoutMs: o.timeoutMs,
    reportDir: o.reportDir,
    ...(o.online ? { online: true } : {}),
    ...(o.ca ? { ca: o.ca } : {}),
    ...(o.specPath ? { specPath: o.specPath } : {}),
    secrets: embedded ? embeddedCredentials(embedded).flatMap(secretsOf) : [],
    onExchangeEnd: (n) => (o.requests !== undefined && n >= o.requests ? reached() : undefined),
  }).catch(async (e: unknown) => {
    await embedded?.close();
    throw e;
  });
  announce(o, proxy, target, embedded, out);
  const ended = await sessionEnd(o, o.requests !== undefined ? enough : new Promise<void>(() => undefined));
  await proxy.close();
  await embedded?.close();
  const report = proxyReport(proxy, { targetUrl: target, embedded: embedded !== undefined, startedAt, durationMs: performance.now() - t0, rate: o.rate, timeoutMs: o.timeoutMs, ended });
  const files = await writeProxyReports(report, o.reportDir);
  out.write(verdictLine(report, files.html));
  return report.verdict === 'does-not-conform' ? ExitCode.doesNotConform : report.verdict === 'incomplete' ? ExitCode.usage : ExitCode.conforms;
}
