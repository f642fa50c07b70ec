/**
 * Power does not depend on the seed: each power target (a server that mishandles exactly one value
 * class) is caught by its rule in a default run, on a random seed here and on another in
 * power-another-seed.test.ts (two files, so that two workers share them; seeds printed in the
 * test names); `npx tsx tests/broken-targets/power-seeds.ts` runs twenty or more.
 */
import { describe, expect, it } from 'vitest';
import { families } from '../../src/generate/families/index.js';
import { embeddedCredentials } from '../../src/run/target.js';
import { loadSpec } from '../../src/spec/load.js';
import { startReferenceTarget } from '../../src/target/server.js';
import { itCatchesEveryPowerTargetOnARandomSeed } from './power/each-target.js';
import { powerTargets } from './power/index.js';

describe('power targets', () => {
  it('each names a value class the families declare, and names are unique', async () => {
    const t = await startReferenceTarget();
    try {
      const { model } = await loadSpec();
      const classes = new Set(families({ model, credentials: embeddedCredentials(t), personId: 1 }).flatMap((f) => f.classes.map((k) => `${f.name}: ${k.name}`)));
      for (const p of powerTargets) expect(classes.has(p.valueClass), p.name).toBe(true);
      expect(new Set(powerTargets.map((p) => p.name)).size).toBe(powerTargets.length);
    } finally {
      await t.close();
    }
  });

  itCatchesEveryPowerTargetOnARandomSeed();
});
