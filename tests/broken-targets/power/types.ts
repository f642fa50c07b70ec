/** A broken target that mishandles exactly one value class: the power of the suite is whether a default run catches it on every seed. */
import type { TargetBehaviour } from '../../../src/target/types.js';

export interface PowerTarget {
  /** Unique, short: what the server gets wrong. */
  name: string;
  /** The value class it mishandles, as report.json's coverage names it (`family: class`). */
  valueClass: string;
  behaviour: Partial<TargetBehaviour>;
  /** The rule that must catch it (fail for MUST, warn for SHOULD) in a default run on every seed. */
  caughtBy: string;
}
