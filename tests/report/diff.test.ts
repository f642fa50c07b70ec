/**
 * `report diff OLD NEW`: two real runs with the same seed and rules, one against the reference
 * target and one against a target broken in a MUST rule (person ids) and a SHOULD rule (blob ids),
 * give the regression and exit 1; reversed, "fixed" and exit 0. The --json and --markdown shapes,
 * coverage and hash changes, the baseline's say in the gate, hostile strings, and the CLI's exit 2
 * (one line) for bad arguments and files that are no report.json.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportDiffCommand } from '../../src/cli/report-diff.js';
import { runCommand } from '../../src/cli/run.js';
import { diffReports, ruleGroup, rulesSha256, type ReportDiff, type RuleState } from '../../src/report/diff.js';
import { parseReport } from '../../src/report/parse.js';
import type { Report } from '../../src/report/types.js';
import { startReferenceTarget } from '../../src/target/server.js';
import { brokenTargets } from '../broken-targets/catalogue.js';
import { HOSTILE } from '../fixtures/reports.js';
import { configFor } from '../support/run-against.js';

const ROOT = join(import.meta.dirname, '..', '..');
const SEED = 7;
const ONLY = ['person-id-unknown-rejected', 'blob-id-positive'];

let dir: string;
let good: string;
let broken: string;
let goodReport: Report;
let brokenReport: Report;

function sink(): { out: PassThrough; text: () => string } {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  return { out, text: () => Buffer.concat(chunks).toString('utf8') };
}

/** Runs `run --seed 7 --runs 3 --only ...` against a reference target with the given behaviour; returns report.json's path. */
async function runTo(reportDir: string, behaviour: Parameters<typeof startReferenceTarget>[0]): Promise<string> {
  const t = await startReferenceTarget(behaviour);
  try {
    const code = await runCommand(configFor(t, { seed: SEED, runs: 3, only: ONLY, reportDir }), sink().out);
    expect(code).toBeLessThanOrEqual(1);
  } finally {
    await t.close();
  }
  return join(reportDir, 'report.json');
}

beforeAll(async () => {
  process.stdout.write(`report diff runs: seed ${SEED}\n`);
  dir = await mkdtemp(join(tmpdir(), 'pic-diff-'));
  good = await runTo(join(dir, 'good'), {});
  const behaviour = { ...brokenTargets['person-id-unknown-rejected']!.behaviour, ...brokenTargets['blob-id-positive']!.behaviour };
  broken = await runTo(join(dir, 'broken'), { behaviour });
  goodReport = parseReport(JSON.parse(await readFile(good, 'utf8')), good);
  brokenReport = parseReport(JSON.parse(await readFile(broken, 'utf8')), broken);
}, 120_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function diffOf(args: string[]): Promise<{ code: number; text: string }> {
  const s = sink();
  const code = await reportDiffCommand(args, s.out);
  return { code, text: s.text() };
}

describe('report diff on two real runs', () => {
  it('the runs are what the test needs: the reference target conforms, the broken one fails a MUST rule and warns a SHOULD rule', () => {
    expect(goodReport.verdict).toBe('conforms');
    expect(brokenReport.verdict).toBe('does-not-conform');
    const status = (r: Report, id: string) => r.rules.find((x) => x.id === id)?.status;
    expect(status(brokenReport, 'person-id-unknown-rejected')).toBe('fail');
    expect(status(brokenReport, 'blob-id-positive')).toBe('warn');
  });

  it('good -> broken: newly failing, newly warning, the regression, exit 1', async () => {
    const { code, text } = await diffOf([good, broken]);
    expect(code).toBe(1);
    expect(text).toMatch(/^old .*good\/report\.json: conforms, started .*, seed 7, /);
    expect(text).toMatch(/\nnewly failing \(1\):\n {2}person-id-unknown-rejected \[MUST\] pass -> fail: .+\n/);
    expect(text).toMatch(/\nnewly warning \(1\):\n {2}blob-id-positive \[SHOULD\] pass -> warn: .+\n/);
    expect(text).toContain('\nfixed: none\n');
    expect(text).toContain(`\nunchanged: ${goodReport.rules.length - 2} rules (${goodReport.rules.length - 2} not run)\n`);
    expect(text).not.toMatch(/spec changed|rules changed/);
    expect(text.trimEnd().split('\n').at(-1)).toBe('regression: NEW has MUST failures OLD did not: person-id-unknown-rejected');
  });

  it('broken -> good (reversed): both rules fixed, no regression, exit 0', async () => {
    const { code, text } = await diffOf([broken, good]);
    expect(code).toBe(0);
    expect(text).toMatch(/\nfixed \(2\):\n {2}blob-id-positive \[SHOULD\] warn -> pass\n {2}person-id-unknown-rejected \[MUST\] fail -> pass\n/);
    expect(text).toContain('\nnewly failing: none\nnewly warning: none\n');
    expect(text.trimEnd().split('\n').at(-1)).toBe('no regression: NEW has no MUST failure OLD did not have');
  });

  it('a run against itself changes nothing: every rule unchanged, exit 0', async () => {
    const { code, text } = await diffOf([broken, broken]);
    expect(code).toBe(0);
    expect(text).toContain(`unchanged: ${brokenReport.rules.length} rules (still failing: person-id-unknown-rejected; still warning: blob-id-positive; ${brokenReport.rules.length - 2} not run)\n`);
    expect(text).toContain('coverage appeared: none\ncoverage vanished: none\n');
  });

  it('--json: one object with both runs, the rule groups, the regressions and the coverage', async () => {
    const { code, text } = await diffOf([good, broken, '--json']);
    expect(code).toBe(1);
    const d = JSON.parse(text) as ReportDiff;
    expect(Object.keys(d).sort()).toEqual(['catalogue', 'coverage', 'new', 'old', 'regressions', 'rules', 'rulesChanged', 'specChanged']);
    expect(d.old).toMatchObject({ file: good, verdict: 'conforms', seed: SEED, embedded: false, untouched: true, specSha256: goodReport.spec.sha256 });
    expect(d.new).toMatchObject({ file: broken, verdict: 'does-not-conform', untouched: true, rulesSha256: rulesSha256(brokenReport) });
    expect(Object.keys(d.rules).sort()).toEqual(['fixed', 'newlyFailing', 'newlyWarning', 'notComparable', 'unchanged']);
    expect(d.rules.newlyFailing).toEqual([
      { id: 'person-id-unknown-rejected', level: 'MUST', title: expect.any(String), old: 'pass', new: 'fail', message: brokenReport.rules.find((r) => r.id === 'person-id-unknown-rejected')!.message },
    ]);
    expect(d.rules.newlyWarning.map((c) => [c.id, c.level, c.old, c.new])).toEqual([['blob-id-positive', 'SHOULD', 'pass', 'warn']]);
    expect(d.rules.fixed).toEqual([]);
    expect(d.regressions).toEqual(['person-id-unknown-rejected']);
    expect(d).toMatchObject({ specChanged: false, rulesChanged: false, catalogue: { added: [], removed: [], redefined: [] } });
    expect(d.coverage).toEqual({ appeared: expect.any(Array), vanished: expect.any(Array) });
  });

  it('--markdown: a heading with the gate, the runs table, a table per group, unchanged rules folded', async () => {
    const { code, text } = await diffOf([good, broken, '--markdown']);
    expect(code).toBe(1);
    const lines = text.split('\n');
    expect(lines[0]).toBe('### ❌ Conformance regression: `person-id-unknown-rejected`');
    expect(lines).toContain('| verdict | **conforms** | **does-not-conform** |');
    expect(text).toMatch(/\n#### Newly failing \(1\)\n\n\| rule \| level \| old \| new \| message \|\n\|---\|---\|---\|---\|---\|\n\| `person-id-unknown-rejected` \| MUST \| pass \| fail \| .+ \|\n/);
    expect(text).toMatch(/\n#### Newly warning \(1\)\n[\s\S]*\| `blob-id-positive` \| SHOULD \| pass \| warn \|/);
    expect(text).not.toContain('#### Fixed');
    expect(text).toMatch(/<details><summary>Unchanged \(\d+\)<\/summary>/);
    const reversed = await diffOf([broken, good, '--markdown']);
    expect(reversed.code).toBe(0);
    expect(reversed.text.split('\n')[0]).toBe('### ✅ No conformance regression');
    expect(reversed.text).toContain('#### Fixed (2)');
  });
});

/** A copy of a real report, edited (so it no longer matches its sha256). */
const copy = (r: Report): Report => structuredClone(r);

describe('report diff: what else it calls out', () => {
  it('coverage that appeared and vanished, per dimension and value', () => {
    const a = copy(goodReport);
    const b = copy(goodReport);
    a.coverage = { family: { 'person-id': 3, 'valid-upload': 3 }, 'image format': { png: 2, gif: 0 } };
    b.coverage = { family: { 'person-id': 5 }, 'image format': { png: 1, gif: 2 }, accept: { '*/*': 4 } };
    const d = diffReports(a, b, { old: 'a', new: 'b' });
    expect(d.coverage.appeared).toEqual([
      { dimension: 'accept', value: '*/*', old: 0, new: 4 },
      { dimension: 'image format', value: 'gif', old: 0, new: 2 },
    ]);
    expect(d.coverage.vanished).toEqual([{ dimension: 'family', value: 'valid-upload', old: 3, new: 0 }]);
  });

  it('a changed spec or rule catalogue is called out, with the rules added, removed and redefined; an edited report is named', async () => {
    const b = copy(goodReport);
    b.spec = { file: 'spec/other.yaml', sha256: 'f'.repeat(64) };
    b.rules = b.rules.filter((r) => r.id !== 'blob-id-positive').map((r) => (r.id === 'no-server-error' ? { ...r, level: 'SHOULD' as const } : r));
    b.rules.push({ ...b.rules[0]!, id: 'brand-new-rule' });
    const d = diffReports(goodReport, b, { old: 'a', new: 'b' });
    expect(d).toMatchObject({ specChanged: true, rulesChanged: true, catalogue: { added: ['brand-new-rule'], removed: ['blob-id-positive'], redefined: ['no-server-error'] } });
    expect(d.old.untouched).toBe(true);
    expect(d.new.untouched).toBe(false);
    expect(d.rules.notComparable.map((c) => [c.id, c.old, c.new])).toEqual([
      ['brand-new-rule', 'absent', 'not-run'],
      ['blob-id-positive', 'pass', 'absent'],
    ]);
    const file = join(dir, 'edited.json');
    await writeFile(file, JSON.stringify(b));
    const { text } = await diffOf([good, file]);
    expect(text.split('\n').find((l) => l.startsWith('spec changed: '))).toBe(`spec changed: ${goodReport.spec.file} ${goodReport.spec.sha256.slice(0, 12)} -> spec/other.yaml ffffffffffff`);
    expect(text).toMatch(/\nrules changed: [0-9a-f]{12} -> [0-9a-f]{12} \(added brand-new-rule; removed blob-id-positive; redefined no-server-error\)\n/);
    expect(text).toMatch(/^new .*edited\.json: .*\(warning: it does not match its sha256: edited after its run\)$/m);
    const markdown = (await diffOf([good, file, '--markdown'])).text;
    expect(markdown).toContain('> **The spec changed**');
    expect(markdown).toContain('> **The rules changed**: added brand\\-new\\-rule; removed blob\\-id\\-positive; redefined no\\-server\\-error.');
  });

  it('the gate counts what counts in the verdict: a failure NEW\'s baseline accepts is no regression; one whose entry expired since OLD is', () => {
    const id = 'person-id-unknown-rejected';
    const entry = { rule: id, reason: 'known, ticket 12', expires: '2999-12-31' };
    const accepted = copy(brokenReport);
    accepted.baseline = [{ ...entry, expired: false, hidden: true }];
    const d = diffReports(goodReport, accepted, { old: 'a', new: 'b' });
    expect(d.regressions).toEqual([]);
    expect(d.rules.newlyFailing.find((c) => c.id === id)?.accepted).toBe(true);
    const expired = copy(brokenReport);
    expired.baseline = [{ ...entry, expires: '2000-01-01', expired: true, hidden: false }];
    expect(diffReports(accepted, expired, { old: 'a', new: 'b' }).regressions).toEqual([id]);
    expect(diffReports(brokenReport, expired, { old: 'a', new: 'b' }).regressions).toEqual([]);
  });

  it('a MUST rule that failed as a SHOULD rule before is a regression; a SHOULD failure never is', () => {
    const a = copy(brokenReport);
    const b = copy(brokenReport);
    a.rules = a.rules.map((r) => (r.id === 'person-id-unknown-rejected' ? { ...r, level: 'SHOULD' as const } : r));
    expect(diffReports(a, b, { old: 'a', new: 'b' }).regressions).toEqual(['person-id-unknown-rejected']);
    b.rules = b.rules.map((r) => (r.id === 'blob-id-positive' ? { ...r, status: 'fail' as const } : r));
    expect(diffReports(brokenReport, b, { old: 'a', new: 'b' }).regressions).toEqual([]);
  });

  it('groups every pair of statuses', () => {
    const states: RuleState[] = ['pass', 'fail', 'warn', 'not-run', 'absent'];
    const table = Object.fromEntries(states.flatMap((o) => states.filter((n) => n !== 'absent' || o !== 'absent').map((n) => [`${o}>${n}`, ruleGroup(o, n)])));
    expect(table).toEqual({
      'pass>pass': 'unchanged', 'pass>fail': 'newlyFailing', 'pass>warn': 'newlyWarning', 'pass>not-run': 'notComparable', 'pass>absent': 'notComparable',
      'fail>pass': 'fixed', 'fail>fail': 'unchanged', 'fail>warn': 'fixed', 'fail>not-run': 'notComparable', 'fail>absent': 'notComparable',
      'warn>pass': 'fixed', 'warn>fail': 'newlyFailing', 'warn>warn': 'unchanged', 'warn>not-run': 'notComparable', 'warn>absent': 'notComparable',
      'not-run>pass': 'notComparable', 'not-run>fail': 'newlyFailing', 'not-run>warn': 'newlyWarning', 'not-run>not-run': 'unchanged', 'not-run>absent': 'notComparable',
      'absent>pass': 'notComparable', 'absent>fail': 'newlyFailing', 'absent>warn': 'newlyWarning', 'absent>not-run': 'notComparable',
    });
  });

  it('strings a target chose stay inert: one line on the terminal, escaped Markdown that mentions nobody', async () => {
    const b = copy(brokenReport);
    const rule = b.rules.find((r) => r.id === 'person-id-unknown-rejected')!;
    rule.message = `${HOSTILE} | @octocat\n\u001b[2J# heading`;
    const file = join(dir, 'hostile.json');
    await writeFile(file, JSON.stringify(b));
    const text = (await diffOf([good, file])).text;
    const line = text.split('\n').find((l) => l.startsWith('  person-id-unknown-rejected'))!;
    expect(line).toContain('<script>');
    expect(line).not.toMatch(/[\u0000-\u001f\u202e]/);
    expect(text.split('\n').some((l) => l.startsWith('# heading') || l.startsWith('[2J'))).toBe(false);
    const markdown = (await diffOf([good, file, '--markdown'])).text;
    const row = markdown.split('\n').find((l) => l.startsWith('| `person-id-unknown-rejected`'))!;
    expect(row).toContain('\\<script\\>');
    expect(row).toContain('\\| \\@octocat');
    expect(row).not.toMatch(/[^\\][<@]|[\u0000-\u001f\u202e]/);
    // Six cells: the message's pipe is escaped, so it does not split the row.
    expect(row.split(/(?<!\\)\|/)).toHaveLength(7);
  });
});

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[]): Promise<CliResult> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += String(d)));
  child.stderr.on('data', (d: Buffer) => (stderr += String(d)));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

describe.concurrent('report diff from the command line', () => {
  it('routes `report diff`: exit 1 on the regression, 0 reversed', async () => {
    const [forward, backward] = await Promise.all([cli(['report', 'diff', good, broken]), cli(['report', 'diff', broken, good, '--json'])]);
    expect(forward.code, forward.stderr).toBe(1);
    expect(forward.stdout).toContain('regression: NEW has MUST failures OLD did not: person-id-unknown-rejected');
    expect(backward.code, backward.stderr).toBe(0);
    expect((JSON.parse(backward.stdout) as ReportDiff).rules.fixed).toHaveLength(2);
  });

  const bad: [string, () => Promise<string[]>, RegExp][] = [
    ['one file', async () => ['report', 'diff', good], /^person-image-conformance: report diff takes two report\.json files, OLD and NEW; got 1$/],
    ['three files', async () => ['report', 'diff', good, good, good], /report diff takes two report\.json files, OLD and NEW; got 3$/],
    ['--json with --markdown', async () => ['report', 'diff', good, broken, '--json', '--markdown'], /report diff takes --json or --markdown, not both$/],
    ['an unknown flag', async () => ['report', 'diff', good, broken, '--html'], /Unknown option '--html'/],
    ['a missing file', async () => ['report', 'diff', join(dir, 'nothing.json'), broken], /cannot read .*nothing\.json: no such file$/],
    [
      'a file that is no JSON',
      async () => {
        await writeFile(join(dir, 'not.json'), 'verdict: conforms');
        return ['report', 'diff', good, join(dir, 'not.json')];
      },
      /not\.json is not valid JSON: /,
    ],
    [
      'JSON that is no report.json',
      async () => {
        const r = JSON.parse(await readFile(good, 'utf8')) as Record<string, unknown>;
        await writeFile(join(dir, 'no-rules.json'), JSON.stringify({ ...r, rules: 'none' }));
        return ['report', 'diff', join(dir, 'no-rules.json'), broken];
      },
      /no-rules\.json is not a valid report\.json: \/rules must be array$/,
    ],
  ];
  for (const [what, args, line] of bad) {
    it(`${what}: exit 2 and one line`, async () => {
      const r = await cli(await args());
      expect(r.code, r.stderr).toBe(2);
      const lines = r.stderr.split('\n').filter(Boolean);
      expect(lines, r.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(line);
      expect(r.stdout).toBe('');
    });
  }
});
