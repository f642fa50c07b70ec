/** The person id path segment: an int32 as ASP.NET binds it, then > 0, then a known person. */
import type { Result, TargetContext } from './types.js';

// Stryker disable next-line ArithmeticOperator: masked by personExists, as parsePersonId below
const INT32_MAX = 2 ** 31 - 1;
const INT32_MIN = -(2 ** 31);

// Stryker disable all: masked by personExists (every id but the seeded persons gets the same 400; only the free-text message differs), and whether ' 1' or '+1' names person 1 the contract leaves open
export function parsePersonId(segment: string, _ctx: TargetContext): Result<{ id: number }> {
  const text = segment.trim();
  if (!/^[+-]?\d{1,20}$/.test(text)) return { ok: false, status: 400, message: 'The person id is not valid: not an integer.' };
  const id = Number(text);
  if (!Number.isSafeInteger(id) || id > INT32_MAX || id < INT32_MIN) return { ok: false, status: 400, message: 'The person id is not valid: out of the int32 range.' };
  if (id <= 0) return { ok: false, status: 400, message: 'The person id is not valid: it must be positive.' };
  return { ok: true, id };
}

// Stryker restore all

export function personExists(id: number, ctx: TargetContext): boolean {
  return ctx.store.hasPerson(id);
}
