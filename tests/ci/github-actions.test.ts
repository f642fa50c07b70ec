/**
 * What `run` leaves for GitHub Actions (src/ci/github-actions.ts): with GITHUB_STEP_SUMMARY set,
 * the summary is appended to that file (what was there stays); with GITHUB_ACTIONS=true, the
 * annotations go to stdout; neither without its variable; a summary file that cannot be written
 * costs a warning, not the run. And `run` itself does it for a run that stopped early, after its
 * verdict line (which stays first on stdout).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeGithubActionsOutput } from '../../src/ci/github-actions.js';
import { runCommand } from '../../src/cli/run.js';
import { embeddedCredentials } from '../../src/run/target.js';
import { startReferenceTarget } from '../../src/target/server.js';
import { startFaultProxy, type FaultProxy } from '../safety/helpers.js';
import { failingRun, type FailingRun } from './failing-report.js';

const scratch = mkdtempSync(join(tmpdir(), 'pic-gha-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let run: FailingRun;
beforeAll(async () => {
  run = await failingRun();
});

function sink(): { stream: Writable; text: () => string } {
  let text = '';
  return { stream: new Writable({ write: (chunk, _enc, done) => ((text += String(chunk)), done()) }), text: () => text };
}

describe('writeGithubActionsOutput', () => {
  it('appends the summary to GITHUB_STEP_SUMMARY, keeping what is there', async () => {
    const file = join(scratch, 'summary-append.md');
    writeFileSync(file, '# an earlier step\n');
    const out = sink();
    await writeGithubActionsOutput(run.report, 'reports', { GITHUB_STEP_SUMMARY: file }, out.stream);
    await writeGithubActionsOutput(run.report, 'reports', { GITHUB_STEP_SUMMARY: file }, out.stream);
    const md = readFileSync(file, 'utf8');
    expect(md.startsWith('# an earlier step\n## ❌ person-image-conformance: does-not-conform')).toBe(true);
    expect(md.match(/^## ❌/gm)).toHaveLength(2);
    // Not GitHub Actions: no annotation.
    expect(out.text()).toBe('');
  });

  it('prints the annotations only with GITHUB_ACTIONS=true', async () => {
    for (const [value, expected] of [['true', 2], ['false', 0], ['1', 0], [undefined, 0]] as const) {
      const out = sink();
      await writeGithubActionsOutput(run.report, 'reports', value === undefined ? {} : { GITHUB_ACTIONS: value }, out.stream);
      expect(out.text().split('\n').filter((l) => l.startsWith('::')), `GITHUB_ACTIONS=${value}`).toHaveLength(expected);
    }
  });

  it('a summary file that cannot be written: one warning line, no error', async () => {
    const out = sink();
    const err = sink();
    const file = join(scratch, 'no-such-folder', 'summary.md');
    await writeGithubActionsOutput(run.report, 'reports', { GITHUB_STEP_SUMMARY: file, GITHUB_ACTIONS: 'true' }, out.stream, err.stream);
    expect(err.text()).toBe(`warning: GITHUB_STEP_SUMMARY ${file} cannot be written (ENOENT); the job summary is left out\n`);
    expect(out.text()).toMatch(/^::error title=empty-body-rejected::/);
  });
});

describe('run under GitHub Actions', () => {
  let proxy: FaultProxy | undefined;
  afterAll(async () => {
    await proxy?.close();
  });

  it('a run that stopped early (the target went away): the summary with the stop, the verdict line, then the ::error; exit 2', async () => {
    const t = await startReferenceTarget();
    const summary = join(scratch, 'summary-stopped.md');
    const saved = { summary: process.env.GITHUB_STEP_SUMMARY, actions: process.env.GITHUB_ACTIONS };
    process.env.GITHUB_STEP_SUMMARY = summary;
    process.env.GITHUB_ACTIONS = 'true';
    try {
      proxy = await startFaultProxy(t.url, (n) => n === 6, (req) => void proxy!.goAway().then(() => req.socket.destroy()));
      const out = sink();
      const reportDir = mkdtempSync(join(scratch, 'r-'));
      const config = { target: proxy.url, credentials: embeddedCredentials(t), personId: t.persons[0]!, seed: 5, runs: 20, concurrency: 4, timeoutMs: 10_000, reportDir, only: [], progress: false };
      const code = await runCommand(config, out.stream);
      expect(code).toBe(2);
      const md = readFileSync(summary, 'utf8');
      expect(md).toMatch(/^## ⛔ person-image-conformance: incomplete$/m);
      expect(md).toMatch(/^> \*\*Stopped early\*\* \(target-gone, after \d+ requests\): the target went away/m);
      expect(md).toMatch(/^\*\*The person's image:\*\* failed /m);
      expect(out.text()).toMatch(/^verdict: incomplete [^\n]*\nstopped early: the target went away[^\n]*\n::error title=run stopped early \(target-gone\)::the target went away/);
    } finally {
      process.env.GITHUB_STEP_SUMMARY = saved.summary;
      process.env.GITHUB_ACTIONS = saved.actions;
      if (saved.summary === undefined) delete process.env.GITHUB_STEP_SUMMARY;
      if (saved.actions === undefined) delete process.env.GITHUB_ACTIONS;
      await t.close();
    }
  });
});
