/**
 * Power does not depend on the seed: in every full run, whatever the seed, each value class of
 * each family (the documented language values, each Accept form, each bad-credential variant, each
 * invalid body kind, damage in images of every size and cuts at every position, each person-id
 * class, each format raw and multipart, ...) is sent at least twice (a rare class more often than
 * the uniform mix would send it); report.json's coverage lists them under `value class`. A run with `--only` sends no
 * top-up for classes. The seeds are random and printed in the test names.
 */
import { describe, expect, it } from 'vitest';
import { families } from '../../src/generate/families/index.js';
import { embeddedCredentials } from '../../src/run/target.js';
import { loadSpec } from '../../src/spec/load.js';
import { startReferenceTarget } from '../../src/target/server.js';
import { runAgainst } from '../support/run-against.js';

const seeds = Array.from({ length: 3 }, () => Math.floor(Math.random() * 2 ** 31));

describe('every value class in every full run', () => {
  it('the families declare classes, each with a unique name', async () => {
    const t = await startReferenceTarget();
    try {
      const { model } = await loadSpec();
      const all = families({ model, credentials: embeddedCredentials(t), personId: 1 });
      const names = all.flatMap((f) => f.classes.map((k) => `${f.name}: ${k.name}`));
      expect(new Set(names).size).toBe(names.length);
      for (const expected of ['language-headers: SO-Language: *', 'language-headers: Accept-Language: a region code', 'invalid-body: svg', 'accept: a type no 200 declares', 'auth: unknown scheme', 'person-id: person id not-int32', 'invalid-body: damage in a large image', 'invalid-body: png cut before the last byte of its image data', 'invalid-body: tiff cut at the first byte of its image data']) {
        expect(names).toContain(expected);
      }
    } finally {
      await t.close();
    }
  });

  for (const seed of seeds) {
    it(`seed ${seed}: each class sent at least twice, with --runs 10`, async () => {
      const t = await startReferenceTarget();
      try {
        const report = await runAgainst(t, { seed, runs: 10 });
        const classes = report.coverage['value class'] ?? {};
        expect(Object.keys(classes).length).toBeGreaterThan(100);
        expect(Object.entries(classes).filter(([, n]) => n < 2).map(([k, n]) => `${k}: ${n}`)).toEqual([]);
      } finally {
        await t.close();
      }
    });
  }

  it('a run with --only sends no class top-up: only the classes its cases happened to reach are counted', async () => {
    const t = await startReferenceTarget();
    try {
      const report = await runAgainst(t, { seed: 1, runs: 5, only: ['empty-body-rejected'] });
      const classes = report.coverage['value class'] ?? {};
      expect(Object.values(classes).every((n) => n > 0)).toBe(true);
      expect(Object.keys(classes).length).toBeLessThan(10);
    } finally {
      await t.close();
    }
  });
});
