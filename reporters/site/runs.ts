/**
 * The runs a site shows: each report with its id, whether it is untouched, and the folder it came
 * from; grouped per target (the target URL, or the embedded reference target whatever its port),
 * each group in time order (oldest first).
 *
 * A run's id names its folder (`runs/<id>/`) and comes only from digits of its start time and
 * hex of its content hash (`20261130-031500-1a2b3c4d`), never from a string a report could choose,
 * so it is safe in a path and in a URL. The same content gives the same id: the same run given
 * twice is one run.
 */
import { checkReport } from '../../src/report/canonical.js';
import type { Report } from '../../src/report/types.js';
import { withoutCredentials } from '../html/format.js';

export interface SiteRun {
  /** `YYYYMMDD-HHMMSS-<8 hex of the content's sha256>`. */
  id: string;
  report: Report;
  /** The report.json it was read from. */
  file: string;
  /** False when the report no longer matches its sha256 (or records none). */
  untouched: boolean;
  /** Its start as milliseconds since the epoch (NaN when report.startedAt is no date). */
  time: number;
}

export interface TargetGroup {
  /** The target URL without credentials, or the embedded reference target. */
  label: string;
  embedded: boolean;
  /** Oldest first. */
  runs: SiteRun[];
}

/** `20261130-031500` from report.startedAt: digits only, from the date when it parses. */
function timePart(startedAt: string, time: number): string {
  if (Number.isFinite(time)) return new Date(time).toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
  const digits = startedAt.replace(/\D/g, '').padEnd(14, '0').slice(0, 14);
  return `${digits.slice(0, 8)}-${digits.slice(8)}`;
}

/** A run of the site from a validated report and the file it came from. */
export function siteRun(report: Report, file: string): SiteRun {
  const check = checkReport(report);
  const sha = check.status === 'untouched' ? check.sha256 : check.actual;
  const time = Date.parse(report.startedAt);
  return { id: `${timePart(report.startedAt, time)}-${sha.slice(0, 8)}`, report, file, untouched: check.status === 'untouched', time };
}

/** Oldest first; runs that started at the same moment (or whose start is no date) by id. */
function byTime(a: SiteRun, b: SiteRun): number {
  const ta = Number.isFinite(a.time) ? a.time : Infinity;
  const tb = Number.isFinite(b.time) ? b.time : Infinity;
  if (ta !== tb) return ta < tb ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

const embeddedLabel = 'embedded reference target';

/**
 * The runs per target, each group oldest first; installations by URL, the embedded reference target
 * (which certifies nothing) last.
 */
export function groupByTarget(runs: readonly SiteRun[]): TargetGroup[] {
  const groups = new Map<string, TargetGroup>();
  for (const run of runs) {
    const embedded = run.report.target.embedded;
    const label = embedded ? embeddedLabel : withoutCredentials(run.report.target.url);
    const key = `${embedded ? 'e' : 'u'}:${label}`;
    const group = groups.get(key) ?? { label, embedded, runs: [] };
    group.runs.push(run);
    groups.set(key, group);
  }
  for (const g of groups.values()) g.runs.sort(byTime);
  return [...groups.values()].sort((a, b) => (a.embedded !== b.embedded ? (a.embedded ? 1 : -1) : a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
}

/**
 * When a run started, in UTC: `full` 2026-11-30 03:15:00 UTC, `day` 2026-11-30, `short` 11-30 03:15.
 * A start that is no date falls back to its first 16 characters, which the report schema holds to
 * digits, dashes, a T and a colon.
 */
export function startOf(run: SiteRun, form: 'full' | 'day' | 'short'): string {
  const iso = Number.isFinite(run.time) ? new Date(run.time).toISOString().slice(0, 19) : `${run.report.startedAt.slice(0, 16)}:??`;
  const spaced = iso.replace('T', ' ');
  if (form === 'day') return spaced.slice(0, 10);
  if (form === 'short') return spaced.slice(5, 16);
  return `${spaced} UTC`;
}

/** The path of a run's file relative to the site's index.html. */
export function runHref(run: SiteRun, file: 'report.html' | 'report.json' | 'junit.xml'): string {
  return `runs/${run.id}/${file}`;
}
