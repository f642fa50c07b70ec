/**
 * What an Accept header asks of a 200, weighing q-values (RFC 9110 §12.5.1): the declared
 * response types it prefers most. Written here rather than taken from `negotiator` because the
 * checks need the whole top tier (ties) and whether it was reached by a concrete type or a
 * wildcard, which negotiator does not expose.
 */
import type { MediaFamily, ResponseMediaType } from '../spec/model.js';

export interface AcceptRange {
  type: string;
  subtype: string;
  q: number;
}

export interface Expectation {
  /** No declared type is acceptable. */
  unsupported: boolean;
  /** The families a conforming 200 may have. */
  families: Set<MediaFamily>;
  /** The declared types of the top tier reached by a concrete range (empty when only wildcards reached it). */
  exactTypes: string[];
}

export function parseAccept(header: string): AcceptRange[] {
  const out: AcceptRange[] = [];
  for (const part of header.split(',')) {
    const [range, ...params] = part.split(';').map((s) => s.trim());
    if (!range) continue;
    const [type, subtype] = range.toLowerCase().split('/');
    if (!type || !subtype) continue;
    let q = 1;
    for (const p of params) {
      const m = /^q\s*=\s*([0-9.]+)$/i.exec(p);
      if (m) q = Math.min(1, Math.max(0, Number(m[1])));
    }
    out.push({ type, subtype, q: Number.isNaN(q) ? 0 : q });
  }
  return out;
}

function specificity(r: AcceptRange, type: string, subtype: string): number {
  if (r.type === type && r.subtype === subtype) return 3;
  if (r.type === type && r.subtype === '*') return 2;
  if (r.type === '*' && r.subtype === '*') return 1;
  return 0;
}

/** The expectation for a 200 under `accept` (undefined: no Accept header). */
export function expectFor(accept: string | undefined, declared: readonly ResponseMediaType[]): Expectation {
  const json = new Set<MediaFamily>(['json']);
  if (accept === undefined || accept.trim() === '') return { unsupported: false, families: json, exactTypes: [] };
  const ranges = parseAccept(accept);
  const scored = declared.map((m) => {
    const [type = '', subtype = ''] = m.type.toLowerCase().split('/');
    let best: AcceptRange | undefined;
    let spec = 0;
    for (const r of ranges) {
      const s = specificity(r, type, subtype);
      if (s > spec) {
        spec = s;
        best = r;
      }
    }
    return { m, q: best?.q ?? 0, spec };
  });
  const top = Math.max(0, ...scored.map((s) => s.q));
  if (top === 0) return { unsupported: true, families: json, exactTypes: [] };
  const tier = scored.filter((s) => s.q === top);
  // A tier reached only through */* asks for nothing in particular: JSON.
  if (tier.every((s) => s.spec === 1)) return { unsupported: false, families: json, exactTypes: [] };
  const concrete = tier.filter((s) => s.spec === 3);
  return {
    unsupported: false,
    families: new Set(tier.filter((s) => s.spec >= 2).map((s) => s.m.family)),
    exactTypes: concrete.map((s) => s.m.type.toLowerCase()),
  };
}
