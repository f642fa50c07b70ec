/** The state of one conformance run, shared by its phases (survey, top-up, shrinking, stops). */
import type { CheckContext } from '../checks/types.js';
import type { RunConfig } from '../config/run-config.js';
import type { CaseBuilder } from '../generate/case-builder.js';
import type { RunStop } from '../report/types.js';
import type { Rule } from '../spec/rules.js';
import type { Redactor } from '../transport/redact.js';
import type { ExecutionContext } from './execute.js';
import type { Progress } from './progress.js';
import type { RunResults } from './results.js';
import type { OpenTarget } from './target.js';

export interface RunState {
  config: RunConfig;
  target: OpenTarget;
  rules: readonly Rule[];
  selected: Set<string>;
  checkCtx: CheckContext;
  exec: ExecutionContext;
  results: RunResults;
  redactor: Redactor;
  progress: Progress;
  signal?: AbortSignal;
  maxShrinkRequests: number;
  builder: CaseBuilder;
  /** Families whose survey and top-up ran to their end. */
  finished: Set<string>;
  /** Cases sent but not judged: the connection was refused (the target was away), which says nothing about a rule. */
  unjudged: number;
  stop?: RunStop;
  /** What the run did beside testing (report.notes), redacted. */
  notes: string[];
}

/** Whether no new case may start: a signal, a stop, or the upload budget spent. */
export function halted(s: RunState): boolean {
  return Boolean(s.signal?.aborted) || s.stop !== undefined || s.exec.session.budgetExhausted;
}
