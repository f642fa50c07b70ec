/**
 * Accept headers, built from the response media types the spec declares for a 200: each type,
 * lists with q-values, wildcards, types the server cannot produce, and none at all.
 */
import fc from 'fast-check';
import type { SpecModel } from '../spec/model.js';

export interface AcceptConstraints {
  /** Allow wildcards (`*\/*`, `application/*`, `text/*`). Default true. */
  wildcards?: boolean;
  /** Allow types no 200 declares. Default true. */
  unsupported?: boolean;
}

/** Media types that are no 200 response type of the spec (filtered against the spec). */
function undeclaredTypes(model: SpecModel): string[] {
  const declared = new Set(model.successMediaTypes.map((m) => m.type));
  return ['text/html', 'application/pdf', 'text/plain', 'text/csv', 'application/vnd.ms-excel', 'application/yaml'].filter((t) => !declared.has(t));
}

const qValues = ['1', '0.9', '0.8', '0.5', '0.3', '0.1'];

function withQ(type: string, q: string | undefined): string {
  return q === undefined ? type : `${type};q=${q}`;
}

/** An Accept header value, or undefined for none. */
export function acceptHeader(model: SpecModel, constraints: AcceptConstraints = {}): fc.Arbitrary<string | undefined> {
  const declared = model.successMediaTypes.map((m) => m.type);
  const wildcardTypes = [...new Set(['*/*', ...declared.map((t) => `${t.split('/')[0]}/*`)])];
  const entry = (types: string[]) =>
    fc.tuple(fc.constantFrom(...types), fc.option(fc.constantFrom(...qValues), { nil: undefined })).map(([t, q]) => withQ(t, q));
  const pool = [...declared];
  if (constraints.wildcards !== false) pool.push(...wildcardTypes);
  if (constraints.unsupported !== false) pool.push(...undeclaredTypes(model));
  const single = fc.constantFrom(...declared);
  const list = fc.uniqueArray(entry(pool), { minLength: 2, maxLength: 4, selector: (s) => s.split(';')[0] }).map((parts) => parts.join(', '));
  const options: fc.WeightedArbitrary<string | undefined>[] = [
    { arbitrary: fc.constant(undefined), weight: 2 },
    { arbitrary: single, weight: 4 },
    { arbitrary: list, weight: 4 },
  ];
  if (constraints.wildcards !== false) options.push({ arbitrary: entry(wildcardTypes), weight: 1 });
  if (constraints.unsupported !== false) options.push({ arbitrary: fc.constantFrom(...undeclaredTypes(model)), weight: 1 });
  return fc.oneof(...options);
}

/** An Accept naming only types the server cannot produce. */
export function unsupportedAccept(model: SpecModel): fc.Arbitrary<string> {
  return fc.constantFrom(...undeclaredTypes(model));
}
