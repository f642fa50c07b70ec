/**
 * `run --baseline FILE`: an entry in force hides a MUST failure from the verdict (the rule stays
 * failed, with its message, and report.baseline and report.html say what was hidden); past its
 * expiry the same entry hides nothing and the target does not conform again. Bad baseline files
 * are one line and exit 2 before any request. Runs use seed 11 against a target that treats every
 * person id as a person (person-id-unknown-rejected's broken target).
 */
import { createServer, type Server } from 'node:http';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/cli/run.js';
import { readBaselineFile } from '../../src/config/baseline-file.js';
import { ConfigError } from '../../src/errors.js';
import { parseReport } from '../../src/report/parse.js';
import type { Report } from '../../src/report/types.js';
import { applyBaseline, baselineSummary, checkBaselineRules } from '../../src/run/baseline.js';
import { runConformance } from '../../src/run/engine.js';
import { loadRules } from '../../src/spec/rules.js';
import { startReferenceTarget, type RunningTarget } from '../../src/target/server.js';
import { brokenTargets } from '../broken-targets/catalogue.js';
import { configFor } from '../support/run-against.js';
import { runCli, type CliResult } from '../support/cli.js';

const SEED = 11;
const RULE = 'person-id-unknown-rejected';
const ONLY = [RULE, 'person-id-not-positive-rejected'];

let dir: string;
let target: RunningTarget;

beforeAll(async () => {
  process.stdout.write(`baseline runs: seed ${SEED}\n`);
  dir = await mkdtemp(join(tmpdir(), 'pic-baseline-'));
  target = await startReferenceTarget({ behaviour: brokenTargets[RULE]!.behaviour });
});

afterAll(async () => {
  await target?.close();
  await rm(dir, { recursive: true, force: true });
});

function sink(): { out: PassThrough; text: () => string } {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  return { out, text: () => Buffer.concat(chunks).toString('utf8') };
}

async function baselineFile(name: string, content: string): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, content);
  return file;
}

/** A run of the broken target with the baseline file; its exit code, verdict line, report.json and report.html. */
async function runWith(file: string, name: string): Promise<{ code: number; line: string; report: Report; html: string }> {
  const reportDir = join(dir, name);
  const s = sink();
  const code = await runCommand(configFor(target, { seed: SEED, runs: 3, only: ONLY, reportDir, baseline: readBaselineFile(file) }), s.out);
  const report = parseReport(JSON.parse(await readFile(join(reportDir, 'report.json'), 'utf8')), 'report.json');
  return { code, line: s.text(), report, html: await readFile(join(reportDir, 'report.html'), 'utf8') };
}

describe('a baseline in a run', () => {
  it('without a baseline the broken target does not conform, and the report has no baseline', async () => {
    const report = await runConformance(configFor(target, { seed: SEED, runs: 3, only: ONLY }));
    expect(report.verdict).toBe('does-not-conform');
    expect(report.rules.find((r) => r.id === RULE)?.status).toBe('fail');
    expect(report.baseline).toBeUndefined();
  });

  it('an entry in force hides the failure: shown as failed, listed as hidden, not counted; exit 0', async () => {
    const file = await baselineFile('in-force.yaml', `- rule: ${RULE}\n  reason: "ticket 4711: the API treats unknown persons as new"\n  expires: 2999-12-31\n- rule: person-id-not-positive-rejected\n  reason: kept for a release\n  expires: "2999-12-31"\n`);
    const { code, line, report, html } = await runWith(file, 'in-force');
    expect(code).toBe(0);
    expect(report.verdict).toBe('conforms-with-warnings');
    const rule = report.rules.find((r) => r.id === RULE)!;
    expect(rule.status).toBe('fail');
    expect(rule.message).toMatch(/\S/);
    expect(report.baseline).toEqual([
      { rule: RULE, reason: 'ticket 4711: the API treats unknown persons as new', expires: '2999-12-31', expired: false, hidden: true },
      { rule: 'person-id-not-positive-rejected', reason: 'kept for a release', expires: '2999-12-31', expired: false, hidden: false },
    ]);
    expect(line).toMatch(new RegExp(`^verdict: conforms-with-warnings .*failing: ${RULE}, accepted by the baseline: ${RULE};`));
    expect(html).toContain('<section id="baseline"');
    expect(html).toMatch(new RegExp(`<tr data-baseline="hidden"><th scope="row"><code>${RULE}</code></th>.*?<strong>Accepted</strong>`));
    expect(html).toContain('<tr data-baseline="idle">');
  });

  it('past its expiry the same entry hides nothing: does-not-conform again, listed as expired; exit 1', async () => {
    const file = await baselineFile('expired.json', JSON.stringify([{ rule: RULE, reason: 'ticket 4711', expires: '2000-01-01' }]));
    const { code, line, report, html } = await runWith(file, 'expired');
    expect(code).toBe(1);
    expect(report.verdict).toBe('does-not-conform');
    expect(report.baseline).toEqual([{ rule: RULE, reason: 'ticket 4711', expires: '2000-01-01', expired: true, hidden: false }]);
    expect(line).toContain(`, baseline expired: ${RULE};`);
    expect(line).not.toContain('accepted by the baseline');
    expect(html).toMatch(/<tr data-baseline="expired">.*?<strong class="bad-note">Expired<\/strong>/);
  });
});

describe('applying a baseline', () => {
  const rules = [
    { id: 'a', level: 'MUST' as const, source: 'doc' as const, title: 'A', status: 'fail' as const, cases: 3, failures: 1, warnings: 0 },
    { id: 'b', level: 'SHOULD' as const, source: 'doc' as const, title: 'B', status: 'warn' as const, cases: 3, failures: 0, warnings: 1 },
    { id: 'c', level: 'MUST' as const, source: 'doc' as const, title: 'C', status: 'pass' as const, cases: 3, failures: 0, warnings: 0 },
  ];
  const baseline = { file: 'b.yaml', entries: [{ rule: 'a', reason: 'r', expires: '2026-03-10' }, { rule: 'b', reason: 'r', expires: '2026-03-10' }, { rule: 'c', reason: 'r', expires: '2026-03-10' }] };

  it('an entry is in force through its expiry day (UTC) and expired from the next', () => {
    const inForce = applyBaseline(baseline, rules, new Date('2026-03-10T23:59:59Z'));
    expect(inForce.forVerdict).toEqual([{ level: 'MUST', status: 'warn' }, { level: 'SHOULD', status: 'warn' }, { level: 'MUST', status: 'pass' }]);
    expect(inForce.entries?.map((e) => [e.rule, e.expired, e.hidden])).toEqual([['a', false, true], ['b', false, true], ['c', false, false]]);
    const after = applyBaseline(baseline, rules, new Date('2026-03-11T00:00:00Z'));
    expect(after.forVerdict).toEqual(rules.map((r) => ({ level: r.level, status: r.status })));
    expect(after.entries?.every((e) => e.expired && !e.hidden)).toBe(true);
    expect(baselineSummary(inForce.entries)).toBe(', accepted by the baseline: a, b');
    expect(baselineSummary(after.entries)).toBe(', baseline expired: a, b, c');
  });

  it('without a baseline the verdict counts the rules as they are and the report lists nothing', () => {
    const none = applyBaseline(undefined, rules, new Date());
    expect(none.forVerdict.map((r) => r.status)).toEqual(['fail', 'warn', 'pass']);
    expect(none.entries).toBeUndefined();
    expect(baselineSummary(undefined)).toBe('');
  });
});

describe('bad baseline files: one line, exit 2', () => {
  const cases: [string, string, string, RegExp][] = [
    ['not a list', 'x.json', '{"rule": "a"}', /: it must be a list of \{rule, reason, expires\} entries$/],
    ['an entry that is no object', 'x.json', '["person-id-unknown-rejected"]', /: entry 1 must be an object \{rule, reason, expires\}$/],
    ['no reason', 'x.yaml', `- rule: ${RULE}\n  expires: 2030-01-01\n`, /: entry 1 lacks "reason"$/],
    ['no expiry', 'x.json', JSON.stringify([{ rule: RULE, reason: 'r', expires: '2030-01-01' }, { rule: 'no-server-error', reason: 'r' }]), /: entry 2 lacks "expires"$/],
    ['a blank reason', 'x.json', JSON.stringify([{ rule: RULE, reason: '  ', expires: '2030-01-01' }]), /: entry 1: reason is blank$/],
    ['a day that does not exist', 'x.json', JSON.stringify([{ rule: RULE, reason: 'r', expires: '2030-02-30' }]), /: entry 1: expires must be a date YYYY-MM-DD, not "2030-02-30"$/],
    ['a date in another form', 'x.json', JSON.stringify([{ rule: RULE, reason: 'r', expires: '1/2/2030' }]), /: entry 1: expires must be a date YYYY-MM-DD, not "1\/2\/2030"$/],
    ['an expiry that is a number', 'x.json', JSON.stringify([{ rule: RULE, reason: 'r', expires: 20300101 }]), /: entry 1: expires must be a string$/],
    ['an unknown member', 'x.json', JSON.stringify([{ rule: RULE, reason: 'r', expires: '2030-01-01', until: 'never' }]), /: entry 1 has an unknown member "until"/],
    ['a rule named twice', 'x.json', JSON.stringify([{ rule: RULE, reason: 'r', expires: '2030-01-01' }, { rule: RULE, reason: 's', expires: '2030-01-01' }]), /: entry 2 names rule person-id-unknown-rejected again/],
    ['neither JSON nor YAML', 'x.yaml', '- rule: [unclosed\n', /is neither JSON nor YAML: /],
  ];
  for (const [what, name, content, message] of cases) {
    it(`${what}: a ConfigError naming the file`, async () => {
      const file = await baselineFile(`${what.replace(/\W+/g, '-')}-${name}`, content);
      expect(() => readBaselineFile(file)).toThrow(ConfigError);
      expect(() => readBaselineFile(file)).toThrow(message);
      expect(() => readBaselineFile(file)).toThrow(`--baseline ${file}`);
    });
  }

  it('a file that cannot be read', () => {
    expect(() => readBaselineFile(join(dir, 'absent.json'))).toThrow(/^--baseline .*absent\.json: cannot read it \(ENOENT\)$/);
  });

  it('an unknown rule id: refused by the catalogue check, and by a run before it sends any request', async () => {
    const rules = await loadRules();
    const baseline = { file: 'b.json', entries: [{ rule: 'no-such-rule', reason: 'r', expires: '2030-01-01' }] };
    expect(() => checkBaselineRules(baseline, rules)).toThrow('--baseline b.json names unknown rules: no-such-rule (see spec/rules.yaml)');
    expect(() => checkBaselineRules({ ...baseline, entries: [{ rule: RULE, reason: 'r', expires: '2030-01-01' }] }, rules)).not.toThrow();
    let requests = 0;
    const server: Server = createServer((_req, res) => {
      requests++;
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as { port: number };
      const config = { ...configFor(target, { baseline }), target: `http://127.0.0.1:${port}/api/v1` };
      await expect(runConformance(config)).rejects.toThrow(/names unknown rules: no-such-rule/);
      expect(requests).toBe(0);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

function cli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return runCli(args, { env });
}

describe.concurrent('--baseline on the command line', () => {
  const bad: [string, () => Promise<{ args: string[]; env?: Record<string, string> }>, RegExp][] = [
    ['a bad date', async () => ({ args: ['--baseline', await baselineFile('cli-date.json', JSON.stringify([{ rule: RULE, reason: 'r', expires: '2030-13-01' }]))] }), /entry 1: expires must be a date YYYY-MM-DD, not "2030-13-01"$/],
    ['a missing reason, through SO_BASELINE', async () => ({ args: [], env: { SO_BASELINE: await baselineFile('cli-reason.json', JSON.stringify([{ rule: RULE, expires: '2030-01-01' }])) } }), /entry 1 lacks "reason"$/],
    ['an unknown rule', async () => ({ args: ['--baseline', await baselineFile('cli-rule.json', JSON.stringify([{ rule: 'no-such-rule', reason: 'r', expires: '2030-01-01' }]))] }), /names unknown rules: no-such-rule \(see spec\/rules\.yaml\)$/],
    ['an empty SO_BASELINE', async () => ({ args: [], env: { SO_BASELINE: '' } }), /SO_BASELINE is set but empty/],
  ];
  for (const [what, make, line] of bad) {
    it(`${what}: exit 2, one line, nothing run`, async () => {
      const { args, env } = await make();
      const reportDir = join(dir, `cli-${what.replace(/\W+/g, '-')}`);
      const r = await cli(['run', '--no-progress', '--report-dir', reportDir, ...args], env);
      expect(r.code, r.stderr).toBe(2);
      const lines = r.stderr.split('\n').filter(Boolean);
      expect(lines, r.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(/^person-image-conformance: /);
      expect(lines[0]).toMatch(line);
      expect(r.stdout).toBe('');
    });
  }
});
