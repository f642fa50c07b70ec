/**
 * The annotations a run leaves on a GitHub Actions job (with GITHUB_ACTIONS=true): an `::error`
 * per failing rule, a `::warning` per warned rule, an `::error` per pact interaction that does
 * not hold, and the stop of a run that could not finish. Everything comes from the report,
 * which is redacted: no credential can reach a log this way.
 */
import type { PactResult, Report, RuleResult } from '../report/types.js';
import { workflowCommand } from './workflow-command.js';

/** The rule, why it broke, its counterexample and the command that replays it, one per line. */
function ruleMessage(rule: RuleResult): string {
  const lines = [`${rule.title} (${rule.level}): ${rule.message ?? `${rule.failures + rule.warnings} of ${rule.cases} cases`}`];
  if (rule.counterexample) {
    lines.push(`counterexample: ${rule.counterexample.description}`);
    lines.push(`replay: ${rule.counterexample.replay}`);
  }
  return lines.join('\n');
}

function pactAnnotations(pact: PactResult): string[] {
  return pact.interactions
    .filter((i) => i.status === 'fail')
    .map((i) => workflowCommand('error', { title: `pact ${pact.consumer} → ${pact.provider}` }, `${pact.file}: ${i.description}${i.providerState ? ` (given ${i.providerState})` : ''}${i.message ? `: ${i.message}` : ''}`));
}

/** The workflow commands for a report, one per line; empty when nothing failed, warned or stopped. */
export function renderAnnotations(report: Report): string {
  const lines: string[] = [];
  for (const rule of report.rules) {
    if (rule.status === 'fail') lines.push(workflowCommand('error', { title: rule.id }, ruleMessage(rule)));
    else if (rule.status === 'warn') lines.push(workflowCommand('warning', { title: rule.id }, ruleMessage(rule)));
  }
  for (const pact of report.pact ?? []) lines.push(...pactAnnotations(pact));
  if (report.stop) {
    // An incomplete run is the failure itself; after a MUST failure the stop only explains the rules not run.
    const command = report.verdict === 'incomplete' ? 'error' : 'warning';
    lines.push(workflowCommand(command, { title: `run stopped early (${report.stop.kind})` }, `${report.stop.reason} (after ${report.stop.afterRequests} requests)`));
  }
  return lines.join('');
}
