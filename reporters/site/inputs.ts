/**
 * The report.json files a site is made from: each path given is a report.json file (any name),
 * a folder holding report.json (one run, e.g. a run's report folder), or a folder searched, to any
 * depth, for folders that hold one (e.g. a folder of nightly artefacts, or an earlier site's
 * runs/). Hidden folders, node_modules and symbolic links inside a searched folder are skipped.
 * A path that does not exist, or a folder with no report.json anywhere, is a ConfigError.
 */
import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ConfigError } from '../../src/errors.js';

const reportFile = 'report.json';

async function kindOf(path: string): Promise<'file' | 'dir' | 'other' | undefined> {
  try {
    const s = await stat(path);
    return s.isFile() ? 'file' : s.isDirectory() ? 'dir' : 'other';
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ConfigError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message.split('\n')[0]}`);
  }
}

async function entriesOf(dir: string): Promise<Dirent[]> {
  try {
    return (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch (e) {
    throw new ConfigError(`cannot read the folder ${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message.split('\n')[0]}`);
  }
}

/** The report.json of `dir`, or else those of the folders in it (sorted by name), depth first. */
async function search(dir: string, found: string[]): Promise<void> {
  const entries = await entriesOf(dir);
  if (entries.some((e) => e.isFile() && e.name === reportFile)) {
    found.push(join(dir, reportFile));
    return;
  }
  for (const e of entries) {
    if (e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules') await search(join(dir, e.name), found);
  }
}

/** The report.json files of `paths`, in the order given, each once. */
export async function findReportFiles(paths: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const path of paths) {
    const kind = await kindOf(path);
    if (kind === undefined) throw new ConfigError(`cannot read ${path}: no such file or folder`);
    if (kind === 'other') throw new ConfigError(`${path} is neither a report.json file nor a folder`);
    if (kind === 'file') {
      found.push(path);
      continue;
    }
    const before = found.length;
    await search(path, found);
    if (found.length === before) throw new ConfigError(`${path} holds no report.json (nor does any folder in it)`);
  }
  const seen = new Set<string>();
  return found.filter((f) => {
    const key = resolve(f);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
