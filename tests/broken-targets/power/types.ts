/** A broken target that mishandles exactly one value class: the power of the suite is whether a default run catches it on every seed. */
import type { TargetBehaviour } from '../../../src/target/types.js';

export interface PowerTarget {
  /** Unique, short: what the server gets wrong. */
  name: string;
  /** The value class it mishandles, as report.json's coverage names it (`family: class`). */
  valueClass: string;
  behaviour: Partial<TargetBehaviour>;
  /**
   * What the server does before any step of the reference target runs (with the request-target
   * as it arrives, which no step sees undecoded): a front started before the target's URL, which
   * the run then talks to. Absent, the run talks to the target itself.
   */
  front?(targetUrl: string): Promise<{ url: string; close(): Promise<void> }>;
  /** The rule that must catch it (fail for MUST, warn for SHOULD) in a default run on every seed. */
  caughtBy: string;
}
