/**
 * The in-toto Statement of a run: its report files as subjects, and a test-result predicate with
 * the verdict (PASSED, WARNED, FAILED), the rules by outcome, and the configuration that decides
 * the verdict (tool, spec, rules catalogue, target and the run's settings). No credential: the
 * target URL loses any user info, and auth schemes appear by name only.
 */
import type { Report } from '../report/types.js';
import { statementType, testResultPredicateType, type ResourceDescriptor, type Statement, type Subject, type TestResultPredicate } from './in-toto.js';

/** What the statement is built from beside the report. */
export interface StatementInputs {
  /** The report files, each with its sha256 (as written). */
  subjects: Subject[];
  /** sha256 of the rules catalogue the run judged with. */
  rulesSha256: string;
  /** The rules catalogue as the package names it (e.g. spec/rules.yaml). */
  rulesFile: string;
  /** A link to the CI run, when there is one. */
  runUrl?: string;
}

/** PASSED only for a run that conforms and finished; an incomplete or stopped run is never PASSED. */
export function testResultOf(report: Pick<Report, 'verdict' | 'stop'>): TestResultPredicate['result'] {
  if (report.stop !== undefined || report.verdict === 'incomplete' || report.verdict === 'does-not-conform') return 'FAILED';
  return report.verdict === 'conforms-with-warnings' ? 'WARNED' : 'PASSED';
}

/** The URL without user info (it never holds any in a report; a statement must not either). */
export function withoutCredentials(url: string): string {
  if (!URL.canParse(url)) return url.replace(/\/\/[^/@]*@/, '//');
  const u = new URL(url);
  u.username = '';
  u.password = '';
  return u.href.replace(/\/+$/, '');
}

function configurationOf(report: Report, inputs: StatementInputs): ResourceDescriptor[] {
  const c = report.configuration;
  return [
    { name: 'tool', uri: `pkg:npm/${report.tool.name}@${report.tool.version}`, annotations: { name: report.tool.name, version: report.tool.version } },
    { name: 'spec', digest: { sha256: report.spec.sha256.toLowerCase() }, annotations: { file: report.spec.file } },
    { name: 'rules', digest: { sha256: inputs.rulesSha256 }, annotations: { file: inputs.rulesFile } },
    {
      name: 'target',
      uri: withoutCredentials(report.target.url),
      annotations: {
        embedded: report.target.embedded,
        seed: report.seed,
        runs: c.runs,
        only: [...c.only],
        authSchemes: [...c.authSchemes],
        startedAt: report.startedAt,
        ...(c.shard !== undefined ? { shard: c.shard } : {}),
      },
    },
  ];
}

const ruleIds = (report: Report, status: Report['rules'][number]['status']): string[] => report.rules.filter((r) => r.status === status).map((r) => r.id);

export function buildStatement(report: Report, inputs: StatementInputs): Statement {
  return {
    _type: statementType,
    subject: inputs.subjects.map((s) => ({ name: s.name, digest: { ...s.digest } })),
    predicateType: testResultPredicateType,
    predicate: {
      result: testResultOf(report),
      configuration: configurationOf(report, inputs),
      ...(inputs.runUrl !== undefined ? { url: inputs.runUrl } : {}),
      passedTests: ruleIds(report, 'pass'),
      warnedTests: ruleIds(report, 'warn'),
      failedTests: ruleIds(report, 'fail'),
    },
  };
}
