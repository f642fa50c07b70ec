/** Runs every client rule's check on one proxied request and grades each violation by the rule's level. */
import { clientChecks } from '../checks/client/index.js';
import type { ClientCheckContext, ClientExchange } from '../checks/client/types.js';
import type { Judgement } from '../run/judge.js';
import type { ClientRule } from '../spec/rules.js';

export function judgeClientRequest(rules: readonly ClientRule[], x: ClientExchange, ctx: ClientCheckContext): Judgement {
  const j: Judgement = { exercised: [], findings: [], observations: [] };
  for (const rule of rules) {
    const check = clientChecks[rule.id];
    if (!check || !check.applies(x, ctx)) continue;
    j.exercised.push(rule.id);
    const outcome = check.judge(x, ctx);
    if (!outcome.ok) j.findings.push({ rule: rule.id, severity: rule.level === 'MUST' ? 'fail' : 'warn', message: outcome.message });
  }
  return j;
}
