/** Latency: the percentiles, a histogram as SVG, and the same histogram as a table. */
import type { LatencySummary } from '../../src/report/types.js';
import { int, ms, plural, trim } from './format.js';

function openIndexOf(l: LatencySummary): number {
  return l.counts.length > l.bucketsMs.length ? l.bucketsMs.length : l.bucketsMs.length - 1;
}

function bucketLabels(l: LatencySummary): string[] {
  const openIndex = openIndexOf(l);
  return l.counts.map((_, i) => {
    if (i >= openIndex) {
      const prev = l.bucketsMs[i - 1];
      return prev === undefined ? 'all' : `> ${ms(prev)}`;
    }
    return `≤ ${ms(l.bucketsMs[i] ?? 0)}`;
  });
}

function bucketOf(l: LatencySummary, value: number): number {
  const openIndex = openIndexOf(l);
  for (let i = 0; i < openIndex; i++) if (value <= (l.bucketsMs[i] ?? Infinity)) return i;
  return Math.max(0, l.counts.length - 1);
}

/** The histogram's drawing area (SVG user units). */
const W = 720;
const H = 240;
const left = 56;
const right = 12;
const top = 28;
const bottom = 44;
const plotW = W - left - right;
const plotH = H - top - bottom;

/** The buckets holding p50, p95 and p99, with the names of the percentiles each holds. */
function percentileMarks(l: LatencySummary): Map<number, string[]> {
  const marks = new Map<number, string[]>();
  for (const [name, v] of [['p50', l.p50], ['p95', l.p95], ['p99', l.p99]] as const) {
    const b = bucketOf(l, v);
    marks.set(b, [...(marks.get(b) ?? []), name]);
  }
  return marks;
}

/** The grid lines, bars, percentile marks and axis labels of the histogram. */
function histogramParts(l: LatencySummary, labels: string[]): string[] {
  const n = l.counts.length;
  const maxCount = Math.max(1, ...l.counts);
  const step = plotW / n;
  const barW = Math.max(1, step * 0.78);
  const marks = percentileMarks(l);
  const longest = Math.max(...labels.map((x) => x.length));
  const labelEvery = Math.max(1, Math.ceil((longest * 6.2 + 6) / step));
  const parts: string[] = [];
  for (const frac of [0, 0.5, 1]) {
    const y = top + plotH - frac * plotH;
    parts.push(`<line class="grid" x1="${left}" y1="${trim(y, 1)}" x2="${W - right}" y2="${trim(y, 1)}"></line>`);
    parts.push(`<text class="axis" x="${left - 6}" y="${trim(y + 4, 1)}" text-anchor="end">${int(Math.round(frac * maxCount))}</text>`);
  }
  l.counts.forEach((c, i) => {
    const h = (c / maxCount) * plotH;
    const x = left + i * step + (step - barW) / 2;
    const y = top + plotH - h;
    const mark = marks.get(i);
    parts.push(
      `<rect class="hbar${mark ? ' marked' : ''}" x="${trim(x, 1)}" y="${trim(y, 1)}" width="${trim(barW, 1)}" height="${trim(Math.max(h, c > 0 ? 1 : 0), 1)}"><title>${labels[i] ?? ''}: ${plural(c, 'request')}</title></rect>`,
    );
    if (mark) parts.push(`<text class="mark" x="${trim(x + barW / 2, 1)}" y="${trim(y - 6, 1)}" text-anchor="middle">${mark.join(' ')}</text>`);
    if (i % labelEvery === 0 || i === n - 1) {
      parts.push(`<text class="axis" x="${trim(x + barW / 2, 1)}" y="${H - bottom + 16}" text-anchor="middle">${labels[i] ?? ''}</text>`);
    }
  });
  parts.push(`<text class="axis" x="${left + plotW / 2}" y="${H - 6}" text-anchor="middle">response time (bucket upper bound) · darker bars hold the marked percentiles</text>`);
  return parts;
}

function renderHistogram(l: LatencySummary): string {
  const n = l.counts.length;
  if (n === 0) return '';
  const labels = bucketLabels(l);
  const modal = l.counts.indexOf(Math.max(...l.counts));
  const desc = `Histogram of ${plural(l.count, 'response time')} in ${n} buckets; the fullest bucket is ${labels[modal] ?? ''} with ${plural(l.counts[modal] ?? 0, 'request')}. p50 ${ms(l.p50)}, p95 ${ms(l.p95)}, p99 ${ms(l.p99)}.`;
  const svg =
    `<svg class="hist" viewBox="0 0 ${W} ${H}" role="img" aria-labelledby="hist-title hist-desc">` +
    `<title id="hist-title">Response time histogram</title><desc id="hist-desc">${desc}</desc>` +
    histogramParts(l, labels).join('') +
    `</svg>`;
  const rows = l.counts.map((c, i) => `<tr><th scope="row">${labels[i] ?? ''}</th><td class="num">${int(c)}</td></tr>`).join('');
  return (
    svg +
    `<details class="histdata"><summary>Histogram as a table</summary>` +
    `<table class="grid narrow"><caption class="sr-only">Requests per response-time bucket</caption><thead><tr><th scope="col">Response time</th><th scope="col" class="num">Requests</th></tr></thead><tbody>${rows}</tbody></table></details>`
  );
}

export function renderLatency(l: LatencySummary): string {
  if (l.count === 0) {
    return `<section id="latency" aria-labelledby="latency-h"><h2 id="latency-h">Latency</h2><p class="muted">No response times were measured.</p></section>`;
  }
  const stat = (label: string, value: string): string => `<div class="stat"><dt>${label}</dt><dd>${value}</dd></div>`;
  return (
    `<section id="latency" aria-labelledby="latency-h"><h2 id="latency-h">Latency</h2>` +
    `<p class="muted">The target's response times over ${plural(l.count, 'request')}.</p>` +
    `<dl class="stats">${stat('p50', ms(l.p50))}${stat('p95', ms(l.p95))}${stat('p99', ms(l.p99))}${stat('max', ms(l.max))}</dl>` +
    renderHistogram(l) +
    `</section>`
  );
}
