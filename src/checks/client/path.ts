/** The client rule about where a request goes: the resource's path under the base, a declared method, a well-formed person id. */
import { pass, violation } from '../types.js';
import type { ClientCheck } from './types.js';

const INT32_MAX = 2 ** 31 - 1;

/** A positive int32 in decimal digits (leading zeros allowed: ASP.NET binds them). */
function positiveInt32(segment: string): boolean {
  return /^\d{1,20}$/.test(segment) && Number(segment) >= 1 && Number(segment) <= INT32_MAX;
}

export const clientPathWellFormed: ClientCheck = {
  applies: (x) => x.route.resource !== undefined,
  judge: ({ method, route }, ctx) => {
    if (!route.underBase) return violation(`${route.path} is not under the target's base path ${ctx.basePath}`);
    if (!route.methodDeclared) return violation(`the spec declares no ${method} on ${route.path}`);
    const segment = route.segment ?? '';
    if (!positiveInt32(segment)) return violation(`the person id ${JSON.stringify(segment)} is not a positive int32 in decimal digits`);
    return pass;
  },
};
