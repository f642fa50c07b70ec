/** One test per power target: a default run on a fresh random seed (printed in the test name) catches it by its rule. */
import { expect, it } from 'vitest';
import { powerTargets } from './index.js';
import { runPowerTarget } from './run.js';

export function itCatchesEveryPowerTargetOnARandomSeed(): void {
  for (const target of powerTargets) {
    const seed = Math.floor(Math.random() * 2 ** 31);
    it(`${target.name}: caught by ${target.caughtBy} (seed ${seed})`, async () => {
      const outcome = await runPowerTarget(target, seed);
      expect(outcome.classCases, 'the class was sent').toBeGreaterThan(0);
      expect(outcome.caught, `${target.caughtBy} is ${outcome.status}`).toBe(true);
    });
  }
}
