/**
 * The errors a run can end with, each with its exit code. Declared once; the CLI turns them
 * into a one-line message and the code, never a stack trace.
 */
export const ExitCode = {
  conforms: 0,
  doesNotConform: 1,
  /** Usage, configuration or connectivity error, or a run that stopped before it could judge the target. */
  usage: 2,
  interrupted: 130,
} as const;

export type ConformanceErrorCode =
  | 'E_USAGE'
  | 'E_CONFIG'
  | 'E_SPEC'
  | 'E_CONNECTIVITY'
  | 'E_TARGET_UNRECOVERABLE'
  | 'E_PACT'
  | 'E_CREDENTIAL_EXPIRED'
  | 'E_INTERRUPTED';

/** Why a run stopped before its end (report.json `stop.kind`). */
export type StopKind = 'circuit-breaker' | 'target-gone' | 'throttled' | 'credential-expired' | 'interrupted';

export class ConformanceError extends Error {
  override readonly name: string = 'ConformanceError';
  constructor(
    readonly code: ConformanceErrorCode,
    message: string,
    readonly exitCode: number = ExitCode.usage,
  ) {
    super(message);
  }
}

/** Bad flags or arguments. */
export class UsageError extends ConformanceError {
  override readonly name = 'UsageError';
  constructor(message: string) {
    super('E_USAGE', message);
  }
}

/** A configuration that cannot work (bad credentials syntax, unreadable file). */
export class ConfigError extends ConformanceError {
  override readonly name = 'ConfigError';
  constructor(message: string) {
    super('E_CONFIG', message);
  }
}

/** The OpenAPI document or the rules catalogue does not load or validate. */
export class SpecError extends ConformanceError {
  override readonly name = 'SpecError';
  constructor(message: string) {
    super('E_SPEC', message);
  }
}

/** The target cannot be reached at all. */
export class ConnectivityError extends ConformanceError {
  override readonly name = 'ConnectivityError';
  constructor(message: string) {
    super('E_CONNECTIVITY', message);
  }
}

/** The target stopped answering usefully in the middle of a run (throttling that never ends, error storm, gone). */
export class TargetUnrecoverableError extends ConformanceError {
  override readonly name = 'TargetUnrecoverableError';
  constructor(
    message: string,
    readonly kind: Extract<StopKind, 'circuit-breaker' | 'target-gone' | 'throttled'> = 'circuit-breaker',
  ) {
    super('E_TARGET_UNRECOVERABLE', message);
  }
}

/** A credential the target accepted earlier in the run is now refused everywhere, and it could not be renewed. */
export class CredentialExpiredError extends ConformanceError {
  override readonly name = 'CredentialExpiredError';
  constructor(
    message: string,
    readonly scheme: string,
  ) {
    super('E_CREDENTIAL_EXPIRED', message);
  }
}

/** A pact file that cannot be read or is not a pact. */
export class PactError extends ConformanceError {
  override readonly name = 'PactError';
  constructor(message: string) {
    super('E_PACT', message);
  }
}

/** The run was stopped by SIGINT or SIGTERM (after the image was restored). */
export class InterruptedError extends ConformanceError {
  override readonly name = 'InterruptedError';
  constructor(signal: string) {
    super('E_INTERRUPTED', `interrupted by ${signal}`, 130);
  }
}

export function isConformanceError(e: unknown): e is ConformanceError {
  return e instanceof ConformanceError;
}
