/**
 * What a run leaves for GitHub Actions beside its report files: with GITHUB_STEP_SUMMARY set (the
 * file a job's summary is read from), it appends the run's Markdown summary; with
 * GITHUB_ACTIONS=true, it prints the annotations (workflow commands, on stdout, where the runner
 * reads them). The step outputs (verdict, report-dir, exit-code) are the action's step's work
 * (action.yml), not this. Only the report is read, never the environment's credentials.
 */
import { appendFile } from 'node:fs/promises';
import type { Report } from '../report/types.js';
import { renderAnnotations } from './annotations.js';
import { renderStepSummary } from './step-summary.js';

/**
 * Appends the summary and prints the annotations, as the environment asks. A summary file that
 * cannot be written costs a warning on `err`, never the verdict or the exit code.
 */
export async function writeGithubActionsOutput(report: Report, reportDir: string, env: NodeJS.ProcessEnv, out: NodeJS.WritableStream, err: NodeJS.WritableStream = process.stderr): Promise<void> {
  const summaryFile = env.GITHUB_STEP_SUMMARY;
  if (summaryFile) {
    try {
      await appendFile(summaryFile, renderStepSummary(report, reportDir), 'utf8');
    } catch (e) {
      err.write(`warning: GITHUB_STEP_SUMMARY ${summaryFile} cannot be written (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); the job summary is left out\n`);
    }
  }
  if (env.GITHUB_ACTIONS === 'true') out.write(renderAnnotations(report));
}
