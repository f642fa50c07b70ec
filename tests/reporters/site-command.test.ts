/**
 * `report site DIR... --out SITE`: which report.json files it finds, what it copies into
 * SITE/runs/<id>/ (report.json byte for byte, report.html, junit.xml, the counterexample bodies),
 * what it renders when they are not beside a report, a site regenerated from its own runs/, every
 * link of index.html resolving to a file of the site, and one line with exit 2 for a bad input
 * (the CLI in a child process, as a user runs it).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeReports } from '../../reporters/write.js';
import { reportSiteCommand } from '../../src/cli/report-site.js';
import { ConfigError, UsageError } from '../../src/errors.js';
import { verifyReport } from '../../src/report/canonical.js';
import type { Report } from '../../src/report/types.js';
import { conformingReport, embeddedReport, failingReport, pngBytes } from '../fixtures/reports.js';

const ROOT = join(import.meta.dirname, '..', '..');

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pic-site-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function sink(): { out: PassThrough; text: () => string } {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  return { out, text: () => Buffer.concat(chunks).toString('utf8') };
}

function at(report: Report, startedAt: string): Report {
  report.startedAt = startedAt;
  return report;
}

/** Three nightly artefact folders (artefacts/night-N/ holding report.json, report.html, junit.xml); the failing one with its bodies. */
async function nightlyArtefacts(): Promise<string> {
  const root = join(dir, 'artefacts');
  await writeReports(at(conformingReport(), '2026-11-28T03:00:00.000Z'), join(root, 'night-1'));
  const failing = join(root, 'night-2');
  await writeReports(at(failingReport(), '2026-11-29T03:00:00.000Z'), failing);
  await mkdir(join(failing, 'bodies'));
  await writeFile(join(failing, 'bodies', 'valid-raw-upload.request.png'), pngBytes());
  await writeFile(join(failing, 'bodies', 'no-signature-rejected.request.bin'), Buffer.from('%PDF-1.7\n'));
  await writeReports(at(conformingReport(), '2026-11-30T03:00:00.000Z'), join(root, 'night-3'));
  return root;
}

/** Every href of index.html but in-page anchors, without its fragment. */
async function links(site: string): Promise<string[]> {
  const html = await readFile(join(site, 'index.html'), 'utf8');
  return [...new Set([...html.matchAll(/href="([^"#][^"]*)"/g)].map((m) => m[1]!.replace(/#.*$/, '')))];
}

describe('report site', () => {
  it('a folder of nightly artefacts: every run under runs/<id>/ with its files and bodies, every link resolving', async () => {
    const artefacts = await nightlyArtefacts();
    const site = join(dir, 'site');
    const s = sink();
    expect(await reportSiteCommand({ inputs: [artefacts], outDir: site, out: s.out })).toBe(0);
    expect(s.text()).toBe(`wrote ${join(site, 'index.html')}: 3 runs of 1 target\n`);

    const runs = (await readdir(join(site, 'runs'))).sort();
    expect(runs).toHaveLength(3);
    for (const id of runs) expect(id).toMatch(/^\d{8}-\d{6}-[0-9a-f]{8}$/);
    const failingId = runs[1]!;
    expect(failingId.startsWith('20261129-030000-')).toBe(true);
    for (const f of ['report.json', 'report.html', 'junit.xml']) {
      expect(await readFile(join(site, 'runs', failingId, f))).toEqual(await readFile(join(artefacts, 'night-2', f)));
    }
    expect(verifyReport(JSON.parse(await readFile(join(site, 'runs', failingId, 'report.json'), 'utf8')) as Report)).toBe(true);
    expect(await readFile(join(site, 'runs', failingId, 'bodies', 'valid-raw-upload.request.png'))).toEqual(pngBytes());
    // report.html links to its bodies, and they are there.
    const reportHtml = await readFile(join(site, 'runs', failingId, 'report.html'), 'utf8');
    const refs = [...reportHtml.matchAll(/\s(?:href|src)="([^"]*)"/g)].map((m) => m[1]!);
    expect(new Set(refs.filter((r) => r.startsWith('bodies/'))).size).toBe(2);
    for (const ref of refs) {
      expect(ref, ref).toMatch(/^(#|data:image\/|bodies\/)/); // nothing outside the run's folder
      if (ref.startsWith('bodies/')) expect(existsSync(join(site, 'runs', failingId, ref)), ref).toBe(true);
    }

    const hrefs = await links(site);
    expect(hrefs).toHaveLength(9);
    for (const href of hrefs) expect(existsSync(join(site, href)), href).toBe(true);
  });

  it('a report.json under another name, or without its renderings beside it: they are rendered; missing bodies are named', async () => {
    await writeFile(join(dir, 'nightly-7.json'), JSON.stringify(at(failingReport(), '2026-11-29T03:00:00.000Z')));
    const bare = join(dir, 'bare');
    const { html, junit } = await writeReports(at(embeddedReport(), '2026-11-27T03:00:00.000Z'), bare);
    await rm(html);
    await rm(junit);
    const site = join(dir, 'site');
    const s = sink();
    expect(await reportSiteCommand({ inputs: [join(dir, 'nightly-7.json'), bare], outDir: site, out: s.out })).toBe(0);
    const out = s.text();
    expect(out).toContain(`${join(dir, 'nightly-7.json')}: report.html and junit.xml rendered from it (none beside it)\n`);
    expect(out).toContain(`${join(dir, 'nightly-7.json')}: 2 counterexample body files are not beside it; its report.html links to them in vain\n`);
    expect(out).toContain(`warning: ${join(dir, 'nightly-7.json')} does not match its sha256 (edited after the run); the site says so\n`);
    expect(out).toContain(`${join(bare, 'report.json')}: report.html and junit.xml rendered from it (none beside it)\n`);
    expect(out).toMatch(/: 2 runs of 2 targets\n$/);
    for (const href of await links(site)) expect(existsSync(join(site, href)), href).toBe(true);
    expect(await readFile(join(site, 'index.html'), 'utf8')).toContain('edited after the run');
  });

  it('the same run twice is one run; a site regenerated from its own runs/ plus a new run keeps every run as it was', async () => {
    const artefacts = await nightlyArtefacts();
    await cp(join(artefacts, 'night-1'), join(dir, 'copy-of-night-1'), { recursive: true });
    const site = join(dir, 'site');
    const first = sink();
    await reportSiteCommand({ inputs: [artefacts, join(dir, 'copy-of-night-1')], outDir: site, out: first.out });
    expect(first.text()).toContain(`skipped ${join(dir, 'copy-of-night-1', 'report.json')}: the same run as ${join(artefacts, 'night-1', 'report.json')}\n`);
    const before = new Map<string, Buffer>();
    for (const id of await readdir(join(site, 'runs'))) before.set(id, await readFile(join(site, 'runs', id, 'report.json')));

    const tonight = join(dir, 'tonight');
    await writeReports(at(failingReport(), '2026-12-01T03:00:00.000Z'), tonight);
    const again = sink();
    expect(await reportSiteCommand({ inputs: [join(site, 'runs'), tonight], outDir: site, out: again.out })).toBe(0);
    expect(again.text()).toMatch(/: 4 runs of 1 target\n$/);
    const after = await readdir(join(site, 'runs'));
    expect(after).toHaveLength(4);
    for (const [id, json] of before) expect(await readFile(join(site, 'runs', id, 'report.json'))).toEqual(json);
    const html = await readFile(join(site, 'index.html'), 'utf8');
    expect([...html.matchAll(/<th scope="col" class="run-col" data-run="([^"]+)">/g)].map((m) => m[1])).toEqual(after.sort());
  });

  it('finds report.json in nested folders, skipping hidden ones; a folder with none, a missing path, an invalid report: one ConfigError naming it', async () => {
    const artefacts = await nightlyArtefacts();
    await mkdir(join(artefacts, '.cache', 'x'), { recursive: true });
    await writeFile(join(artefacts, '.cache', 'x', 'report.json'), '{"not":"a report"}');
    const s = sink();
    await reportSiteCommand({ inputs: [dirname(artefacts)], outDir: join(dir, 'site'), out: s.out });
    expect(s.text()).toMatch(/: 3 runs of 1 target\n$/);

    const empty = join(dir, 'empty');
    await mkdir(join(empty, 'sub'), { recursive: true });
    const run = (inputs: string[]) => reportSiteCommand({ inputs, outDir: join(dir, 'site2'), out: sink().out });
    await expect(run([empty])).rejects.toThrow(new ConfigError(`${empty} holds no report.json (nor does any folder in it)`));
    await expect(run([join(dir, 'nope')])).rejects.toThrow(new ConfigError(`cannot read ${join(dir, 'nope')}: no such file or folder`));

    const bad = join(dir, 'bad', 'report.json');
    await mkdir(dirname(bad));
    const report = conformingReport() as unknown as Record<string, unknown>;
    report.verdict = 'splendid';
    await writeFile(bad, JSON.stringify(report));
    await expect(run([artefacts, bad])).rejects.toThrow(`${bad} is not a valid report.json: /verdict must be one of`);
    await writeFile(bad, '{"truncated":');
    await expect(run([bad])).rejects.toThrow(new RegExp(`^${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not valid JSON: `));
    expect(existsSync(join(dir, 'site2'))).toBe(false); // nothing written before every input was read
  });

  it('usage: no input, no --out', async () => {
    const artefacts = await nightlyArtefacts();
    await expect(reportSiteCommand({ inputs: [], outDir: join(dir, 'site'), out: sink().out })).rejects.toThrow(
      new UsageError('report site needs at least one report.json or folder'),
    );
    await expect(reportSiteCommand({ inputs: [artefacts], outDir: undefined, out: sink().out })).rejects.toThrow(
      new UsageError('report site needs --out SITE (the folder to write the site into)'),
    );
    const occupied = join(dir, 'occupied');
    await copyFile(join(artefacts, 'night-1', 'junit.xml'), occupied); // --out names a file
    await expect(reportSiteCommand({ inputs: [artefacts], outDir: occupied, out: sink().out })).rejects.toThrow(/^cannot write the site into .*occupied: EEXIST/);
  });
});

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[]): Promise<CliResult> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SO_')));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: ROOT, env: clean, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += String(d)));
  child.stderr.on('data', (d: Buffer) => (stderr += String(d)));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

describe('report site from the command line', () => {
  it('an invalid report.json among good ones: exit 2, one line naming the file, no stack, no site', async () => {
    const artefacts = await nightlyArtefacts();
    const bad = join(artefacts, 'night-4', 'report.json');
    await mkdir(dirname(bad));
    const report = failingReport();
    (report.rules[0] as unknown as Record<string, unknown>).status = 'exploded';
    await writeFile(bad, JSON.stringify(report));
    const r = await cli(['report', 'site', artefacts, '--out', join(dir, 'site')]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toBe(`person-image-conformance: ${bad} is not a valid report.json: /rules/0/status must be one of "pass", "fail", "warn", "not-run"\n`);
    expect(existsSync(join(dir, 'site'))).toBe(false);
  });

  it('without --out: exit 2 and one line; with it: exit 0 and the site', async () => {
    const artefacts = await nightlyArtefacts();
    const missing = await cli(['report', 'site', artefacts]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('person-image-conformance: report site needs --out SITE (the folder to write the site into)\n');
    const ok = await cli(['report', 'site', artefacts, '--out', join(dir, 'site')]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toBe(`wrote ${join(dir, 'site', 'index.html')}: 3 runs of 1 target\n`);
  });
});
