/** Rule statuses, verdicts and why a run stopped, as labels and badges. */
import type { RuleStatus, StopKind, Verdict } from '../../src/report/types.js';

export const statusMeta: Record<RuleStatus, { label: string; icon: string }> = {
  fail: { label: 'Fail', icon: '✗' },
  warn: { label: 'Warn', icon: '!' },
  pass: { label: 'Pass', icon: '✓' },
  'not-run': { label: 'Not run', icon: '–' },
};
export const statusOrder: RuleStatus[] = ['fail', 'warn', 'pass', 'not-run'];

export const verdictMeta: Record<Verdict, { label: string; icon: string; cls: string }> = {
  conforms: { label: 'Conforms', icon: '✓', cls: 'pass' },
  'conforms-with-warnings': { label: 'Conforms with warnings', icon: '!', cls: 'warn' },
  'does-not-conform': { label: 'Does not conform', icon: '✗', cls: 'fail' },
  incomplete: { label: 'Incomplete: the run stopped before it could judge every rule', icon: '■', cls: 'incomplete' },
};

/** Why a run stopped, in words (report.stop.kind). */
const stopKindLabels: Record<StopKind, string> = {
  'circuit-breaker': 'the circuit breaker tripped',
  'target-gone': 'the target went away',
  throttled: 'the target throttled the run',
  'credential-expired': 'the credentials expired',
  interrupted: 'the run was interrupted',
};

export function stopKindLabel(kind: string): string {
  return Object.hasOwn(stopKindLabels, kind) ? stopKindLabels[kind as StopKind] : 'it stopped';
}

/** The line every report of the embedded reference target carries, so nobody hands one in by mistake. */
export const embeddedWarning =
  'Run against the embedded reference target, not an installation: this report certifies nothing about a SuperOffice installation.';

/** A status from the report; anything unknown counts as not run. */
export function statusOf(s: string): RuleStatus {
  return (statusOrder as string[]).includes(s) ? (s as RuleStatus) : 'not-run';
}

export function badge(status: RuleStatus | 'pass' | 'fail'): string {
  const m = statusMeta[status];
  return `<span class="badge ${status}"><span aria-hidden="true">${m.icon}</span> ${m.label}</span>`;
}
