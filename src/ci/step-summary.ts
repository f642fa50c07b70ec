/**
 * The job summary of a run (appended to the file GITHUB_STEP_SUMMARY names): the verdict, the
 * target and whether it is the embedded one, the counts, a table of the failing and warned rules
 * with their counterexample and replay command, the pacts that do not hold, and why a run stopped
 * early. Everything comes from the report, which is redacted: no credential can reach it.
 */
import type { PactResult, Report, RuleResult, Verdict } from '../report/types.js';
import { clip, code, text } from './markdown.js';

const verdictMark: Record<Verdict, string> = {
  conforms: '✅',
  'conforms-with-warnings': '⚠️',
  'does-not-conform': '❌',
  incomplete: '⛔',
};

/** The longest counterexample description or message shown in a cell; report.html has them whole. */
const CELL_CHARS = 240;

function countsTable(report: Report): string[] {
  const n = (status: RuleResult['status']) => report.rules.filter((r) => r.status === status).length;
  return [
    '| rules | pass | warn | fail | not run | requests | duration |',
    '|---:|---:|---:|---:|---:|---:|---:|',
    `| ${report.rules.length} | ${n('pass')} | ${n('warn')} | ${n('fail')} | ${n('not-run')} | ${report.requests} | ${(report.durationMs / 1000).toFixed(1)} s |`,
  ];
}

function ruleRow(rule: RuleResult): string {
  const broken = rule.status === 'fail' ? rule.failures : rule.warnings;
  const ce = rule.counterexample;
  const why = ce?.message ?? rule.message;
  const counterexample = [ce ? text(clip(ce.description, CELL_CHARS)) : '', why ? `why: ${text(clip(why, CELL_CHARS))}` : ''].filter(Boolean).join(' — ');
  const replay = ce ? code(ce.replay, true) : '';
  return `| ${code(rule.id, true)} | ${rule.level} | ${rule.status} | ${broken} of ${rule.cases} | ${counterexample} | ${replay} |`;
}

function rulesSection(report: Report): string[] {
  const rows = [...report.rules.filter((r) => r.status === 'fail'), ...report.rules.filter((r) => r.status === 'warn')];
  if (rows.length === 0) return [];
  return [
    '### Failing and warned rules',
    '',
    '| rule | level | status | cases | counterexample | replay |',
    '|---|---|---|---|---|---|',
    ...rows.map(ruleRow),
    '',
  ];
}

function pactSection(pacts: PactResult[]): string[] {
  if (pacts.length === 0) return [];
  const failing = pacts.flatMap((p) => p.interactions.filter((i) => i.status === 'fail').map((i) => ({ p, i })));
  const interactions = pacts.reduce((sum, p) => sum + p.interactions.length, 0);
  const head = `**Pacts:** ${pacts.length} verified, ${interactions} interactions, ${failing.length} failing.`;
  if (failing.length === 0) return [head, ''];
  return [
    head,
    '',
    '| pact | interaction | message |',
    '|---|---|---|',
    ...failing.map(({ p, i }) => `| ${code(p.file, true)} | ${text(clip(i.description, CELL_CHARS))} | ${text(clip(i.message ?? '', CELL_CHARS))} |`),
    '',
  ];
}

function targetLine(report: Report): string {
  const what = report.target.embedded ? 'the embedded reference target, not an installation' : 'an installation';
  return `**Target:** ${code(report.target.url)} (${what}) · **seed** ${report.seed} · ${report.configuration.runs} cases per family`;
}

/** The Markdown of a run's job summary; `reportDir` is where its reports were written. */
export function renderStepSummary(report: Report, reportDir: string): string {
  const lines = [`## ${verdictMark[report.verdict]} person-image-conformance: ${report.verdict}`, '', targetLine(report), '', ...countsTable(report), ''];
  if (report.stop) {
    lines.push(`> **Stopped early** (${report.stop.kind}, after ${report.stop.afterRequests} requests): ${text(report.stop.reason)}`, '');
  }
  lines.push(...rulesSection(report), ...pactSection(report.pact ?? []));
  if (report.restore) lines.push(`**The person's image:** ${report.restore.outcome} (${text(clip(report.restore.message, CELL_CHARS))})`, '');
  lines.push(`Reports in ${code(reportDir)}: report.html, report.json, junit.xml.`, '');
  return `${lines.join('\n')}\n`;
}
