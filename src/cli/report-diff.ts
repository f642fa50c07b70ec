/**
 * `person-image-conformance report diff OLD.json NEW.json [--json | --markdown]`: what changed
 * between two runs (src/report/diff.ts), as terminal text, a JSON object or Markdown for a
 * pull-request comment. Exit 1 when NEW has a MUST failure that OLD did not (the regression gate),
 * else 0; 2 (one line, from the CLI's main) for bad arguments or a file that is not a valid
 * report.json.
 */
import { ExitCode, UsageError } from '../errors.js';
import { diffMarkdown } from '../report/diff-markdown.js';
import { diffText } from '../report/diff-text.js';
import { diffReports } from '../report/diff.js';
import { parseFlags } from './parse.js';
import { readReport } from './report.js';

/** Parses the arguments of `report diff`, compares the two reports and writes the diff; returns the exit code. */
export async function reportDiffCommand(argv: string[], out: NodeJS.WritableStream): Promise<number> {
  const { values, positionals } = parseFlags(argv, [], { json: { type: 'boolean' }, markdown: { type: 'boolean' } });
  if (positionals.length !== 2) throw new UsageError(`report diff takes two report.json files, OLD and NEW; got ${positionals.length}`);
  if (values.json === true && values.markdown === true) throw new UsageError('report diff takes --json or --markdown, not both');
  const [oldFile, newFile] = positionals as [string, string];
  const diff = diffReports(await readReport(oldFile), await readReport(newFile), { old: oldFile, new: newFile });
  if (values.json === true) out.write(`${JSON.stringify(diff, null, 2)}\n`);
  else if (values.markdown === true) out.write(`${diffMarkdown(diff)}\n`);
  else out.write(diffText(diff));
  return diff.regressions.length > 0 ? ExitCode.doesNotConform : ExitCode.conforms;
}
