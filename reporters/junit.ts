/**
 * report.json -> reports/junit.xml: one <testcase> per rule, for CI dashboards.
 * fail -> <failure>; warn -> a "WARNING" <system-out> and a `warning` property (not a failure);
 * not-run -> <skipped/>. A run that stopped early (`report.stop`), or any incomplete verdict, adds
 * a testcase `run` with an <error>, so CI shows it red and never as a green run with skips.
 * Each interaction of a verified pact (`report.pact`) is a testcase too, a <failure> when it broke.
 * Every string is escaped for XML 1.0 (characters XML cannot hold are written as \uNNNN), so
 * target-controlled bytes cannot break the document.
 */
import type { Counterexample, Report, RuleResult, RunStop } from '../src/report/types.js';

// XML 1.0 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
// eslint-disable-next-line no-control-regex
const notXmlChar = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Escapes a string for XML text and double- or single-quoted attributes. */
function escapeXml(s: unknown): string {
  return String(s ?? '')
    .replace(notXmlChar, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;');
}

/** Attribute values also keep their line breaks. */
function attr(s: unknown): string {
  return escapeXml(s).replace(/\n/g, '&#10;');
}

function seconds(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3);
}

function describeCounterexample(cx: Counterexample): string {
  const lines = [`Case: ${cx.description}`, `Why: ${cx.message}`, `Request: ${cx.request.method} ${cx.request.url}`];
  if (cx.response) lines.push(`Response: ${cx.response.status} after ${Math.round(cx.response.durationMs)} ms`);
  else lines.push(`Response: none${cx.error ? ` (${cx.error})` : ''}`);
  if (cx.response && cx.error) lines.push(`Error: ${cx.error}`);
  lines.push(`Replay: ${cx.replay}`, `curl: ${cx.curl}`, `Seed: ${cx.seed}${cx.path !== undefined ? `, path ${cx.path}` : ''}`);
  return lines.join('\n');
}

function property(name: string, value: unknown): string {
  return `<property name="${attr(name)}" value="${attr(value)}"/>`;
}

function testcase(rule: RuleResult, classname: string, stop: RunStop | undefined): string {
  const props = [
    property('level', rule.level),
    property('source', rule.source),
    property('title', rule.title),
    property('status', rule.status),
    property('cases', rule.cases),
    property('failures', rule.failures),
    property('warnings', rule.warnings),
  ];
  for (const [k, v] of Object.entries(rule.observations ?? {})) props.push(property(`observed ${k}`, v));
  const inner: string[] = [];
  if (rule.status === 'warn') props.push(property('warning', rule.message ?? rule.counterexample?.message ?? 'warning'));
  inner.push(`<properties>${props.join('')}</properties>`);
  const details = rule.counterexample ? describeCounterexample(rule.counterexample) : '';
  if (rule.status === 'fail') {
    const message = rule.message ?? rule.counterexample?.message ?? `${rule.failures} of ${rule.cases} cases broke the rule`;
    const body = [`${rule.level} rule ${rule.id}: ${rule.title}`, `${rule.failures} of ${rule.cases} cases failed.`, details].filter(Boolean).join('\n');
    inner.push(`<failure message="${attr(message)}" type="${attr(rule.level)}">${escapeXml(body)}</failure>`);
  } else if (rule.status === 'not-run') {
    inner.push(`<skipped message="${attr(stop ? `not run: the run stopped early (${stop.kind})` : 'not run')}"/>`);
  } else if (rule.status === 'warn') {
    const body = [
      `WARNING (${rule.level} rule ${rule.id}): ${rule.message ?? rule.counterexample?.message ?? ''}`.trimEnd(),
      `${rule.warnings} of ${rule.cases} cases gave a warning.`,
      details,
    ]
      .filter(Boolean)
      .join('\n');
    inner.push(`<system-out>${escapeXml(body)}</system-out>`);
  }
  return `    <testcase classname="${attr(classname)}" name="${attr(rule.id)}" time="0">\n      ${inner.join('\n      ')}\n    </testcase>`;
}

/** One testcase per interaction of each verified pact (classname `<tool>.pact.<consumer>`); a broken one has a <failure>. */
function pactCases(report: Report, classname: string): string[] {
  return (report.pact ?? []).flatMap((p) =>
    p.interactions.map((i) => {
      const props = [property('file', p.file), property('provider', p.provider), ...(i.providerState ? [property('provider state', i.providerState)] : [])];
      const body = `${p.consumer} -> ${p.provider} (${p.file}): "${i.description}"${i.providerState ? ` given ${i.providerState}` : ''}\n${i.message ?? 'failed'}`;
      const failure = i.status === 'fail' ? `\n      <failure message="${attr(i.message ?? 'failed')}" type="pact">${escapeXml(body)}</failure>` : '';
      return `    <testcase classname="${attr(`${classname}.pact.${p.consumer}`)}" name="${attr(i.description)}" time="0">\n      <properties>${props.join('')}</properties>${failure}\n    </testcase>`;
    }),
  );
}

/** `kind after N requests: reason`. */
function describeStop(stop: RunStop): string {
  return `${stop.kind} after ${stop.afterRequests} requests: ${stop.reason}`;
}

/** The testcase `run`: an <error> when the run stopped early or its verdict is incomplete; undefined otherwise. */
function runCase(report: Report, classname: string): string | undefined {
  const stop = report.stop;
  if (!stop && report.verdict !== 'incomplete') return undefined;
  const message = stop ? `The run stopped early (${stop.kind}) after ${stop.afterRequests} requests: ${stop.reason}` : 'The run is incomplete: it stopped before it could judge every rule';
  const notRun = report.rules.filter((r) => r.status === 'not-run').map((r) => r.id);
  const body = [
    message,
    `Verdict: ${report.verdict}.`,
    notRun.length > 0 ? `Rules that did not finish are not run (${notRun.length}): ${notRun.join(', ')}.` : 'Rules that did not finish are not run.',
  ].join('\n');
  return (
    `    <testcase classname="${attr(classname)}" name="run" time="${seconds(report.durationMs)}">\n` +
    `      <error message="${attr(message)}" type="${attr(stop ? stop.kind : 'incomplete')}">${escapeXml(body)}</error>\n` +
    `    </testcase>`
  );
}

/** Renders report.json as JUnit XML (one testsuite, one testcase per rule, and `run` when the run stopped early). */
export function renderJunit(report: Report): string {
  const rules = report.rules;
  const pactFailures = (report.pact ?? []).reduce((n, p) => n + p.interactions.filter((i) => i.status === 'fail').length, 0);
  const failures = rules.filter((r) => r.status === 'fail').length + pactFailures;
  const skipped = rules.filter((r) => r.status === 'not-run').length;
  const classname = `${report.tool.name}`;
  const run = runCase(report, classname);
  const pacts = pactCases(report, classname);
  const tests = rules.length + (run ? 1 : 0) + pacts.length;
  const errors = run ? 1 : 0;
  const time = seconds(report.durationMs);
  const suiteName = `${report.tool.name} ${report.tool.version}`;
  const suiteProps = [
    property('verdict', report.verdict),
    property('target', report.target.url),
    property('embedded', report.target.embedded),
    property('tool', `${report.tool.name} ${report.tool.version}`),
    property('spec', report.spec.file),
    property('spec.sha256', report.spec.sha256),
    property('seed', report.seed),
    property('requests', report.requests),
    property('warnings', rules.filter((r) => r.status === 'warn').length),
  ];
  if (report.stop) suiteProps.push(property('stop', describeStop(report.stop)));
  if (report.restore) suiteProps.push(property('restore', `${report.restore.outcome}: ${report.restore.message}`));
  if (report.sha256) suiteProps.push(property('report.sha256', report.sha256));
  for (const note of report.notes) suiteProps.push(property('note', note));
  const cases = [...(run ? [run] : []), ...rules.map((r) => testcase(r, `${classname}.${r.level}`, report.stop)), ...pacts].join('\n');
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<testsuites name="${attr(report.tool.name)}" tests="${tests}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${time}">\n` +
    `  <testsuite name="${attr(suiteName)}" tests="${tests}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${time}" timestamp="${attr(report.startedAt)}">\n` +
    `    <properties>${suiteProps.join('')}</properties>\n` +
    (cases ? `${cases}\n` : '') +
    `  </testsuite>\n` +
    `</testsuites>\n`
  );
}
