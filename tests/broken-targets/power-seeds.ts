/**
 * The suite's power on random seeds: every power target (tests/broken-targets/power/) against
 * `--seeds N` random seeds (default 20; each printed), one default run at a time. Prints a table
 * target x (caught, missed), the other rules each target also tripped (on how many seeds), and every
 * miss; exits 1 when any target is missed on any seed.
 *
 *   npx tsx tests/broken-targets/power-seeds.ts [--seeds 20] [--runs 25] [--target NAME]...
 *
 * `--target` (repeatable) runs only the power targets whose name contains it.
 */
import { parseArgs } from 'node:util';
import { powerTargets } from './power/index.js';
import { runPowerTarget } from './power/run.js';

const { values } = parseArgs({ options: { seeds: { type: 'string', default: '20' }, runs: { type: 'string', default: '25' }, target: { type: 'string', multiple: true } } });
const chosen = powerTargets.filter((t) => !values.target || values.target.some((n) => t.name.includes(n)));
if (chosen.length === 0) {
  console.error(`no power target matches ${JSON.stringify(values.target)}`);
  process.exit(2);
}
const seeds = Array.from({ length: Number(values.seeds) }, () => Math.floor(Math.random() * 2 ** 31));
const runs = Number(values.runs);
const misses: string[] = [];
console.log(`seeds: ${seeds.join(' ')}`);
for (const target of chosen) {
  let caught = 0;
  const others = new Map<string, number>();
  for (const seed of seeds) {
    const outcome = await runPowerTarget(target, seed, runs);
    if (outcome.caught) caught++;
    else misses.push(`${target.name} (${target.valueClass}), seed ${seed}: ${target.caughtBy} is ${outcome.status}, ${outcome.classCases} cases of the class`);
    for (const o of outcome.others) others.set(o, (others.get(o) ?? 0) + 1);
  }
  // The other rules the same broken behaviour trips in cases of theirs (on how many seeds), so a finding's rule can be checked.
  const also = [...others].map(([rule, n]) => `${rule} (${n})`).join(', ');
  console.log(`${target.name.padEnd(60)} caught ${caught}/${seeds.length}${also ? `; also: ${also}` : ''}`);
}
for (const m of misses) console.log(`missed: ${m}`);
process.exit(misses.length > 0 ? 1 : 0);
