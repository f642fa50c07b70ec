/**
 * A conforming target that negotiates the 200's media type the way ASP.NET Web API's
 * `DefaultContentNegotiator` does (contract notes, "Platform facts": each Accept range is
 * matched on its own; ties at the top q may be broken either way):
 *
 * - The Accept ranges are sorted by q (highest first), then most specific first (`type/subtype`
 *   before `type/*` before `*\/*`), otherwise in header order; ranges with q=0 never match.
 * - Each formatter, in the server's order, takes the first range in that order that one of its
 *   media types falls under, with that range's q and how it matched (literal, `type/*`, `*\/*`).
 *   So a type's q is that of the best range matching it, `*\/*` included:
 *   `*\/*, application/json;q=0.3` gives JSON at q=1.
 * - The winner is the best literal match; a `type/*` match replaces it only with a strictly
 *   higher q, then a `*\/*` match likewise. Within each kind, a tie goes to the earlier
 *   formatter, not to the earlier range in the header.
 * - When no range matches any formatter, the first formatter that can write an int answers
 *   (JSON): ASP.NET does not answer 406 unless told to.
 *
 * The formatters are read off the spec's 200 media types, grouped by family in the spec's order,
 * as Swashbuckle lists them from the formatter collection: the JSON formatter (application/json,
 * text/json), the XML formatter (application/xml, text/xml), then the JSON-patch one.
 */
import { embeddedCredentials } from '../../src/run/target.js';
import { defaultBehaviour as d } from '../../src/target/behaviour.js';
import type { ResponseMediaType } from '../../src/spec/model.js';
import { startReferenceTarget } from '../../src/target/server.js';
import type { TargetBehaviour, TargetContext } from '../../src/target/types.js';
import type { StartedTarget } from './index.js';

/** An Accept range as System.Net.Http parses it; `position` is its place in the header. */
interface AspNetAcceptRange {
  type: string;
  subtype: string;
  q: number;
  position: number;
}

type Ranking = 'literal' | 'subtype-range' | 'all-range';

interface FormatterMatch {
  formatter: number;
  mediaType: ResponseMediaType;
  q: number;
  ranking: Ranking;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** The ranges of an Accept header; entries that do not parse are left out, as System.Net.Http leaves invalid values out of `Headers.Accept`. */
function parseAspNetAccept(header: string): AspNetAcceptRange[] {
  const out: AspNetAcceptRange[] = [];
  header.split(',').forEach((part, position) => {
    const [range = '', ...params] = part.split(';').map((s) => s.trim());
    const slash = range.indexOf('/');
    const type = range.slice(0, slash).toLowerCase();
    const subtype = range.slice(slash + 1).toLowerCase();
    if (slash < 0 || !TOKEN.test(type) || !TOKEN.test(subtype) || (type === '*' && subtype !== '*')) return;
    let q = 1;
    for (const p of params) {
      const m = /^q\s*=\s*(.*)$/i.exec(p);
      if (!m) continue;
      q = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/.test(m[1] ?? '') ? Number(m[1]) : NaN;
    }
    if (!Number.isNaN(q)) out.push({ type, subtype, q, position });
  });
  return out;
}

function specificity(r: AspNetAcceptRange): number {
  return r.type === '*' ? 0 : r.subtype === '*' ? 1 : 2;
}

/** `MediaTypeWithQualityHeaderValueComparer`, descending: higher q first, then more specific, then header order. */
function sortAspNetAccept(ranges: readonly AspNetAcceptRange[]): AspNetAcceptRange[] {
  return [...ranges].sort((a, b) => b.q - a.q || specificity(b) - specificity(a) || a.position - b.position);
}

/** The spec's 200 types grouped into formatters: consecutive types of one family are one formatter. */
function formattersOf(types: readonly ResponseMediaType[]): ResponseMediaType[][] {
  const out: ResponseMediaType[][] = [];
  for (const t of types) {
    const last = out[out.length - 1];
    if (last && last[0]!.family === t.family) last.push(t);
    else out.push([t]);
  }
  return out;
}

function rankingOf(range: AspNetAcceptRange, type: string, subtype: string): Ranking | undefined {
  if (range.type === '*') return 'all-range';
  if (range.type !== type) return undefined;
  if (range.subtype === '*') return 'subtype-range';
  return range.subtype === subtype ? 'literal' : undefined;
}

/** `MatchAcceptHeader` for one formatter: the first sorted range (q > 0) any of its types falls under. */
function matchFormatter(sorted: readonly AspNetAcceptRange[], formatter: readonly ResponseMediaType[], index: number): FormatterMatch | undefined {
  for (const range of sorted) {
    if (range.q === 0) continue;
    for (const mediaType of formatter) {
      const [type = '', subtype = ''] = mediaType.type.toLowerCase().split('/');
      const ranking = rankingOf(range, type, subtype);
      if (ranking) return { formatter: index, mediaType, q: range.q, ranking };
    }
  }
  return undefined;
}

/** `UpdateBestMatch`: a later formatter wins only with a strictly higher q. */
function better(current: FormatterMatch | undefined, candidate: FormatterMatch): FormatterMatch {
  return current === undefined || candidate.q > current.q ? candidate : current;
}

/** The media type ASP.NET Web API answers a 200 in for this Accept, among the spec's 200 types. */
export function aspNetNegotiate(accept: string | undefined, types: readonly ResponseMediaType[]): ResponseMediaType {
  const formatters = formattersOf(types);
  const fallback = formatters.find((f) => f[0]!.family === 'json')?.[0] ?? types[0];
  if (!fallback) throw new Error('the spec declares no 200 media type');
  const sorted = sortAspNetAccept(parseAspNetAccept(accept ?? ''));
  const best: Partial<Record<Ranking, FormatterMatch>> = {};
  formatters.forEach((formatter, i) => {
    const match = matchFormatter(sorted, formatter, i);
    if (match) best[match.ranking] = better(best[match.ranking], match);
  });
  let chosen = best.literal;
  for (const ranking of ['subtype-range', 'all-range'] as const) {
    const m = best[ranking];
    if (m && (chosen === undefined || m.q > chosen.q)) chosen = m;
  }
  return chosen?.mediaType ?? fallback;
}

/** The `negotiate` step the ASP.NET way; `onDiffer` hears of each answer the reference target would have given in another type. */
function aspNetNegotiationBehaviour(onDiffer: () => void = () => undefined): Partial<TargetBehaviour> {
  return {
    negotiate: (accept: string | undefined, ctx: TargetContext) => {
      const chosen = aspNetNegotiate(accept, ctx.model.successMediaTypes);
      const reference = d.negotiate(accept, ctx);
      if (reference === 'not-acceptable' || reference.type !== chosen.type) onDiffer();
      return chosen;
    },
  };
}

export async function startAspNetNegotiationTarget(): Promise<StartedTarget> {
  let differing = 0;
  const t = await startReferenceTarget({ behaviour: aspNetNegotiationBehaviour(() => differing++) });
  return {
    url: t.url,
    credentials: embeddedCredentials(t),
    persons: t.persons,
    exercised: () => ({ 'answers in another type than the reference target': differing }),
    close: () => t.close(),
  };
}
