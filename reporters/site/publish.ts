/**
 * Puts one run's files into the site, under runs/<id>/, so every link of index.html is relative:
 * report.json as it was read (byte for byte, so `report --verify` still holds), report.html and
 * junit.xml copied from beside it, and the counterexample bodies its report.html links to
 * (bodies/...). A report.json that is not named report.json, or has no report.html or junit.xml
 * beside it, gets them rendered from it. A run already in place (an earlier site's runs/ given
 * as input) is left as it is.
 */
import { copyFile, mkdir, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { BodyPreview, Report } from '../../src/report/types.js';
import { render as renderHtml } from '../html.js';
import { renderJunit } from '../junit.js';
import type { SiteRun } from './runs.js';

export interface PublishedRun {
  /** The folder of the run in the site. */
  dir: string;
  /** The files rendered from report.json because they were not beside it. */
  rendered: string[];
  /** Counterexample body files the report names that were not beside it. */
  missingBodies: string[];
}

/** The same condition report.html links a body file by: a plain relative path inside the run's folder. */
const plainRelativePath = /^(?!\/)(?!.*(?:^|\/)\.\.(?:\/|$))[A-Za-z0-9._\-/]+$/;

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** The body files the report's counterexamples name (request and response), each once. */
function bodyFiles(report: Report): string[] {
  const files = new Set<string>();
  const add = (b: BodyPreview | undefined) => {
    if (b?.file && plainRelativePath.test(b.file)) files.add(b.file);
  };
  for (const r of report.rules) {
    add(r.counterexample?.request.body);
    add(r.counterexample?.response?.body);
  }
  return [...files];
}

const renderers = { 'report.html': renderHtml, 'junit.xml': renderJunit } as const;

/** Copies report.html and junit.xml from beside a report.json named so, or renders them. */
async function placeRenderings(run: SiteRun, from: string, to: string): Promise<string[]> {
  const rendered: string[] = [];
  for (const name of ['report.html', 'junit.xml'] as const) {
    const source = join(from, name);
    if (basename(run.file) === 'report.json' && (await isFile(source))) {
      if (resolve(source) !== resolve(to, name)) await copyFile(source, join(to, name));
    } else {
      await writeFile(join(to, name), renderers[name](run.report), 'utf8');
      rendered.push(name);
    }
  }
  return rendered;
}

/** Copies the counterexample bodies beside the report into the run's folder; returns those missing. */
async function placeBodies(report: Report, from: string, to: string): Promise<string[]> {
  const missing: string[] = [];
  for (const file of bodyFiles(report)) {
    const source = join(from, file);
    if (!(await isFile(source))) {
      missing.push(file);
      continue;
    }
    if (resolve(source) === resolve(to, file)) continue;
    await mkdir(dirname(join(to, file)), { recursive: true });
    await copyFile(source, join(to, file));
  }
  return missing;
}

/** Puts the run's files into `siteDir`/runs/<id>/. */
export async function publishRun(run: SiteRun, siteDir: string): Promise<PublishedRun> {
  const dir = join(siteDir, 'runs', run.id);
  const from = dirname(run.file);
  await mkdir(dir, { recursive: true });
  if (resolve(run.file) !== resolve(dir, 'report.json')) await copyFile(run.file, join(dir, 'report.json'));
  const rendered = await placeRenderings(run, from, dir);
  const missingBodies = await placeBodies(run.report, from, dir);
  return { dir, rendered, missingBodies };
}
