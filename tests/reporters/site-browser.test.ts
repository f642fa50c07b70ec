/**
 * The site over real runs, in headless Chromium (Debian's `chromium`, driven by playwright-core),
 * opened from disk (file://). Four runs of the engine, small and with fixed seeds (printed): one
 * against the embedded reference target, three against one loopback target that a "deploy" breaks
 * between the first and the second (empty bodies accepted, tests/broken-targets/catalogue.ts) and
 * that stays broken. The test checks the page groups the runs per target, that the matrix shows the
 * failing rule in the column of the run it started failing in (by position on the page too), the
 * verdicts over time and the latency trend, that every link resolves to a file of the site, that
 * a failed cell opens the finding in that run's report.html, and that nothing is loaded from the
 * network. A screenshot is kept in reports/screenshots/site.png.
 *
 * Without Chromium the test fails when CI is set and is skipped (with the reason) otherwise
 * (itWithTools, tests/support/tools.ts).
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { siteRun } from '../../reporters/site/runs.js';
import { writeReports } from '../../reporters/write.js';
import { reportSiteCommand } from '../../src/cli/report-site.js';
import { packageRoot } from '../../src/package-root.js';
import { parseReport } from '../../src/report/parse.js';
import type { Report } from '../../src/report/types.js';
import { runConformance } from '../../src/run/engine.js';
import { defaultBehaviour, startReferenceTarget, type RunningTarget } from '../../src/target/server.js';
import type { TargetBehaviour } from '../../src/target/types.js';
import { brokenTargets } from '../broken-targets/catalogue.js';
import { runAgainst } from '../support/run-against.js';
import { commandPath, itWithTools, requireTool } from '../support/tools.js';

const RULE = 'empty-body-rejected';
const ONLY = [RULE, 'no-signature-rejected'];
const RUNS = 8;
const SEEDS = { embedded: 101, beforeDeploy: 102, afterDeploy: 103, nextNight: 104 } as const;
console.log(`site-browser: seeds ${JSON.stringify(SEEDS)}, --runs ${RUNS}, --only ${ONLY.join(',')}`);

const args = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const screenshots = join(packageRoot, 'reports', 'screenshots');

let dir: string;
let browser: Browser | undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pic-site-browser-'));
});
afterAll(async () => {
  await browser?.close();
  await rm(dir, { recursive: true, force: true });
});

/** The broken target's behaviour while `broken()` holds, the reference behaviour otherwise: one target URL, a deploy that breaks it. */
function switchable(broken: Partial<TargetBehaviour>, isBroken: () => boolean): Partial<TargetBehaviour> {
  type Step = (...a: unknown[]) => unknown;
  const steps: Record<string, Step> = {};
  for (const [name, bad] of Object.entries(broken) as [string, Step][]) {
    const good = (defaultBehaviour as unknown as Record<string, Step>)[name]!;
    steps[name] = (...a: unknown[]) => (isBroken() ? bad : good)(...a);
  }
  return steps as Partial<TargetBehaviour>;
}

interface Runs {
  target: RunningTarget;
  embedded: Report;
  nights: Report[];
}

/** The four runs, each into its own artefact folder (artefacts/N-name/), its reports written as `run` writes them. */
async function makeRuns(): Promise<Runs> {
  const artefact = (name: string) => join(dir, 'artefacts', name);
  const embedded = await runConformance({ credentials: [], seed: SEEDS.embedded, runs: RUNS, concurrency: 4, timeoutMs: 10_000, only: ONLY, progress: false, reportDir: artefact('1-embedded') });
  await writeReports(embedded, artefact('1-embedded'));
  let broken = false;
  const target = await startReferenceTarget({ behaviour: switchable(brokenTargets[RULE]!.behaviour, () => broken) });
  try {
    const nights: Report[] = [];
    for (const [i, seed] of [SEEDS.beforeDeploy, SEEDS.afterDeploy, SEEDS.nextNight].entries()) {
      broken = i > 0;
      const night = await runAgainst(target, { only: ONLY, runs: RUNS, seed, reportDir: artefact(`${i + 2}-night`) });
      await writeReports(night, artefact(`${i + 2}-night`));
      nights.push(night);
    }
    return { target, embedded, nights };
  } finally {
    await target.close();
  }
}

/** The site id of the run written into an artefact folder. */
async function idOf(folder: string): Promise<string> {
  const file = join(dir, 'artefacts', folder, 'report.json');
  return siteRun(parseReport(JSON.parse(await readFile(file, 'utf8')), file), file).id;
}

async function open(b: Browser, url: string): Promise<{ page: Page; requests: string[]; problems: string[] }> {
  const page = await b.newPage({ viewport: { width: 1280, height: 900 } });
  const requests: string[] = [];
  const problems: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await page.goto(url, { waitUntil: 'load' });
  return { page, requests, problems };
}

/** The horizontal centre of an element on the page. */
async function centreX(page: Page, selector: string): Promise<number> {
  const box = await page.locator(selector).boundingBox();
  if (!box) throw new Error(`${selector} is not on the page`);
  return box.x + box.width / 2;
}

describe('the site over real runs in headless Chromium', () => {
  itWithTools(
    'groups per target, shows when the rule started failing, links resolve, loads nothing from the network',
    ['chromium'],
    async () => {
      const { target, embedded, nights } = await makeRuns();
      expect(embedded.verdict).toBe('conforms');
      expect(nights.map((r) => r.verdict)).toEqual(['conforms', 'does-not-conform', 'does-not-conform']);
      expect(nights.map((r) => r.rules.find((x) => x.id === RULE)!.status)).toEqual(['pass', 'fail', 'fail']);

      const site = join(dir, 'site');
      const out = new PassThrough();
      expect(await reportSiteCommand({ inputs: [join(dir, 'artefacts')], outDir: site, out })).toBe(0);
      const ids = await Promise.all(['2-night', '3-night', '4-night'].map(idOf));
      const embeddedId = await idOf('1-embedded');

      browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? commandPath('chromium') ?? requireTool('chromium'), args, headless: true });
      const index = await open(browser, pathToFileURL(join(site, 'index.html')).href);
      const { page } = index;
      await mkdir(screenshots, { recursive: true });
      await page.screenshot({ path: join(screenshots, 'site.png'), fullPage: true });

      // Per target: the installation first, then the embedded reference target.
      expect(await page.locator('#target-1-h').innerText()).toBe(target.url);
      expect(await page.locator('#target-2-h').innerText()).toBe('Embedded reference target');
      expect(await page.locator('#target-1 .timeline a').evaluateAll((as) => as.map((a) => a.getAttribute('data-verdict')))).toEqual(['conforms', 'does-not-conform', 'does-not-conform']);

      // The matrix: the columns in time order, the failing rule failing from the broken run on.
      const matrix = '#target-1-matrix';
      expect(await page.locator(`${matrix} th.run-col`).evaluateAll((ths) => ths.map((th) => th.getAttribute('data-run')))).toEqual(ids);
      const row = page.locator(`${matrix} tr[data-rule="${RULE}"]`);
      expect(await row.locator('td.cell').evaluateAll((tds) => tds.map((td) => td.getAttribute('data-status')))).toEqual(['pass', 'fail', 'fail']);
      const firstFail = `${matrix} tr[data-rule="${RULE}"] td.cell[data-run="${ids[1]}"]`;
      expect(await page.locator(firstFail).innerText()).toContain('✗');
      expect(await page.locator(firstFail).isVisible()).toBe(true);
      // On the page, that cell stands under the broken run's column heading, not its neighbours'.
      const x = await centreX(page, firstFail);
      const columns = await Promise.all(ids.map((id) => centreX(page, `${matrix} th.run-col[data-run="${id}"]`)));
      const nearest = columns.map((c, i) => [Math.abs(c - x), i] as const).sort((a, b) => a[0] - b[0])[0]![1];
      expect(nearest).toBe(1);
      expect(await row.locator('td.now').innerText()).toContain('since run 2');
      expect(await page.locator(`${matrix} tr[data-rule="no-signature-rejected"] td.cell`).evaluateAll((tds) => tds.map((td) => td.getAttribute('data-status')))).toEqual(['pass', 'pass', 'pass']);
      expect(await page.locator(`#target-2-matrix tr[data-rule="${RULE}"] td.cell`).getAttribute('data-run')).toBe(embeddedId);

      // The latency trend: p50 and p95 of each of the three runs.
      expect(await page.locator('#target-1-trend circle').count()).toBe(6);

      // Every link resolves to a file of the site.
      const hrefs = await page.locator('a[href]').evaluateAll((as) => as.map((a) => (a as unknown as { href: string }).href));
      const files = [...new Set(hrefs.filter((h) => !h.startsWith(`${page.url()}#`)).map((h) => h.replace(/#.*$/, '')))];
      expect(files).toHaveLength(12); // 4 runs x report.html, report.json, junit.xml
      for (const f of files) {
        expect(f).toMatch(/^file:/);
        expect(existsSync(fileURLToPath(f)), f).toBe(true);
      }

      // A failed cell opens the finding in that run's own report.html.
      await page.locator(`${firstFail} a`).click();
      await page.waitForURL(/report\.html#finding-\d+$/);
      expect(page.url()).toContain(`/runs/${ids[1]}/report.html#finding-`);
      const finding = page.locator(`#${page.url().split('#')[1]!}`);
      expect(await finding.innerText()).toContain(RULE);
      // Its counterexample's body was copied along: the report's link to it resolves too.
      const body = await finding.locator('a[href^="bodies/"]').first().evaluate((a) => (a as unknown as { href: string }).href);
      expect(existsSync(fileURLToPath(body)), body).toBe(true);
      await expect.poll(() => page.locator('#verdict h2').innerText()).toContain('Does not conform');

      expect(index.requests.every((u) => u.startsWith('file:') || u.startsWith('data:')), index.requests.join('\n')).toBe(true);
      expect(index.problems).toEqual([]);
      await page.close();
    },
    300_000,
  );
});
