/**
 * Each power target on a second random seed (power.test.ts runs the first): a class drawn on one
 * seed only would show here. A file of its own, so that two workers share the power runs.
 */
import { describe } from 'vitest';
import { itCatchesEveryPowerTargetOnARandomSeed } from './power/each-target.js';

describe('power targets, another seed', () => {
  itCatchesEveryPowerTargetOnARandomSeed();
});
