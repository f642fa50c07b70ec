/**
 * The in-toto attestation layers report.intoto.jsonl holds, with the field names of the in-toto
 * Attestation Framework v1 (https://github.com/in-toto/attestation/tree/main/spec/v1) and of its
 * test-result predicate (spec/predicates/test-result.md).
 */

/** DSSE payloadType of an in-toto Statement in JSON. */
export const inTotoPayloadType = 'application/vnd.in-toto+json';
/** `_type` of an in-toto Statement v1. */
export const statementType = 'https://in-toto.io/Statement/v1';
/** predicateType of the test-result predicate. */
export const testResultPredicateType = 'https://in-toto.io/attestation/test-result/v0.1';

/** A DigestSet: algorithm -> lowercase hex. */
type DigestSet = Record<string, string>;

/** An in-toto ResourceDescriptor (at least one of uri, digest or content). */
export interface ResourceDescriptor {
  name?: string;
  uri?: string;
  digest?: DigestSet;
  annotations?: Record<string, unknown>;
}

/** One artefact the statement is about: a file of the report folder, by name, with its sha256. */
export interface Subject {
  name: string;
  digest: DigestSet;
}

/** The test-result predicate v0.1: `result` is PASSED, WARNED or FAILED. */
export interface TestResultPredicate {
  result: 'PASSED' | 'WARNED' | 'FAILED';
  configuration: ResourceDescriptor[];
  url?: string;
  passedTests: string[];
  warnedTests: string[];
  failedTests: string[];
}

export interface Statement {
  _type: typeof statementType;
  subject: Subject[];
  predicateType: typeof testResultPredicateType;
  predicate: TestResultPredicate;
}
