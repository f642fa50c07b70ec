/**
 * What an Accept header allows a 200 to be, weighing q-values. Servers read Accept in more than
 * one correct way, and a conformance check must accept the answer of any of them:
 *
 * - precedence: RFC 9110 §12.5.1 lets the most specific matching range decide a type's q
 *   (`application/json;q=0.3, *\/*` gives JSON 0.3); ASP.NET Web API matches each range on its
 *   own, so a type gets the highest q of any range that matches it (JSON 1 through `*\/*`);
 * - a range listed twice at the same specificity: the highest q, the first or the last decides;
 * - q-values outside RFC 9110 §12.4.2's grammar (0..1, at most three decimals): an empty q
 *   (`q=`) or one that is no number (`q=abc`) may drop the range, read as 0 (negotiator: NaN is
 *   not acceptable) or as 1 (.NET: an unparsable quality is no quality; negotiator: an empty q
 *   is none); a number outside the grammar (`q=2`, `q=.5`, `q=0.1234`, `q="0.5"`) may count at
 *   its value (q=2 outranks q=1), clamped to 0..1, or as no number;
 * - media-type parameters on a range (`application/json;charset=utf-8`): ignored (ASP.NET), or
 *   they must match (negotiator; no declared type has parameters, so the range matches nothing);
 * - `*\/json`, no media range by the RFC: invalid (dropped), or matching every `x/json` (negotiator);
 * - ties at the top q: any tied type is the preferred type.
 *
 * Each combination is a reading; the expectation is the union of what the readings allow. An
 * Accept whose only ranges that reach a declared type are `*\/*` states no preference: the
 * contract's default, JSON (rules.yaml accept-family: "absent or `*\/*`"). Written here rather
 * than taken from `negotiator` because the checks need every reading's whole top tier.
 */
import type { MediaFamily, ResponseMediaType } from '../spec/model.js';

/** One media range of an Accept header, with its q as written (undefined: no q parameter). */
export interface AcceptRange {
  type: string;
  subtype: string;
  /** The first `q` parameter's value as written. */
  rawQ?: string;
  /** Whether the range carries parameters other than q. */
  hasParameters: boolean;
  /** `*\/subtype`: no media range by the RFC. */
  typeWildcardOnly: boolean;
}

/** What a q that reads as no number means: the range is dropped, or its q is 0 or 1. */
type MalformedQ = 'drop' | 'zero' | 'one';

export interface Reading {
  precedence: 'most-specific' | 'highest-q';
  /** Among matching ranges of the same specificity (most-specific precedence only). */
  duplicates: 'highest' | 'first' | 'last';
  /** `q=`. */
  emptyQ: MalformedQ;
  /** A q that is no number (`abc`, `0.5.1`). */
  garbageQ: MalformedQ;
  /** A number outside the qvalue grammar (`2`, `.5`, `0.1234`, `-1`, `"0.5"`); 'garbage' reads it as garbageQ. */
  looseQ: 'value' | 'clamp' | 'garbage';
  parameters: 'ignored' | 'must-match';
  /** `*\/subtype`. */
  typeWildcard: 'invalid' | 'matches-subtype';
}

export interface Expectation {
  /** Some reading finds no declared type acceptable: a JSON 200 or a 406 may be right. */
  unsupported: boolean;
  /** Some reading finds a declared type acceptable. */
  producible: boolean;
  /** The families a conforming 200 may have. */
  families: Set<MediaFamily>;
  /** The declared types (lower case) a conforming 200 may have under the SHOULD rule. */
  exactTypes: Set<string>;
  /** Whether the exact types say more than the families (some type of an allowed family is not preferred). */
  exactTypeAsked: boolean;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9a-z-]+$/;
const QVALUE = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/;
const NUMBER = /^"?[+-]?(?:\d+\.?\d*|\.\d+)"?$/;

/** The media ranges of an Accept header; elements that are no `type/subtype` range are left out. */
export function parseAccept(header: string): AcceptRange[] {
  const out: AcceptRange[] = [];
  for (const element of header.split(',')) {
    const pieces = element.split(';').map((s) => s.trim());
    // Stryker disable next-line StringLiteral: split always yields a first piece, so the default is never used
    const [range = '', ...params] = pieces;
    const parts = range.toLowerCase().split('/');
    if (parts.length !== 2) continue;
    // Stryker disable next-line StringLiteral: parts has exactly two elements here, so the defaults are never used
    const [type = '', subtype = ''] = parts;
    if (!TOKEN.test(type) || !TOKEN.test(subtype)) continue;
    let rawQ: string | undefined;
    let hasParameters = false;
    for (const p of params) {
      const m = /^q\s*=\s*(.*)$/i.exec(p);
      // Stryker disable next-line MethodExpression: p is trimmed and \s* takes the blanks after '=', so m[1] has none
      if (m && rawQ === undefined) rawQ = m[1]!.trim();
      else if (!m && p !== '') hasParameters = true;
    }
    out.push({ type, subtype, rawQ, hasParameters, typeWildcardOnly: type === '*' && subtype !== '*' });
  }
  return out;
}

type QKind = 'none' | 'empty' | 'valid' | 'loose' | 'garbage';

/** Which kind of q a range carries: none, `q=`, a qvalue of the grammar, a number outside it, no number. */
function qKind(raw: string | undefined): QKind {
  if (raw === undefined) return 'none';
  if (raw === '') return 'empty';
  if (QVALUE.test(raw)) return 'valid';
  return NUMBER.test(raw) ? 'loose' : 'garbage';
}

/** The q a reading gives a range, or undefined when the reading drops the range. */
export function qOf(range: AcceptRange, reading: Reading): number | undefined {
  // Stryker disable next-line StringLiteral: raw is read only for a q that is written (valid or loose), never for the default
  const raw = range.rawQ ?? '';
  const malformed = (m: MalformedQ) => (m === 'drop' ? undefined : m === 'zero' ? 0 : 1);
  switch (qKind(range.rawQ)) {
    case 'none':
      return 1;
    case 'empty':
      return malformed(reading.emptyQ);
    case 'valid':
      return Number(raw);
    case 'loose': {
      if (reading.looseQ === 'garbage') return malformed(reading.garbageQ);
      const n = Number(raw.replace(/"/g, ''));
      return reading.looseQ === 'clamp' ? Math.min(1, Math.max(0, n)) : n;
    }
    case 'garbage':
      return malformed(reading.garbageQ);
  }
}

/** 3: type/subtype, 2: type/*, 1.5: *\/subtype (when the reading lets it match), 1: *\/*, 0: no match. */
function specificity(r: AcceptRange, type: string, subtype: string): number {
  if (r.type === type && r.subtype === subtype) return 3;
  if (r.type === type && r.subtype === '*') return 2;
  if (r.typeWildcardOnly && r.subtype === subtype) return 1.5;
  if (r.type === '*' && r.subtype === '*') return 1;
  return 0;
}

/**
 * Every combination of the choices that can matter for these ranges: a choice about empty q,
 * garbage q, loose numbers, parameters or `*\/subtype` is only made when a range needs it (the
 * others would give the same answer), and 'highest-q' precedence ignores `duplicates`.
 */
export function readingsFor(ranges: readonly AcceptRange[]): Reading[] {
  const needs = (kind: QKind) => ranges.some((r) => qKind(r.rawQ) === kind);
  const malformed: MalformedQ[] = ['drop', 'zero', 'one'];
  const emptyQChoices = needs('empty') ? malformed : (['drop'] as const);
  const looseQChoices = needs('loose') ? (['value', 'clamp', 'garbage'] as const) : (['value'] as const);
  const garbageQChoices = needs('garbage') || looseQChoices.length > 1 ? malformed : (['drop'] as const);
  const parameterChoices = ranges.some((r) => r.hasParameters) ? (['ignored', 'must-match'] as const) : (['ignored'] as const);
  const typeWildcardChoices = ranges.some((r) => r.typeWildcardOnly) ? (['invalid', 'matches-subtype'] as const) : (['invalid'] as const);
  const out: Reading[] = [];
  for (const precedence of ['most-specific', 'highest-q'] as const)
    for (const duplicates of precedence === 'most-specific' ? (['highest', 'first', 'last'] as const) : (['highest'] as const))
      for (const emptyQ of emptyQChoices)
        for (const garbageQ of garbageQChoices)
          for (const looseQ of looseQChoices)
            for (const parameters of parameterChoices)
              for (const typeWildcard of typeWildcardChoices) out.push({ precedence, duplicates, emptyQ, garbageQ, looseQ, parameters, typeWildcard });
  return out;
}

interface Weighted {
  range: AcceptRange;
  q: number;
}

/** A declared type's q under one reading, and whether a range other than `*\/*` reached it. */
function weigh(ranges: readonly Weighted[], declared: string, reading: Reading): { q: number; specific: boolean } {
  const parts = declared.toLowerCase().split('/');
  // Stryker disable next-line StringLiteral: split yields a type; a subtype of '' or any other non-token matches no range
  const [type = '', subtype = ''] = parts;
  let q = 0;
  let most = 0;
  let specific = false;
  for (const w of ranges) {
    const s = specificity(w.range, type, subtype);
    if (s === 0) continue;
    if (s > 1) specific = true;
    if (reading.precedence === 'highest-q') q = Math.max(q, w.q);
    else if (s > most) [most, q] = [s, w.q];
    else if (s === most && (reading.duplicates === 'last' || (reading.duplicates === 'highest' && w.q > q))) q = w.q;
  }
  return { q: Math.max(0, q), specific };
}

/** The declared types one reading allows for a 200 (empty: the reading finds nothing acceptable). */
function allowedUnder(ranges: readonly AcceptRange[], declared: readonly ResponseMediaType[], reading: Reading): ResponseMediaType[] {
  const weighted: Weighted[] = [];
  for (const range of ranges) {
    // Stryker disable next-line EqualityOperator: swaps 'ignored' and 'must-match', which readingsFor offers together whenever a range has parameters
    if (reading.parameters === 'must-match' && range.hasParameters) continue;
    // Stryker disable next-line EqualityOperator: swaps 'invalid' and 'matches-subtype', which readingsFor offers together whenever a range is `*\/subtype`
    if (reading.typeWildcard === 'invalid' && range.typeWildcardOnly) continue;
    const q = qOf(range, reading);
    if (q !== undefined) weighted.push({ range, q });
  }
  const scored = declared.map((m) => ({ m, ...weigh(weighted, m.type, reading) }));
  const top = Math.max(0, ...scored.map((s) => s.q));
  if (top <= 0) return [];
  const tier = scored.filter((s) => s.q === top).map((s) => s.m);
  // Only `*/*` reached a declared type: no preference was stated, and the contract's default is JSON.
  if (!scored.some((s) => s.specific)) {
    const json = tier.filter((m) => m.family === 'json');
    if (json.length > 0) return json;
  }
  return tier;
}

const cache = new WeakMap<readonly ResponseMediaType[], Map<string | undefined, Expectation>>();
const CACHE_LIMIT = 1000;

/** The expectation for a 200 under `accept` (undefined or blank: no Accept header). Do not change what it returns: it is cached. */
export function expectFor(accept: string | undefined, declared: readonly ResponseMediaType[]): Expectation {
  let byAccept = cache.get(declared);
  // Stryker disable next-line ConditionalExpression: a fresh map only forgoes the cache (speed), never changes a result
  if (!byAccept) cache.set(declared, (byAccept = new Map()));
  let e = byAccept.get(accept);
  // Stryker disable next-line ConditionalExpression: recomputing a cached expectation gives the same result
  if (!e) {
    // Stryker disable next-line ConditionalExpression,EqualityOperator: when the cache is cleared bounds memory only, never changes a result
    if (byAccept.size >= CACHE_LIMIT) byAccept.clear();
    e = expectationOf(accept, declared);
    byAccept.set(accept, e);
  }
  return e;
}

function expectationOf(accept: string | undefined, declared: readonly ResponseMediaType[]): Expectation {
  const jsonTypes = declared.filter((m) => m.family === 'json');
  const allowed = new Set<ResponseMediaType>();
  let unsupported = false;
  let producible = false;
  if (accept === undefined || accept.trim() === '') {
    for (const m of jsonTypes) allowed.add(m);
    producible = true;
  } else {
    const ranges = parseAccept(accept);
    for (const reading of readingsFor(ranges)) {
      const a = allowedUnder(ranges, declared, reading);
      if (a.length === 0) unsupported = true;
      else producible = true;
      for (const m of a) allowed.add(m);
    }
    // Where a reading finds nothing acceptable, the server may fall back to its default, JSON.
    if (unsupported) for (const m of jsonTypes) allowed.add(m);
  }
  const families = new Set([...allowed].map((m) => m.family));
  const exactTypes = new Set([...allowed].map((m) => m.type.toLowerCase()));
  const exactTypeAsked = declared.some((m) => families.has(m.family) && !exactTypes.has(m.type.toLowerCase()));
  return { unsupported, producible, families, exactTypes, exactTypeAsked };
}
