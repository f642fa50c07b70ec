/**
 * `person-image-conformance report FILE...`: re-renders report.html and junit.xml from one
 * report.json, or merges the report.json files of sharded runs into one report (json, html,
 * junit) in `outDir`. `report --verify FILE...` tells whether each report.json still matches its
 * sha256 ("untouched", exit 0) or not ("edited", exit 1).
 *
 * Exit code of a render or merge: 0 when the (merged) verdict conforms, with or without
 * warnings; 1 when it does not conform; 2 when it is incomplete (the run, or a merged shard,
 * stopped before it could judge every rule). The verdict line names why a run stopped. Unreadable,
 * non-JSON or malformed files throw ConfigError (one line). Argument parsing lives in the CLI's main.
 */
import { readFile } from 'node:fs/promises';
import { ConfigError, ExitCode, UsageError } from '../errors.js';
import { checkReport } from '../report/canonical.js';
import { mergeReports } from '../report/merge.js';
import { parseReport } from '../report/parse.js';
import type { Report } from '../report/types.js';
import { writeRenderings, writeReports } from '../../reporters/write.js';

async function readJson(file: string): Promise<unknown> {
  let raw: string;
  try {
    raw = await readFile(file, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new ConfigError(`cannot read ${file}: ${err.code === 'ENOENT' ? 'no such file' : (err.message.split('\n')[0] ?? String(e))}`);
  }
  try {
    return JSON.parse(raw.replace(/^\uFEFF/, '')) as unknown;
  } catch (e) {
    throw new ConfigError(`${file} is not valid JSON: ${(e as Error).message.split('\n')[0]}`);
  }
}

/** Reads and validates one report.json. */
export async function readReport(file: string): Promise<Report> {
  return parseReport(await readJson(file), file);
}

function line(out: NodeJS.WritableStream, s: string): void {
  out.write(`${s}\n`);
}

/** The exit code of an incomplete verdict (2): like a run that stopped before it could judge the target, never 0. */
const incompleteExitCode = ExitCode.usage;

function exitFor(report: Report): number {
  if (report.verdict === 'does-not-conform') return ExitCode.doesNotConform;
  if (report.verdict === 'incomplete') return incompleteExitCode;
  return ExitCode.conforms;
}

/** A string from a report file, safe on a terminal: one line, no control or bidi characters. */
function oneLine(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]+/g, ' ').trim();
}

/** `verdict: ...`, with why the run stopped when it did; warnings for an embedded target and a failed restore. */
function verdictLines(out: NodeJS.WritableStream, report: Report): void {
  const stop = report.stop;
  line(
    out,
    stop
      ? `verdict: ${report.verdict} (the run stopped early, ${oneLine(stop.kind)} after ${stop.afterRequests} requests: ${oneLine(stop.reason)})`
      : `verdict: ${report.verdict}`,
  );
  if (report.target.embedded) {
    line(out, 'warning: run against the embedded reference target, not an installation: this report certifies nothing about a SuperOffice installation');
  }
  if (report.restore?.outcome === 'failed') {
    line(out, `warning: the person's image was not restored: ${oneLine(report.restore.message)}`);
  }
}

export async function reportCommand(opts: { files: string[]; outDir: string; verify: boolean; out: NodeJS.WritableStream }): Promise<number> {
  const { files, outDir, verify, out } = opts;
  if (files.length === 0) throw new UsageError('report: name at least one report.json');
  if (verify) return verifyReports(files, out);
  const reports: Report[] = [];
  for (const file of files) reports.push(await readReport(file));
  if (reports.length === 1) return renderReport(reports[0]!, files[0]!, outDir, out);
  return mergeAndRender(reports, files, outDir, out);
}

/** `report --verify`: one line per file, untouched or edited; 1 when any was edited. */
async function verifyReports(files: readonly string[], out: NodeJS.WritableStream): Promise<number> {
  let edited = 0;
  for (const file of files) {
    const raw = await readJson(file);
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      throw new ConfigError(`${file} is not a report.json: it is not a JSON object`);
    }
    const result = checkReport(raw as Report);
    if (result.status === 'untouched') {
      line(out, `${file}: untouched (sha256 ${result.sha256})`);
    } else {
      edited++;
      line(
        out,
        result.recorded === undefined
          ? `${file}: edited (it records no sha256; its content hashes to ${result.actual})`
          : `${file}: edited (it records sha256 ${result.recorded}, its content hashes to ${result.actual})`,
      );
    }
  }
  return edited === 0 ? 0 : 1;
}

/** Re-renders report.html and junit.xml of one report (an edited one is rendered, with a warning). */
async function renderReport(report: Report, file: string, outDir: string, out: NodeJS.WritableStream): Promise<number> {
  const check = checkReport(report);
  const { html, junit } = await writeRenderings(report, outDir);
  if (check.status === 'edited') {
    line(out, `warning: ${file} does not match its sha256 (edited after the run); report.html says so`);
  }
  line(out, `wrote ${html}`);
  line(out, `wrote ${junit}`);
  verdictLines(out, report);
  return exitFor(report);
}

/** Merges untouched shard reports and writes the merged json, html and junit. */
async function mergeAndRender(reports: readonly Report[], files: readonly string[], outDir: string, out: NodeJS.WritableStream): Promise<number> {
  // Merging launders whatever went in: refuse inputs that were changed after their run.
  for (const [i, report] of reports.entries()) {
    const check = checkReport(report);
    if (check.status === 'edited') {
      throw new ConfigError(
        `cannot merge: ${files[i]} ${check.recorded === undefined ? 'records no sha256' : 'does not match its sha256 (edited after the run)'}; check it with report --verify`,
      );
    }
  }
  const merged = mergeReports(reports, files);
  const written = await writeReports(merged, outDir);
  line(out, `merged ${files.length} reports`);
  line(out, `wrote ${written.json}`);
  line(out, `wrote ${written.html}`);
  line(out, `wrote ${written.junit}`);
  verdictLines(out, merged);
  return exitFor(merged);
}
