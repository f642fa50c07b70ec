/**
 * A report with failures, made the way a user gets one: the engine run against the reference
 * target broken twice (from the broken-targets catalogue): it takes an empty body (a MUST rule,
 * empty-body-rejected, fails) and answers errors as plain text (a SHOULD rule, error-body-shape,
 * warns). Also the credentials the run used, to show that none reaches what is rendered from it.
 */
import type { Report } from '../../src/report/types.js';
import { startReferenceTarget } from '../../src/target/server.js';
import { brokenTargets } from '../broken-targets/catalogue.js';
import { runAgainst } from '../support/run-against.js';

export interface FailingRun {
  report: Report;
  /** Every form of the credentials that went into the run: passwords, tickets, tokens, the Basic header value, the session. */
  secrets: string[];
}

export const FAILING_SEED = 42;

export async function failingRun(): Promise<FailingRun> {
  const behaviour = { ...brokenTargets['empty-body-rejected']!.behaviour, ...brokenTargets['error-body-shape']!.behaviour };
  const t = await startReferenceTarget({ behaviour });
  try {
    const report = await runAgainst(t, { only: ['empty-body-rejected', 'error-body-shape'], runs: 10, seed: FAILING_SEED });
    const c = t.credentials;
    const secrets = [c.basic.password, Buffer.from(`${c.basic.user}:${c.basic.password}`).toString('base64'), c.soticket, c.bearer, c.session.xsrfToken, c.session.cookie];
    return { report, secrets };
  } finally {
    await t.close();
  }
}

/** A deep copy of a report, to change for one test. */
export const copyOf = (report: Report): Report => structuredClone(report);
