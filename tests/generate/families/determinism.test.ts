/**
 * The family objects draw exactly the recipes the single families.ts drew before them: for
 * every family and a few seeds, the same recipes in the same order (so a seed replays the same
 * run, and counterexamples and replay commands of older reports still hold).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Credential } from '../../../src/config/credentials.js';
import { families } from '../../../src/generate/families/index.js';
import { loadSpec } from '../../../src/spec/load.js';
import { families as familiesAtHead } from './fixtures/families-at-head.js';

/** The embedded target's four schemes, and a single one (the arbitraries depend on the schemes configured). */
const ALL_SCHEMES: Credential[] = [
  { scheme: 'basic', user: 'user', password: 'password' },
  { scheme: 'soticket', ticket: '7T:placeholder' },
  { scheme: 'bearer', token: '8A:placeholder' },
  { scheme: 'session', cookie: 'ASP.NET_SessionId=placeholder; XSRF-TOKEN=placeholder', xsrfToken: 'placeholder' },
];
const BEARER_ONLY: Credential[] = [{ scheme: 'bearer', token: '8A:placeholder' }];

const SEEDS = [1, 5, 42, 20240601];

describe('family recipes', () => {
  it.each([
    ['every scheme', ALL_SCHEMES],
    ['a bearer token only', BEARER_ONLY],
  ])('are the same as before the family objects, seed for seed (%s)', async (_what, credentials) => {
    const { model } = await loadSpec();
    const ctx = { model, credentials, personId: 7, knownPersons: [3, 9] };
    const now = families(ctx);
    const before = familiesAtHead(ctx);
    expect(now.map((f) => [f.name, f.serial])).toEqual(before.map((f) => [f.name, f.serial]));
    for (const [i, family] of now.entries()) {
      for (const seed of SEEDS) {
        const want = fc.sample(before[i]!.arbitrary, { seed, numRuns: 30 });
        expect(fc.sample(family.arbitrary, { seed, numRuns: 30 }), `${family.name}, seed ${seed}`).toEqual(want);
      }
    }
  });
});
