/**
 * report.html in a real browser: headless Chromium (Debian's `chromium`) driven by
 * playwright-core. Opens the page from disk (file://) for a conforming and a failing report,
 * checks the verdict banner, the status filter by keyboard, a counterexample (curl line and
 * thumbnail), the print layout, and that the page loads nothing from the network and runs no
 * injected script. Screenshots are kept in reports/screenshots/.
 *
 * Without Chromium the tests fail when CI is set and are skipped (with the reason) otherwise.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { writeReports } from '../../reporters/write.js';
import { packageRoot } from '../../src/package-root.js';
import type { Report } from '../../src/report/types.js';
import { conformingReport, failingReport } from '../fixtures/reports.js';
import { brokenTargets } from '../broken-targets/catalogue.js';
import { runAgainstBehaviour } from '../support/run-against.js';
import { commandPath, inCi } from '../support/tools.js';

/** CHROMIUM_PATH, else `chromium` on PATH (the command .ci/run checks and installs). */
const executablePath = process.env.CHROMIUM_PATH ?? commandPath('chromium') ?? '/usr/bin/chromium';
const available = existsSync(executablePath);
const missing = `headless Chromium not found at ${executablePath}: install it with \`apt-get install -y chromium\` (or set CHROMIUM_PATH)`;
const args = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const screenshots = join(packageRoot, 'reports', 'screenshots');

if (!available && !inCi) {
  console.warn(`[report-browser] skipped: ${missing}`);
}

let browser: Browser | undefined;
let dir: string;

function needBrowser(ctx: TestContext): Browser {
  if (!available) {
    if (inCi) throw new Error(`CI is set but ${missing}`);
    ctx.skip(missing);
  }
  if (!browser) throw new Error('Chromium did not start');
  return browser;
}

interface Opened {
  page: Page;
  requests: string[];
  problems: string[];
}

async function open(b: Browser, report: Report, name: string): Promise<Opened> {
  const { html } = await writeReports(report, join(dir, name));
  const page = await b.newPage({ viewport: { width: 1280, height: 900 } });
  const requests: string[] = [];
  const problems: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await page.goto(pathToFileURL(html).href, { waitUntil: 'load' });
  return { page, requests, problems };
}

const visibleRows = (page: Page) => page.locator('#rules-table tbody tr[data-status]:visible');

function expectClean(o: Opened): void {
  // No network: the page itself (file:) and its inline images (data:) only.
  for (const url of o.requests) expect(url, url).toMatch(/^(file|data):/);
  // No CSP violation, no script error, no injected script ran.
  expect(o.problems).toEqual([]);
}

describe('report.html in headless Chromium', () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pic-browser-'));
    await mkdir(screenshots, { recursive: true });
    if (available) browser = await chromium.launch({ executablePath, args, headless: true });
  });
  afterAll(async () => {
    await browser?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('a failing report: verdict, keyboard filter, counterexamples, print layout', async (ctx) => {
    const b = needBrowser(ctx);
    const report = failingReport();
    const o = await open(b, report, 'failing');
    const { page } = o;

    await expect.poll(() => page.locator('#verdict h2').innerText()).toContain('Does not conform');
    expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
    await page.screenshot({ path: join(screenshots, 'failing.png'), fullPage: true });

    // The status filter, by keyboard only: arrow keys move through the radio group.
    const total = report.rules.length;
    const count = (s: string): number => report.rules.filter((r) => r.status === s).length;
    expect(await visibleRows(page).count()).toBe(total);
    await page.getByRole('radio', { name: /^All/ }).focus();
    await page.keyboard.press('ArrowRight');
    expect(await page.getByRole('radio', { name: /^Fail/ }).isChecked()).toBe(true);
    expect(await visibleRows(page).count()).toBe(count('fail'));
    for (const status of await visibleRows(page).evaluateAll((rows) => rows.map((r) => r.getAttribute('data-status')))) expect(status).toBe('fail');
    await expect.poll(() => page.locator('#filter-status').innerText()).toBe(`Showing ${count('fail')} of ${total} rules: status fail.`);
    await page.locator('#rules').screenshot({ path: join(screenshots, 'failing-filter-fail.png') });
    await page.keyboard.press('ArrowRight');
    expect(await visibleRows(page).count()).toBe(count('warn'));
    expect(await page.locator('#rules-table tr[data-status="pass"]').first().isHidden()).toBe(true);
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    expect(await page.getByRole('radio', { name: /^All/ }).isChecked()).toBe(true);
    expect(await visibleRows(page).count()).toBe(total);
    await expect.poll(() => page.locator('#filter-status').innerText()).toBe(`Showing all ${total} rules.`);

    // Open the first counterexample by keyboard: curl line and the PNG thumbnail.
    const rawIndex = report.rules.findIndex((r) => r.counterexample?.request.body?.mediaType === 'image/png' && r.counterexample.request.body.imageBase64);
    const cx = page.locator(`#finding-${rawIndex + 1}`);
    expect(await cx.locator('.cx-body').isVisible()).toBe(false);
    await cx.locator(':scope > summary').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => cx.getAttribute('open')).not.toBeNull();
    const curl = cx.locator('code[id$="-curl"]');
    expect(await curl.isVisible()).toBe(true);
    expect(await curl.innerText()).toBe(report.rules[rawIndex]!.counterexample!.curl);
    const thumb = cx.locator('img.thumb');
    expect(await thumb.isVisible()).toBe(true);
    expect(await thumb.evaluate((img) => [(img as unknown as { naturalWidth: number }).naturalWidth, (img as unknown as { naturalHeight: number }).naturalHeight])).toEqual([17, 13]);
    await expect.poll(() => cx.locator('figcaption').innerText()).toContain('17 × 13 px');
    await cx.screenshot({ path: join(screenshots, 'failing-counterexample-png.png') });

    // A TIFF does not decode in Chromium: the page says so and shows the hex preview.
    const tiffIndex = report.rules.findIndex((r) => r.counterexample?.request.body?.mediaType === 'image/tiff');
    const tiff = page.locator(`#finding-${tiffIndex + 1}`);
    await tiff.locator(':scope > summary').click();
    await expect.poll(() => tiff.locator('figure').getAttribute('class')).toContain('broken');
    expect(await tiff.locator('figcaption').innerText()).toContain('cannot display image/tiff');
    expect(await tiff.locator('pre.hex').isVisible()).toBe(true);
    expect(await tiff.locator('pre.hex').innerText()).toMatch(/^00000000 {2}4d 4d 00 2a/);

    // A hex-only body shows its hex without a thumbnail.
    const hexIndex = report.rules.findIndex((r) => r.counterexample?.request.body?.hex && !r.counterexample.request.body.imageBase64);
    const hex = page.locator(`#finding-${hexIndex + 1}`);
    await page.locator(`#rule-${hexIndex + 1} a.cx-link`).click(); // the table's link opens it
    await expect.poll(() => hex.getAttribute('open')).not.toBeNull();
    expect(await hex.locator('img').count()).toBe(0);
    expect(await hex.locator('pre.hex').first().innerText()).toContain('|%PDF-1.7');
    await tiff.screenshot({ path: join(screenshots, 'failing-counterexample-tiff.png') });

    // Pact results are there.
    expect(await page.locator('#pact h2').innerText()).toBe('Pact verification');

    // Print: the filter is hidden, every row and every counterexample shown, even closed ones.
    const fresh = await b.newPage({ viewport: { width: 1280, height: 900 } });
    await fresh.goto(page.url());
    await fresh.getByRole('radio', { name: /^Fail/ }).check();
    await fresh.emulateMedia({ media: 'print' });
    expect(await fresh.locator('fieldset.filter').isVisible()).toBe(false);
    expect(await visibleRows(fresh).count()).toBe(total);
    for (const d of await fresh.locator('details.cx').all()) expect(await d.locator('.cx-body').isVisible()).toBe(true);
    await fresh.screenshot({ path: join(screenshots, 'failing-print.png'), fullPage: true });
    await fresh.pdf({ path: join(screenshots, 'failing.pdf'), format: 'A4' });
    await fresh.close();

    expectClean(o);
    await page.close();
  });

  it('a conforming report: verdict, empty filter result announced, no pact section', async (ctx) => {
    const b = needBrowser(ctx);
    const report = conformingReport();
    const o = await open(b, report, 'conforming');
    const { page } = o;
    await expect.poll(() => page.locator('#verdict h2').innerText()).toMatch(/Conforms$/);
    await page.screenshot({ path: join(screenshots, 'conforming.png'), fullPage: true });

    await page.getByRole('radio', { name: /^All/ }).focus();
    await page.keyboard.press('ArrowRight'); // Fail
    expect(await visibleRows(page).count()).toBe(0);
    expect(await page.locator('#rules-empty').isVisible()).toBe(true);
    await expect.poll(() => page.locator('#filter-status').innerText()).toBe(`Showing 0 of ${report.rules.length} rules: status fail.`);
    await page.keyboard.press('ArrowRight'); // Warn
    await page.keyboard.press('ArrowRight'); // Pass
    expect(await visibleRows(page).count()).toBe(report.rules.filter((r) => r.status === 'pass').length);
    expect(await page.locator('#rules-empty').isVisible()).toBe(false);
    await page.keyboard.press('ArrowRight'); // Not run
    expect(await visibleRows(page).count()).toBe(1);
    await page.locator('#rules').screenshot({ path: join(screenshots, 'conforming-filter-not-run.png') });

    expect(await page.locator('#pact').count()).toBe(0);
    expect(await page.locator('details.cx').count()).toBe(0);
    expectClean(o);
    await page.close();
  });

  it('a real run against a broken target: the failing rule, its smallest request and its replay, without reading JSON', async (ctx) => {
    const b = needBrowser(ctx);
    const rule = 'empty-body-rejected';
    const report = await runAgainstBehaviour({ behaviour: brokenTargets[rule]!.behaviour }, { only: [rule, 'no-signature-rejected'], runs: 30, seed: 4 });
    const o = await open(b, report, 'broken-run');
    const { page } = o;
    await expect.poll(() => page.locator('#verdict h2').innerText()).toContain('Does not conform');
    await page.getByRole('radio', { name: /^Fail/ }).check();
    expect(await visibleRows(page).count()).toBe(1);
    expect(await visibleRows(page).first().innerText()).toContain(rule);
    const index = report.rules.findIndex((r) => r.id === rule);
    const cx = page.locator(`#finding-${index + 1}`);
    await cx.locator(':scope > summary').click();
    const ce = report.rules[index]!.counterexample!;
    expect(ce.request.body?.size).toBe(0); // shrunk to the empty body itself
    expect(await cx.innerText()).toContain(ce.description);
    expect(await cx.locator('code[id$="-curl"]').innerText()).toBe(ce.curl);
    expect(await cx.locator('code[id$="-cli"]').innerText()).toContain(`--only ${rule}`);
    await cx.screenshot({ path: join(screenshots, 'broken-run-counterexample.png') });
    expectClean(o);
    await page.close();
  });
});
