/**
 * Writes the report files into one folder: report.json (stamped with its sha256), report.html,
 * junit.xml and ctrf.json, and exchanges.har of the counterexamples when asked (`run --har`).
 * The engine calls this at the end of a run; `report FILE...` calls it after merging. Each file
 * is written to a temporary name first and renamed, so a reader never sees half a file.
 */
import { mkdir, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError } from '../src/errors.js';
import { stampReport } from '../src/report/canonical.js';
import type { Report } from '../src/report/types.js';
import { renderCtrf } from './ctrf.js';
import { exchangesHarFileName, renderCounterexampleHar } from './har.js';
import { render as renderHtml } from './html.js';
import { renderJunit } from './junit.js';

const reportFileNames = { json: 'report.json', html: 'report.html', junit: 'junit.xml', ctrf: 'ctrf.json' } as const;

async function writeAtomically(path: string, content: string): Promise<void> {
  const tmp = `${path}.${process.pid}.${Date.now().toString(36)}.tmp`;
  await writeFile(tmp, content, 'utf8');
  await rename(tmp, path);
}

/**
 * Makes sure the reports can be written into `dir` (created when missing), before a run sends its
 * first request: a long run must not end in a folder it cannot write. Throws ConfigError.
 */
export async function assertWritableDir(dir: string): Promise<void> {
  const probe = join(dir, `.write-probe.${process.pid}.tmp`);
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(probe, '');
    await unlink(probe);
  } catch (e) {
    throw new ConfigError(`--report-dir ${dir} cannot be written: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** Writes report.html, junit.xml and ctrf.json for a report (as it is: no stamping). */
export async function writeRenderings(report: Report, dir: string): Promise<{ html: string; junit: string; ctrf: string }> {
  await mkdir(dir, { recursive: true });
  const html = join(dir, reportFileNames.html);
  const junit = join(dir, reportFileNames.junit);
  const ctrf = join(dir, reportFileNames.ctrf);
  await writeAtomically(html, renderHtml(report));
  await writeAtomically(junit, renderJunit(report));
  await writeAtomically(ctrf, renderCtrf(report));
  return { html, junit, ctrf };
}

/** Writes exchanges.har of the report's counterexamples (`run --har`) into `dir`. */
export async function writeCounterexampleHar(report: Report, dir: string): Promise<string> {
  const har = join(dir, exchangesHarFileName);
  await writeAtomically(har, renderCounterexampleHar(report));
  return har;
}

/** Stamps `report.sha256` and writes report.json, report.html, junit.xml and ctrf.json into `dir`. */
export async function writeReports(report: Report, dir: string): Promise<{ json: string; html: string; junit: string; ctrf: string }> {
  stampReport(report);
  await mkdir(dir, { recursive: true });
  const json = join(dir, reportFileNames.json);
  await writeAtomically(json, `${JSON.stringify(report, null, 2)}\n`);
  const renderings = await writeRenderings(report, dir);
  return { json, ...renderings };
}
