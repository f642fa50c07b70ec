/**
 * Canonical JSON for report.json and the report's own sha256.
 *
 * Canonical form: object keys sorted by UTF-16 code units (Array.prototype.sort), no
 * whitespace, values serialized as JSON.stringify does (so `undefined` members are dropped,
 * non-finite numbers become null). The hash is taken over the canonical form of the report
 * without its `sha256` field, so it does not depend on how report.json is indented and a
 * report read back from disk hashes to the same value as the one written.
 */
import { createHash } from 'node:crypto';
import type { Report } from './types.js';

/** The canonical JSON text of a JSON value (sorted keys, no whitespace). */
export function canonicalJson(value: unknown): string {
  const out = canonical(value);
  // Like JSON.stringify, a top-level undefined has no JSON form.
  return out === undefined ? 'null' : out;
}

function canonical(value: unknown): string | undefined {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      return JSON.stringify(value); // non-finite -> "null", like JSON
    case 'bigint':
      throw new TypeError('canonicalJson: a bigint has no JSON form');
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    default:
      break;
  }
  const obj = value as { toJSON?: () => unknown };
  if (typeof obj.toJSON === 'function') return canonical(obj.toJSON());
  if (Array.isArray(value)) {
    return `[${value.map((v) => canonical(v) ?? 'null').join(',')}]`;
  }
  const record = value as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of Object.keys(record).sort()) {
    const v = canonical(record[key]);
    if (v !== undefined) parts.push(`${JSON.stringify(key)}:${v}`);
  }
  return `{${parts.join(',')}}`;
}

/** The sha256 (hex) of the canonical report without its `sha256` field. */
export function reportSha256(report: Report): string {
  const { sha256: _ignored, ...rest } = report;
  return createHash('sha256').update(canonicalJson(rest), 'utf8').digest('hex');
}

/** Sets `report.sha256` to the hash of its content and returns the report. */
export function stampReport(report: Report): Report {
  report.sha256 = reportSha256(report);
  return report;
}

export type VerifyResult =
  | { status: 'untouched'; sha256: string }
  | { status: 'edited'; recorded: string | undefined; actual: string };

/** Compares the recorded sha256 with the content's; a report without one counts as edited. */
export function checkReport(report: Report): VerifyResult {
  const actual = reportSha256(report);
  const recorded = typeof report.sha256 === 'string' ? report.sha256.toLowerCase() : undefined;
  return recorded === actual ? { status: 'untouched', sha256: actual } : { status: 'edited', recorded: report.sha256, actual };
}

/** True when the report's content still hashes to its recorded sha256. */
export function verifyReport(report: Report): boolean {
  return checkReport(report).status === 'untouched';
}
