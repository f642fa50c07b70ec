/**
 * The report of a proxy session, in the shape of a run's (src/report/schema.ts): the client rules
 * and the server rules judged through the proxy, each with counts and its first finding as the
 * counterexample; the verdict is the integration's, from the client rules alone. Beside the
 * schema's members, `proxy` holds what only a proxy session has (its address, its counters, the
 * latency it added, every finding with its exchange up to a bound).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { exchangesHarFileName, harEntry, harFrame } from '../../reporters/har.js';
import { writeReports } from '../../reporters/write.js';
import { computeVerdict } from '../report/merge.js';
import type { LatencySummary, Report, RuleResult } from '../report/types.js';
import { toolName, toolVersion } from '../version.js';
import type { FindingRecord } from './findings.js';
import type { RunningProxy } from './proxy-server.js';

/** What a proxy report holds beside the members of every report. */
interface ProxySection {
  /** The address the integration talked to. */
  url: string;
  online: boolean;
  /** Exchanges that ended with an answer or a transport error, and those the client gave up. */
  exchanges: number;
  abandoned: number;
  outsideResource: number;
  notInspected: number;
  throttling: number;
  /** Time the proxy added before the answer's head went back (request arrival to head, less the target's time). */
  addedLatency: LatencySummary;
  findings: FindingRecord[];
  findingsLeftOut: number;
}

export type ProxyReport = Report & { proxy: ProxySection };

export interface ProxyReportMeta {
  targetUrl: string;
  embedded: boolean;
  startedAt: Date;
  durationMs: number;
  rate: number;
  timeoutMs: number;
  /** Why the session ended (`--duration`, `--requests`, a signal). */
  ended: string;
}

function notesOf(p: RunningProxy, meta: ProxyReportMeta, server: RuleResult[]): string[] {
  const s = p.session;
  const notes = [`a proxy session: ${s.requests} requests of the integration relayed to ${meta.embedded ? 'the embedded reference target' : meta.targetUrl}; ended by ${meta.ended}`];
  notes.push('the verdict is the integration\'s: the client rules (side: client in spec/rules.yaml) decide it; the server rules judged on the answers are shown but do not count');
  const broken = server.filter((r) => r.status === 'fail' || r.status === 'warn').map((r) => r.id);
  if (broken.length > 0) notes.push(`the target broke server rules while the integration used it: ${broken.join(', ')}`);
  if (s.outsideResource > 0) notes.push(`${s.outsideResource} requests went to paths outside the Person image resource: relayed, judged for their pace only`);
  if (s.notInspected > 0) notes.push(`${s.notInspected} saves had a body the proxy did not keep (over the inspection limit, or too many waiting to be judged): their body and image were not judged`);
  if (s.throttling > 0) notes.push(`${s.throttling} throttling answers (429, or 503 with Retry-After) relayed: not judged against the target`);
  if (s.abandoned > 0) notes.push(`${s.abandoned} exchanges the client gave up before the answer ended: not judged`);
  notes.push(...s.judgingErrors);
  if (s.findings.leftOut > 0) notes.push(`${s.findings.leftOut} further findings are counted but their exchanges not kept`);
  return notes;
}

/** The documented schemes the integration's requests carried. */
function schemesSeen(p: RunningProxy): string[] {
  const kinds = [...(p.session.results.coverage.get('credential')?.keys() ?? [])];
  return kinds.filter((k) => ['basic', 'ticket', 'bearer', 'session'].includes(k)).sort();
}

export function proxyReport(p: RunningProxy, meta: ProxyReportMeta): ProxyReport {
  const s = p.session;
  const rules = s.results.ruleResults(new Set(s.results.rules.map((r) => r.id)));
  const clientIds = new Set(s.results.rules.filter((r) => r.exercisedBy.length === 0).map((r) => r.id));
  const client = rules.filter((r) => clientIds.has(r.id));
  const server = rules.filter((r) => !clientIds.has(r.id));
  const judged = s.ended - s.abandoned;
  return {
    schemaVersion: 1,
    tool: { name: toolName, version: toolVersion },
    verdict: judged === 0 ? 'incomplete' : computeVerdict(client),
    spec: { file: p.specPath.split('/').slice(-2).join('/'), sha256: p.specSha256 },
    seed: 0,
    target: { url: meta.targetUrl, embedded: meta.embedded },
    startedAt: meta.startedAt.toISOString(),
    durationMs: Math.round(meta.durationMs),
    configuration: { runs: 0, concurrency: 0, rate: meta.rate, timeoutMs: meta.timeoutMs, only: [], authSchemes: schemesSeen(p), personId: null },
    requests: s.requests,
    rules,
    coverage: s.results.coverageObject(),
    latency: s.results.latency.summary(),
    notes: [...notesOf(p, meta, server), ...(judged === 0 ? ['no request came through the proxy: nothing to judge'] : [])],
    proxy: {
      url: p.url,
      online: p.online,
      exchanges: judged,
      abandoned: s.abandoned,
      outsideResource: s.outsideResource,
      notInspected: s.notInspected,
      throttling: s.throttling,
      addedLatency: s.addedLatency.summary(),
      findings: s.findings.kept,
      findingsLeftOut: s.findings.leftOut,
    },
  };
}

/** The findings' exchanges as a HAR document (exchanges.har beside the report). */
function renderFindingsHar(report: ProxyReport): string {
  const { head, tail } = harFrame(report.tool, `the findings of a proxy session in front of ${report.target.url}, redacted like report.json`);
  return head + report.proxy.findings.map((f) => JSON.stringify(harEntry(f.exchange))).join(',\n') + tail;
}

/** Writes report.json, report.html, junit.xml, ctrf.json (as a run does) and exchanges.har of the findings into `dir`. */
export async function writeProxyReports(report: ProxyReport, dir: string): Promise<{ json: string; html: string; har: string }> {
  const files = await writeReports(report, dir);
  const har = join(dir, exchangesHarFileName);
  await writeFile(har, renderFindingsHar(report), 'utf8');
  return { json: files.json, html: files.html, har };
}
