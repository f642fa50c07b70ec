/**
 * `person-image-conformance report site DIR... --out SITE`: a static site over many runs. Each
 * input is a report.json or a folder holding one (or folders of them: reporters/site/inputs.ts);
 * each is read and validated (src/report/parse.ts), so an invalid one is one ConfigError line
 * naming the file (exit 2). The same run given twice is shown once. Writes SITE/index.html and
 * SITE/runs/<id>/ (reporters/site/); exit 0 once written, whatever the verdicts.
 */
import { ExitCode, UsageError } from '../errors.js';
import { findReportFiles } from '../../reporters/site/inputs.js';
import { groupByTarget, siteRun, type SiteRun } from '../../reporters/site/runs.js';
import { writeSite } from '../../reporters/site/write.js';
import { readReport } from './report.js';

function line(out: NodeJS.WritableStream, s: string): void {
  out.write(`${s}\n`);
}

/** Reads the runs of `files`, each once (the same content twice is the same run). */
async function readRuns(files: readonly string[], out: NodeJS.WritableStream): Promise<SiteRun[]> {
  const byId = new Map<string, SiteRun>();
  for (const file of files) {
    const run = siteRun(await readReport(file), file);
    const same = byId.get(run.id);
    if (same) {
      line(out, `skipped ${file}: the same run as ${same.file}`);
      continue;
    }
    byId.set(run.id, run);
  }
  return [...byId.values()];
}

export async function reportSiteCommand(opts: { inputs: string[]; outDir: string | undefined; out: NodeJS.WritableStream }): Promise<number> {
  const { inputs, outDir, out } = opts;
  if (inputs.length === 0) throw new UsageError('report site needs at least one report.json or folder');
  if (outDir === undefined || outDir.trim() === '') throw new UsageError('report site needs --out SITE (the folder to write the site into)');
  const runs = await readRuns(await findReportFiles(inputs), out);
  const written = await writeSite(runs, outDir);
  for (const { run, published } of written.runs) {
    if (!run.untouched) line(out, `warning: ${run.file} does not match its sha256 (edited after the run); the site says so`);
    if (published.rendered.length > 0) line(out, `${run.file}: ${published.rendered.join(' and ')} rendered from it (none beside it)`);
    if (published.missingBodies.length > 0) line(out, `${run.file}: ${published.missingBodies.length} counterexample body files are not beside it; its report.html links to them in vain`);
  }
  const targets = groupByTarget(runs).length;
  line(out, `wrote ${written.index}: ${runs.length} run${runs.length === 1 ? '' : 's'} of ${targets} target${targets === 1 ? '' : 's'}`);
  return ExitCode.conforms;
}
