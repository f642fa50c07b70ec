/**
 * Writes the three report files into one folder: report.json (stamped with its sha256),
 * report.html and junit.xml. The engine calls this at the end of a run; `report FILE...`
 * calls it after merging. Each file is written to a temporary name first and renamed, so a
 * reader never sees half a file.
 */
import { mkdir, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError } from '../src/errors.js';
import { stampReport } from '../src/report/canonical.js';
import type { Report } from '../src/report/types.js';
import { render as renderHtml } from './html.js';
import { renderJunit } from './junit.js';

const reportFileNames = { json: 'report.json', html: 'report.html', junit: 'junit.xml' } as const;

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

/** Writes report.html and junit.xml for a report (as it is: no stamping). */
export async function writeRenderings(report: Report, dir: string): Promise<{ html: string; junit: string }> {
  await mkdir(dir, { recursive: true });
  const html = join(dir, reportFileNames.html);
  const junit = join(dir, reportFileNames.junit);
  await writeAtomically(html, renderHtml(report));
  await writeAtomically(junit, renderJunit(report));
  return { html, junit };
}

/** Stamps `report.sha256` and writes report.json, report.html and junit.xml into `dir`. */
export async function writeReports(report: Report, dir: string): Promise<{ json: string; html: string; junit: string }> {
  stampReport(report);
  await mkdir(dir, { recursive: true });
  const json = join(dir, reportFileNames.json);
  await writeAtomically(json, `${JSON.stringify(report, null, 2)}\n`);
  const { html, junit } = await writeRenderings(report, dir);
  return { json, html, junit };
}
