/**
 * `report diff` on the terminal: the two runs, a changed spec or rules hash, the rule groups, the
 * coverage that appeared or vanished, and the regression gate's outcome last. Every string from a
 * report is made one line with no control or bidi characters (a target chose some of them).
 */
import type { CoverageChange, ReportDiff, RuleChange, RuleState, RunSummary } from './diff.js';

/** A string from a report, safe on a terminal: one line, no control or bidi characters. */
function plain(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]+/g, ' ').trim();
}

const short = (sha: string) => sha.slice(0, 12);

function runLine(label: string, r: RunSummary): string {
  return (
    `${label} ${plain(r.file)}: ${r.verdict}, started ${plain(r.startedAt)}, seed ${r.seed}, ` +
    `${r.embedded ? 'the embedded reference target' : plain(r.target)}, tool ${plain(r.toolVersion)}` +
    (r.untouched ? '' : ' (warning: it does not match its sha256: edited after its run)')
  );
}

function hashLines(d: ReportDiff): string[] {
  const lines: string[] = [];
  if (d.specChanged) lines.push(`spec changed: ${plain(d.old.specFile)} ${short(d.old.specSha256)} -> ${plain(d.new.specFile)} ${short(d.new.specSha256)}`);
  if (d.rulesChanged) {
    const { added, removed, redefined } = d.catalogue;
    const parts = [added.length ? `added ${added.join(', ')}` : '', removed.length ? `removed ${removed.join(', ')}` : '', redefined.length ? `redefined ${redefined.join(', ')}` : ''];
    lines.push(`rules changed: ${short(d.old.rulesSha256)} -> ${short(d.new.rulesSha256)} (${plain(parts.filter(Boolean).join('; '))})`);
  }
  return lines;
}

function changeLine(c: RuleChange): string {
  return (
    `  ${plain(c.id)} [${c.level}] ${c.old} -> ${c.new}` +
    (c.accepted ? ' (accepted by the baseline)' : '') +
    (c.message !== undefined && (c.new === 'fail' || c.new === 'warn') ? `: ${plain(c.message)}` : '')
  );
}

function group(title: string, changes: readonly RuleChange[]): string[] {
  return changes.length === 0 ? [`${title}: none`] : [`${title} (${changes.length}):`, ...changes.map(changeLine)];
}

function coverageGroup(title: string, changes: readonly CoverageChange[], side: 'old' | 'new'): string[] {
  if (changes.length === 0) return [`coverage ${title}: none`];
  return [`coverage ${title} (${changes.length}):`, ...changes.map((c) => `  ${plain(c.dimension)}: ${plain(c.value)} (${c[side]} case${c[side] === 1 ? '' : 's'})`)];
}

/** `unchanged: N rules (still failing: a; still warning: b; 3 pass; 20 not run)`. */
function unchangedLine(changes: readonly RuleChange[]): string {
  const ids = (s: RuleState) => changes.filter((c) => c.new === s).map((c) => plain(c.id));
  const parts = [
    ids('fail').length ? `still failing: ${ids('fail').join(', ')}` : '',
    ids('warn').length ? `still warning: ${ids('warn').join(', ')}` : '',
    ids('pass').length ? `${ids('pass').length} pass` : '',
    ids('not-run').length ? `${ids('not-run').length} not run` : '',
  ].filter(Boolean);
  return `unchanged: ${changes.length} rule${changes.length === 1 ? '' : 's'}${parts.length ? ` (${parts.join('; ')})` : ''}`;
}

/** The diff as terminal text, one item a line. */
export function diffText(d: ReportDiff): string {
  const { rules } = d;
  const lines = [
    runLine('old', d.old),
    runLine('new', d.new),
    ...hashLines(d),
    ...group('newly failing', rules.newlyFailing),
    ...group('newly warning', rules.newlyWarning),
    ...group('fixed', rules.fixed),
    unchangedLine(rules.unchanged),
    ...(rules.notComparable.length ? group('not comparable (not judged in one of the runs)', rules.notComparable) : []),
    ...coverageGroup('appeared', d.coverage.appeared, 'new'),
    ...coverageGroup('vanished', d.coverage.vanished, 'old'),
    d.regressions.length
      ? `regression: NEW has MUST failures OLD did not: ${d.regressions.map(plain).join(', ')}`
      : 'no regression: NEW has no MUST failure OLD did not have',
  ];
  return `${lines.join('\n')}\n`;
}
