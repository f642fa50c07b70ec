/**
 * `report diff --markdown`: the diff as GitHub-flavoured Markdown for a pull-request comment.
 * A heading with the gate's outcome, a table of the two runs, the changed hashes, a table per rule
 * group that holds rules (unchanged ones and the coverage folded in <details>). Every string from a
 * report is escaped: Markdown and HTML punctuation (also `@`, so a message mentions nobody) is
 * backslash-escaped, control and bidi characters become spaces, and it stays on one line.
 */
import type { CoverageChange, ReportDiff, RuleChange, RunSummary } from './diff.js';

/** A report string as inline Markdown text: one line, every punctuation mark that means something escaped. */
function md(s: string | number): string {
  return (
    String(s)
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]+/g, ' ')
      .trim()
      .replace(/[\\`*_{}[\]<>()#+\-.!|@~&:"']/g, (c) => `\\${c}`)
  );
}

const short = (sha: string) => `\`${sha.slice(0, 12)}\``;

/** A rule id: as code when it is a catalogue-style id, else escaped text. */
const ruleId = (id: string) => (/^[a-z0-9-]+$/.test(id) ? `\`${id}\`` : md(id));

function runsTable(d: ReportDiff): string[] {
  const row = (label: string, f: (r: RunSummary) => string) => `| ${label} | ${f(d.old)} | ${f(d.new)} |`;
  return [
    '| | old | new |',
    '|---|---|---|',
    row('report', (r) => md(r.file) + (r.untouched ? '' : ' ⚠️ edited after its run')),
    row('verdict', (r) => `**${r.verdict}**`),
    row('started', (r) => md(r.startedAt)),
    row('seed', (r) => md(r.seed)),
    row('target', (r) => (r.embedded ? 'embedded reference target' : md(r.target))),
    row('tool', (r) => md(r.toolVersion)),
    row('spec sha256', (r) => short(r.specSha256) + (d.specChanged ? ' (changed)' : '')),
    row('rules sha256', (r) => short(r.rulesSha256) + (d.rulesChanged ? ' (changed)' : '')),
  ];
}

function hashNotes(d: ReportDiff): string[] {
  const notes: string[] = [];
  if (d.specChanged) notes.push(`> **The spec changed** (${md(d.old.specFile)} → ${md(d.new.specFile)}): the runs judged against different OpenAPI documents.`);
  if (d.rulesChanged) {
    const { added, removed, redefined } = d.catalogue;
    const parts = [added.length ? `added ${added.map(md).join(', ')}` : '', removed.length ? `removed ${removed.map(md).join(', ')}` : '', redefined.length ? `redefined ${redefined.map(md).join(', ')}` : ''];
    notes.push(`> **The rules changed**: ${parts.filter(Boolean).join('; ')}.`);
  }
  return notes.length ? [...notes, ''] : [];
}

function rulesTable(title: string, changes: readonly RuleChange[]): string[] {
  if (changes.length === 0) return [];
  const rows = changes.map(
    (c) => `| ${ruleId(c.id)} | ${c.level} | ${c.old} | ${c.new}${c.accepted ? ' (accepted by the baseline)' : ''} | ${c.message !== undefined && (c.new === 'fail' || c.new === 'warn') ? md(c.message) : ''} |`,
  );
  return [`#### ${title} (${changes.length})`, '', '| rule | level | old | new | message |', '|---|---|---|---|---|', ...rows, ''];
}

function coverageDetails(d: ReportDiff): string[] {
  const { appeared, vanished } = d.coverage;
  if (appeared.length + vanished.length === 0) return ['Coverage: no value appeared or vanished.', ''];
  const row = (kind: string, c: CoverageChange) => `| ${kind} | ${md(c.dimension)} | ${md(c.value)} | ${c.old} | ${c.new} |`;
  return [
    `<details><summary>Coverage: ${appeared.length} value${appeared.length === 1 ? '' : 's'} appeared, ${vanished.length} vanished</summary>`,
    '',
    '| | dimension | value | cases old | cases new |',
    '|---|---|---|---|---|',
    ...appeared.map((c) => row('appeared', c)),
    ...vanished.map((c) => row('vanished', c)),
    '',
    '</details>',
    '',
  ];
}

/** The diff as Markdown for a pull-request comment. */
export function diffMarkdown(d: ReportDiff): string {
  const { rules } = d;
  const heading = d.regressions.length
    ? `### ❌ Conformance regression: ${d.regressions.map(ruleId).join(', ')}`
    : '### ✅ No conformance regression';
  const unchanged = rules.unchanged.length
    ? [`<details><summary>Unchanged (${rules.unchanged.length})</summary>`, '', ...rules.unchanged.map((c) => `- ${ruleId(c.id)} ${c.new}`), '', '</details>', '']
    : [];
  return [
    heading,
    '',
    ...runsTable(d),
    '',
    ...hashNotes(d),
    ...rulesTable('Newly failing', rules.newlyFailing),
    ...rulesTable('Newly warning', rules.newlyWarning),
    ...rulesTable('Fixed', rules.fixed),
    ...rulesTable('Not comparable (not judged in one of the runs)', rules.notComparable),
    ...unchanged,
    ...coverageDetails(d),
  ].join('\n');
}
