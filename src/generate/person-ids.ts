/**
 * Person id path segments: the configured person; 0 and negatives; int32 ids that are no
 * person; segments that are no int32 (letters, 2^31 and beyond, decimals, a malformed
 * percent-escape). The int32 range comes from the path parameter's schema.
 */
import fc from 'fast-check';
import type { SpecModel } from '../spec/model.js';
import type { PersonRecipe } from './case.js';

function int32Range(model: SpecModel): { min: number; max: number } {
  const s = model.personIdParameter.schema as { format?: string; minimum?: number; maximum?: number };
  const int32 = s.format === 'int32';
  return { min: s.minimum ?? (int32 ? -(2 ** 31) : Number.MIN_SAFE_INTEGER), max: s.maximum ?? (int32 ? 2 ** 31 - 1 : Number.MAX_SAFE_INTEGER) };
}

export function notPositivePerson(model: SpecModel): fc.Arbitrary<PersonRecipe> {
  const { min } = int32Range(model);
  return fc.integer({ min, max: 0 }).map((n) => ({ class: 'not-positive', segment: String(n) }));
}

/** Ids near the top of the int32 range, which no installation hands out in practice. */
export function unknownPerson(model: SpecModel, known: readonly number[] = []): fc.Arbitrary<PersonRecipe> {
  const { max } = int32Range(model);
  const knownSet = new Set(known);
  return fc
    .integer({ min: max - 100_000_000, max })
    .map((n) => (knownSet.has(n) ? n - 1 : n))
    .map((n) => ({ class: 'unknown', segment: String(n) }));
}

export function notInt32Person(model: SpecModel): fc.Arbitrary<PersonRecipe> {
  const { min, max } = int32Range(model);
  return fc
    .oneof(
      fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9]{0,7}$/),
      fc.bigInt({ min: BigInt(max) + 1n, max: 2n ** 63n }).map(String),
      fc.bigInt({ min: -(2n ** 63n), max: BigInt(min) - 1n }).map(String),
      fc.tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 1, max: 99 })).map(([a, b]) => `${a}.${b}`),
      fc.constantFrom('1e3', '0x10', '+-1', '1_000', 'NaN', 'null'),
    )
    .map((segment) => ({ class: 'not-int32', segment }));
}

/**
 * Malformed percent-escapes: a `%` not followed by two hex digits. Written as they go on the wire
 * (build.ts sends a segment's `%` as it is), each at the end of its segment, where it stays
 * malformed whatever it is (`%E0%A4%A`: a UTF-8 sequence cut inside its last escape).
 */
const BAD_ESCAPES = ['%', '%2', '%A', '%ZZ', '%zz', '%G1', '%%', '%E0%A4%A'] as const;

/** Where a segment's bad percent-escape stands: after the configured person's id (`1%ZZ`), or alone (`%ZZ`). */
type BadEscapePlace = 'after the id' | 'alone';

/** Whether a segment holds a malformed percent-escape, and where (undefined when it holds none). */
export function badEscapeOf(segment: string): BadEscapePlace | undefined {
  if (!/%(?![0-9a-fA-F]{2})/.test(segment)) return undefined;
  return /^\d/.test(segment) ? 'after the id' : 'alone';
}

/**
 * Segments with a malformed percent-escape (no int32 either: IIS refuses the escape with 400,
 * ASP.NET finds no int in it): alone, or after the configured person's id, where a server that
 * decodes leniently and reads the leading digits finds that person.
 */
export function badEscapePerson(personId: number): fc.Arbitrary<PersonRecipe> {
  return fc
    .tuple(fc.boolean(), fc.constantFrom(...BAD_ESCAPES))
    .map(([afterId, bad]) => ({ class: 'not-int32', segment: afterId ? `${personId}${bad}` : bad }));
}
