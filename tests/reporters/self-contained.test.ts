/**
 * Every report.html links to nothing outside its folder: no http(s):// or other scheme but
 * data: in a link or a resource (href, src, srcset, action, poster, CSS url() and @import, a
 * meta refresh), no absolute or protocol-relative path, no `..`, no <base>, and a script that
 * opens no connection. Checked on the pages real runs write (a conforming run and one with
 * counterexamples, whose pages link their saved bodies), on their re-rendering, on the reporter
 * fixtures, and on reports whose saved-body paths a hostile hand edited.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { render } from '../../reporters/html.js';
import { writeRenderings } from '../../reporters/write.js';
import { runCommand } from '../../src/cli/run.js';
import type { Report } from '../../src/report/types.js';
import { startReferenceTarget } from '../../src/target/server.js';
import { defaultBehaviour } from '../../src/target/behaviour.js';
import { conformingReport, embeddedReport, failingReport, incompleteReport, stoppedFailingReport } from '../fixtures/reports.js';
import { configFor } from '../support/run-against.js';

const RUN_SEED = 3;

const scratch: string[] = [];
afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

/** Attributes whose value the browser loads or navigates to. */
const LINK_ATTRIBUTES = new Set(['href', 'src', 'srcset', 'action', 'formaction', 'poster', 'data', 'background', 'cite', 'longdesc', 'manifest', 'ping', 'xlink:href', 'imagesrcset']);
const TAG = /<([a-zA-Z][\w:-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*\/?>/g;
const ATTRIBUTE = /([^\s"'>/=]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+))?/g;
const CSS_URL = /url\(\s*(?:"([^"]*)"|'([^']*)'|([^)]*?))\s*\)|@import\s+(?:"([^"]*)"|'([^']*)')/gi;
/** What in a script would reach the network or another page. */
const SCRIPT_REACH = /\bfetch\s*\(|XMLHttpRequest|\bimport\s*\(|WebSocket|EventSource|sendBeacon|window\.open|\bhttps?:\/\//g;

function decodeEntities(s: string): string {
  return s.replace(/&(?:#(\d+)|#x([0-9a-f]+)|(amp|lt|gt|quot|apos));/gi, (_, dec: string, hex: string, name: string) =>
    dec ? String.fromCodePoint(Number(dec)) : hex ? String.fromCodePoint(parseInt(hex, 16)) : ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" } as Record<string, string>)[name.toLowerCase()]!,
  );
}

/** Why a URL leaves the page's folder, or undefined when it stays: a fragment, a data: URL, or a relative path that does not climb. */
function leaves(url: string): string | undefined {
  const u = url.trim();
  if (u === '' || u.startsWith('#') || /^data:/i.test(u)) return undefined;
  if (/^[a-z][a-z0-9+.-]*:/i.test(u)) return 'a scheme';
  if (/^[/\\]/.test(u)) return 'an absolute or protocol-relative path';
  let path = u.split(/[?#]/)[0]!;
  try {
    path = decodeURIComponent(path);
  } catch {
    return 'a path that does not decode';
  }
  if (path.split(/[/\\]/).includes('..')) return 'a `..` segment';
  return undefined;
}

/** Every link or resource of the page that leaves its folder (`where: value (why)`); and the relative paths it links. */
function outsideLinks(html: string): { outside: string[]; relative: string[] } {
  const outside: string[] = [];
  const relative: string[] = [];
  const check = (where: string, url: string) => {
    const why = leaves(url);
    if (why) outside.push(`${where}: ${url} (${why})`);
    else if (url.trim() !== '' && !url.startsWith('#') && !/^data:/i.test(url)) relative.push(url);
  };
  const css = (where: string, text: string) => {
    for (const m of text.matchAll(CSS_URL)) check(where, m.slice(1).find((x) => x !== undefined) ?? '');
  };
  const scripts = [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script\s*>/gi)].map((m) => m[1]!);
  const styles = [...html.matchAll(/<style\b[^>]*>([\s\S]*?)<\/style\s*>/gi)].map((m) => m[1]!);
  for (const s of scripts) for (const m of s.matchAll(SCRIPT_REACH)) outside.push(`script: ${m[0]}`);
  for (const s of styles) css('style', s);
  const markup = html.replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, '');
  for (const [, tag, attrs] of markup.matchAll(TAG)) {
    if (tag!.toLowerCase() === 'base') outside.push('<base> (changes where every relative link goes)');
    const values = new Map([...attrs!.matchAll(ATTRIBUTE)].map((a) => [a[1]!.toLowerCase(), decodeEntities((a[2] ?? '').replace(/^["']|["']$/g, ''))]));
    for (const [name, value] of values) {
      if (name === 'srcset' || name === 'imagesrcset') for (const part of value.split(',')) check(`<${tag} ${name}>`, part.trim().split(/\s+/)[0] ?? '');
      else if (LINK_ATTRIBUTES.has(name)) check(`<${tag} ${name}>`, value);
      else if (name === 'style') css(`<${tag} style>`, value);
    }
    if (values.get('http-equiv')?.toLowerCase() === 'refresh') check('<meta refresh>', /url\s*=\s*(.*)$/i.exec(values.get('content') ?? '')?.[1] ?? '');
  }
  return { outside, relative };
}

const sink = () =>
  new Writable({
    write(_chunk, _enc, done) {
      done();
    },
  });

/** Runs the CLI's run command against a target; returns the report folder. */
async function run(behaviour: Parameters<typeof startReferenceTarget>[0], only: string[]): Promise<{ dir: string; report: Report }> {
  const t = await startReferenceTarget(behaviour);
  try {
    const config = configFor(t, { seed: RUN_SEED, runs: 6, only });
    await runCommand(config, sink());
    return { dir: config.reportDir, report: JSON.parse(readFileSync(join(config.reportDir, 'report.json'), 'utf8')) as Report };
  } finally {
    await t.close();
  }
}

describe(`every report.html links to nothing outside its folder (runs of seed ${RUN_SEED})`, () => {
  it('the check finds each way out of the folder, and reads tags, not text', () => {
    const ways = [
      '<a href="https://example.com/x">',
      '<img src="http://example.com/x.png">',
      "<link rel=stylesheet href='//cdn.example.com/a.css'>",
      '<a href="../report.json">',
      '<a href="bodies/%2e%2e/%2e%2e/etc/passwd">',
      '<a href="/etc/passwd">',
      '<a href=javascript:alert(1)>',
      '<img srcset="a.png 1x, https://example.com/b.png 2x">',
      '<div style="background:url(https://example.com/bg.png)">',
      '<style>@import "https://example.com/x.css"; .a{background:url(../x.png)}</style>',
      '<meta http-equiv="refresh" content="0; url=https://example.com/">',
      '<base href="./">',
      '<script>fetch("/api")</script>',
      '<form action="file:///etc/passwd">',
      '<a href="https&#58;//example.com/">',
    ];
    for (const way of ways) expect(outsideLinks(`<p>${way}</p>`).outside, way).not.toEqual([]);
    const fine = '<a href="#main">x</a><img src="data:image/png;base64,AAAA"><a href="bodies/valid-raw-upload.png">b</a><pre>&lt;a href="https://example.com/"&gt;</pre>';
    expect(outsideLinks(fine)).toEqual({ outside: [], relative: ['bodies/valid-raw-upload.png'] });
  });

  it('the pages real runs write (and their re-rendering) link only inside their folder, to files that are there', async () => {
    const conforming = await run({}, ['empty-body-rejected']);
    // A target that refuses every raw upload: the run fails on its first case, whatever the seed draws.
    const failing = await run({ behaviour: { validateImage: async (b, type, c) => (type !== undefined ? { ok: false, reason: 'refused' } : defaultBehaviour.validateImage(b, type, c)) } }, ['valid-raw-upload']);
    expect(conforming.report.verdict).toBe('conforms');
    const cx = failing.report.rules.find((r) => r.id === 'valid-raw-upload')?.counterexample;
    expect(cx?.request.body?.file, 'the failing run saved its counterexample body').toBeDefined();
    for (const { dir } of [conforming, failing]) {
      const { outside, relative } = outsideLinks(readFileSync(join(dir, 'report.html'), 'utf8'));
      expect(outside, dir).toEqual([]);
      for (const path of relative) expect(existsSync(join(dir, decodeURIComponent(path))), `${dir}: ${path}`).toBe(true);
    }
    expect(outsideLinks(readFileSync(join(failing.dir, 'report.html'), 'utf8')).relative).toContain(cx!.request.body!.file);
    const again = mkdtempSync(join(tmpdir(), 'pic-selfcontained-'));
    scratch.push(again);
    const { html } = await writeRenderings(failing.report, again);
    expect(outsideLinks(readFileSync(html, 'utf8')).outside).toEqual([]);
  });

  it('the fixture reports, and saved-body paths edited to point outside, render with no way out', () => {
    for (const report of [conformingReport(), failingReport(), incompleteReport(), stoppedFailingReport(), embeddedReport()]) expect(outsideLinks(render(report)).outside).toEqual([]);
    for (const file of ['../../etc/passwd', 'bodies/../../x.png', '/etc/passwd', '//example.com/x', 'https://example.com/x.png', 'javascript:alert(1)', 'bodies/%2e%2e/x']) {
      const report = failingReport();
      report.rules[0]!.counterexample!.request.body!.file = file;
      report.target.url = 'https://example.com/api/v1';
      expect(outsideLinks(render(report)).outside, file).toEqual([]);
    }
  });
});
