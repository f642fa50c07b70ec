/**
 * What a run sends: the rules it judges (`--only`), the families that exercise them (`--shard`),
 * and each family's seed. The run, its dry run and the bench ask the same questions here.
 */
import { createHash } from 'node:crypto';
import type { RunConfig } from '../config/run-config.js';
import { UsageError } from '../errors.js';
import { families, type Family, type GenerationContext } from '../generate/families/index.js';
import type { Rule } from '../spec/rules.js';

/** A family's seed: the run seed and the family name, so that `--only` keeps every family's sequence. */
export function familySeed(seed: number, family: string): number {
  return createHash('sha256').update(`${seed}:${family}`).digest().readInt32LE(0);
}

/** The rule ids a run judges: all, or those `--only` names (unknown ids are a usage error). */
export function selectRules(rules: readonly Rule[], only: readonly string[]): Set<string> {
  if (only.length === 0) return new Set(rules.map((r) => r.id));
  const known = new Set(rules.map((r) => r.id));
  const unknown = only.filter((id) => !known.has(id));
  if (unknown.length > 0) throw new UsageError(`--only names unknown rules: ${unknown.join(', ')} (see spec/rules.yaml)`);
  return new Set(only);
}

/** How many cases of the family a run surveys: `--runs`, or fewer for a family costly for the target. */
export function casesOf(family: Pick<Family, 'maxCases'>, runs: number): number {
  return Math.min(runs, family.maxCases ?? runs);
}

/**
 * The families a run sends: those that exercise a selected rule, and of those, with `--shard i/n`,
 * every n-th starting with the i-th (`report` merges the shards).
 */
export function familiesToRun(ctx: GenerationContext, rules: readonly Rule[], selected: ReadonlySet<string>, shard: RunConfig['shard']): Family[] {
  const wanted = new Set(rules.filter((r) => selected.has(r.id)).flatMap((r) => r.exercisedBy));
  return families(ctx)
    .filter((f) => wanted.has(f.name))
    .filter((_, k) => !shard || k % shard.total === shard.index - 1);
}
