/** The one ajv for spec schemas (src/spec/ajv.ts): 2020-12, formats, OpenAPI's keywords, int32 and int64. */
import { describe, expect, it } from 'vitest';
import { specAjv } from '../../src/spec/ajv.js';

describe('specAjv', () => {
  it('accepts OpenAPI keywords inside schemas', () => {
    const ajv = specAjv();
    const v = ajv.compile({ type: 'integer', xml: { name: 'int' }, example: 825, externalDocs: { url: 'https://x' } });
    expect(v(825)).toBe(true);
    expect(v('825')).toBe(false);
  });

  it('checks int32 to its bounds and int64 to whole numbers', () => {
    const ajv = specAjv();
    const int32 = ajv.compile({ type: 'integer', format: 'int32' });
    expect([2 ** 31 - 1, -(2 ** 31), 0].map((n) => int32(n))).toEqual([true, true, true]);
    expect([2 ** 31, -(2 ** 31) - 1].map((n) => int32(n))).toEqual([false, false]);
    const int64 = ajv.compile({ type: 'number', format: 'int64' });
    expect([2 ** 40, 1.5].map((n) => int64(n))).toEqual([true, false]);
  });

  it('validates formats, and reports the first error or all of them as asked', () => {
    const schema = { type: 'object', properties: { a: { type: 'string', format: 'date-time' }, b: { type: 'integer' } } };
    const first = specAjv().compile(schema);
    expect(first({ a: 'yesterday', b: 'x' })).toBe(false);
    expect(first.errors).toHaveLength(1);
    const all = specAjv({ allErrors: true }).compile(schema);
    expect(all({ a: 'yesterday', b: 'x' })).toBe(false);
    expect(all.errors).toHaveLength(2);
  });
});
