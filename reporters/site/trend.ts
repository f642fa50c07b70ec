/**
 * The latency trend of one target: p50 and p95 of each run (report.latency) as two lines of an
 * inline SVG, runs in time order spaced evenly like the matrix's columns, and the same numbers as
 * a table. A run that measured no response time has no point (its lines break there).
 */
import { ms, trim } from '../html/format.js';
import { startOf, type SiteRun, type TargetGroup } from './runs.js';

/** The drawing area (SVG user units). */
const W = 720;
const H = 220;
const left = 64;
const right = 40;
const top = 16;
const bottom = 36;
const plotW = W - left - right;
const plotH = H - top - bottom;

type Series = 'p50' | 'p95';
const series: readonly Series[] = ['p50', 'p95'];

/** A round upper bound of the y axis (1, 2 or 5 times a power of ten) at or above `max`. */
function niceCeiling(max: number): number {
  if (!(max > 0) || !Number.isFinite(max)) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  for (const m of [1, 2, 5, 10]) if (m * power >= max) return m * power;
  return 10 * power;
}

const measured = (run: SiteRun): boolean => run.report.latency.count > 0;

function xOf(i: number, n: number): number {
  return n === 1 ? left + plotW / 2 : left + (i / (n - 1)) * plotW;
}

/** The polylines of one series: a new line after each run without a measurement. */
function lines(runs: readonly SiteRun[], s: Series, y: (v: number) => number): string {
  const segments: string[][] = [[]];
  runs.forEach((run, i) => {
    if (measured(run)) segments[segments.length - 1]!.push(`${trim(xOf(i, runs.length), 1)},${trim(y(run.report.latency[s]), 1)}`);
    else segments.push([]);
  });
  return segments
    .filter((seg) => seg.length > 1)
    .map((seg) => `<polyline class="line ${s}" points="${seg.join(' ')}"></polyline>`)
    .join('');
}

function points(runs: readonly SiteRun[], y: (v: number) => number): string {
  return runs
    .map((run, i) => {
      if (!measured(run)) return '';
      const l = run.report.latency;
      const x = trim(xOf(i, runs.length), 1);
      const tip = `<title>Run ${i + 1}, ${startOf(run, 'full')}: p50 ${ms(l.p50)}, p95 ${ms(l.p95)}</title>`;
      return series.map((s) => `<circle class="pt ${s}" data-run="${run.id}" cx="${x}" cy="${trim(y(l[s]), 1)}" r="3.5">${tip}</circle>`).join('');
    })
    .join('');
}

/** The series' names beside their newest point. */
function labels(runs: readonly SiteRun[], y: (v: number) => number): string {
  const i = runs.map(measured).lastIndexOf(true);
  const l = runs[i]!.report.latency;
  const x = trim(xOf(i, runs.length) + 9, 1);
  const [low, high] = l.p95 - l.p50 < 14 ? [6, -6] : [0, 0];
  return series.map((s) => `<text class="label ${s}" x="${x}" y="${trim(y(l[s]) + 4 + (s === 'p50' ? low : high), 1)}">${s}</text>`).join('');
}

function axes(runs: readonly SiteRun[], ceiling: number): string {
  const parts: string[] = [];
  for (const frac of [0, 0.5, 1]) {
    const y = trim(top + plotH - frac * plotH, 1);
    parts.push(`<line class="grid" x1="${left}" y1="${y}" x2="${W - right}" y2="${y}"></line>`);
    parts.push(`<text class="axis" x="${left - 6}" y="${trim(Number(y) + 4, 1)}" text-anchor="end">${ms(frac * ceiling)}</text>`);
  }
  const every = Math.max(1, Math.ceil(runs.length / 12));
  runs.forEach((_, i) => {
    if (i % every === 0 || i === runs.length - 1) {
      parts.push(`<text class="axis" x="${trim(xOf(i, runs.length), 1)}" y="${H - bottom + 16}" text-anchor="middle">#${i + 1}</text>`);
    }
  });
  parts.push(`<text class="axis" x="${left + plotW / 2}" y="${H - 4}" text-anchor="middle">runs in time order · p50 solid, p95 dashed</text>`);
  return parts.join('');
}

function table(runs: readonly SiteRun[]): string {
  const rows = runs
    .map((run, i) => {
      const l = run.report.latency;
      const cells = measured(run) ? `<td class="num">${ms(l.p50)}</td><td class="num">${ms(l.p95)}</td>` : `<td colspan="2" class="muted">no response times</td>`;
      return `<tr><th scope="row">#${i + 1} · ${startOf(run, 'full')}</th>${cells}</tr>`;
    })
    .join('');
  return (
    `<details class="histdata"><summary>Latency per run as a table</summary><table class="grid narrow">` +
    `<thead><tr><th scope="col">Run</th><th scope="col" class="num">p50</th><th scope="col" class="num">p95</th></tr></thead><tbody>${rows}</tbody></table></details>`
  );
}

/** The latency trend of one target's runs; `key` makes its ids unique on the page. */
export function renderTrend(group: TargetGroup, key: string): string {
  const runs = group.runs;
  const head = `<h3 id="${key}-trend-h">Latency</h3>`;
  if (!runs.some(measured)) return `${head}<p class="muted">No run measured a response time.</p>`;
  const ceiling = niceCeiling(Math.max(...runs.filter(measured).map((r) => Math.max(r.report.latency.p50, r.report.latency.p95))));
  const y = (v: number): number => top + plotH - (Math.min(v, ceiling) / ceiling) * plotH;
  const svg =
    `<svg class="trend" id="${key}-trend" viewBox="0 0 ${W} ${H}" role="img" aria-labelledby="${key}-trend-t">` +
    `<title id="${key}-trend-t">p50 and p95 response time of each run</title>` +
    axes(runs, ceiling) +
    series.map((s) => lines(runs, s, y)).join('') +
    points(runs, y) +
    labels(runs, y) +
    `</svg>`;
  return head + svg + table(runs);
}
