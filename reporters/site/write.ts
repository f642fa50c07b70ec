/**
 * Writes the site into a folder: each run's files under runs/<id>/ (publish.ts), then index.html
 * (written to a temporary name and renamed, so a reader never sees half a page). A folder that
 * cannot be written is a ConfigError (one line).
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError } from '../../src/errors.js';
import { renderSite } from './index.js';
import { publishRun, type PublishedRun } from './publish.js';
import type { SiteRun } from './runs.js';

export interface WrittenSite {
  index: string;
  runs: { run: SiteRun; published: PublishedRun }[];
}

async function writeIndex(siteDir: string, html: string): Promise<string> {
  const index = join(siteDir, 'index.html');
  const tmp = `${index}.${process.pid}.${Date.now().toString(36)}.tmp`;
  await writeFile(tmp, html, 'utf8');
  await rename(tmp, index);
  return index;
}

/** Writes index.html over `runs` and their files into `siteDir` (created when missing). */
export async function writeSite(runs: readonly SiteRun[], siteDir: string): Promise<WrittenSite> {
  try {
    await mkdir(siteDir, { recursive: true });
    const published: WrittenSite['runs'] = [];
    for (const run of runs) published.push({ run, published: await publishRun(run, siteDir) });
    return { index: await writeIndex(siteDir, renderSite(runs)), runs: published };
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    const err = e as NodeJS.ErrnoException;
    throw new ConfigError(`cannot write the site into ${siteDir}: ${err.code ?? err.message.split('\n')[0]}${err.path ? ` (${err.path})` : ''}`);
  }
}
