/** Runs every selected rule's check on one case and grades each violation by the rule's level. */
import { checks } from '../checks/index.js';
import type { CaseExtra, CheckContext } from '../checks/types.js';
import type { Case } from '../generate/case.js';
import type { Rule } from '../spec/rules.js';
import type { Observation } from '../transport/observation.js';

export interface Finding {
  rule: string;
  severity: 'fail' | 'warn';
  message: string;
}

export interface Judgement {
  /** Rules the case exercised. */
  exercised: string[];
  findings: Finding[];
  /** Neutral observations: rule -> value. */
  observations: [string, string][];
}

function severityOf(rule: Rule, o: Observation): 'fail' | 'warn' {
  if (rule.level === 'SHOULD') return 'warn';
  return o.status !== undefined && rule.warnOn.includes(o.status) ? 'warn' : 'fail';
}

export function judgeCase(rules: readonly Rule[], c: Case, o: Observation, extra: CaseExtra, ctx: CheckContext): Judgement {
  const j: Judgement = { exercised: [], findings: [], observations: [] };
  for (const rule of rules) {
    const check = checks[rule.id];
    if (!check || !check.applies(c, ctx)) continue;
    j.exercised.push(rule.id);
    const outcome = check.judge({ c, o, extra, ctx });
    if (outcome.ok) {
      if (outcome.observe !== undefined) j.observations.push([rule.id, outcome.observe]);
    } else {
      j.findings.push({ rule: rule.id, severity: severityOf(rule, o), message: outcome.message });
    }
  }
  return j;
}
