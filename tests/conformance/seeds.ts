/**
 * Many seeds against every conforming target: does the suite ever fail a correct server?
 *
 *   npx tsx tests/conformance/seeds.ts [--seeds 50] [--target NAME]... [--runs 25] [--base-seed N | --random]
 *
 * Runs the engine (`runs` cases per family, like `run --target URL`) against each conforming
 * target of tests/targets/index.ts for the first N seeds of the fixed list derived from the base
 * seed (printed; `--random` draws a base seed and prints it), one run at a time. Prints a line per
 * run, then a table target x (runs, conforms, conforms-with-warnings, does-not-conform, other)
 * and every finding (target, seed, rule, message). Exit 1 when any run has a finding (for the
 * reference target anything but plain `conforms`; for the others any rule failing or warning, or
 * a run that ended early), 2 on a usage error, else 0.
 */
import { randomInt } from 'node:crypto';
import { parseArgs } from 'node:util';
import { BASE_SEED, conformingTargets, runOnTarget, seedList, targetNamed, type ConformingTarget, type Finding, type RunOutcome } from '../targets/index.js';

interface Options {
  seeds: number;
  runs: number;
  baseSeed: number;
  targets: ConformingTarget[];
}

const USAGE = 'usage: seeds.ts [--seeds N] [--target NAME]... [--runs N] [--base-seed N | --random]';

function positiveInt(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw new Error(`--${name} must be a positive integer, not ${JSON.stringify(raw)}`);
  return Number(raw);
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      seeds: { type: 'string' },
      runs: { type: 'string' },
      target: { type: 'string', multiple: true },
      'base-seed': { type: 'string' },
      random: { type: 'boolean' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.random && values['base-seed'] !== undefined) throw new Error('--random and --base-seed exclude each other');
  const names = (values.target ?? []).flatMap((t) => t.split(',')).map((t) => t.trim()).filter(Boolean);
  const targets = names.length === 0 ? [...conformingTargets] : names.map((n) => {
    const t = targetNamed(n);
    if (!t) throw new Error(`no conforming target ${JSON.stringify(n)} (known: ${conformingTargets.map((c) => c.name).join(', ')})`);
    return t;
  });
  return {
    seeds: positiveInt('seeds', values.seeds, 50),
    runs: positiveInt('runs', values.runs, 25),
    baseSeed: values.random ? randomInt(1, 2 ** 31 - 1) : positiveInt('base-seed', values['base-seed'], BASE_SEED),
    targets,
  };
}

const COLUMNS: readonly RunOutcome[] = ['conforms', 'conforms-with-warnings', 'does-not-conform', 'other'];

/** The table target x (runs, one column per outcome), as aligned text. */
function formatTable(rows: ReadonlyMap<string, Record<RunOutcome, number>>): string {
  const header = ['target', 'runs', ...COLUMNS];
  const body = [...rows].map(([name, counts]) => [name, String(COLUMNS.reduce((n, c) => n + counts[c], 0)), ...COLUMNS.map((c) => String(counts[c]))]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

function formatFinding(f: Finding): string {
  return `${f.target}  seed ${f.seed}  ${f.rule}  ${f.message.replace(/\s+/g, ' ')}`;
}

async function main(): Promise<number> {
  let options: Options;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`seeds: ${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const seeds = seedList(options.baseSeed, options.seeds);
  console.log(`base seed ${options.baseSeed}; ${seeds.length} seeds: ${seeds.join(' ')}`);
  console.log(`targets: ${options.targets.map((t) => t.name).join(', ')}; ${options.runs} cases per family; one run at a time`);
  const rows = new Map<string, Record<RunOutcome, number>>();
  const findings: Finding[] = [];
  for (const target of options.targets) {
    const counts: Record<RunOutcome, number> = { conforms: 0, 'conforms-with-warnings': 0, 'does-not-conform': 0, other: 0 };
    rows.set(target.name, counts);
    for (const seed of seeds) {
      const run = await runOnTarget(target, seed, options.runs);
      counts[run.outcome]++;
      findings.push(...run.findings);
      const met = Object.entries(run.exercised).map(([what, n]) => `${what} ${n}`).join(', ');
      console.log(`${target.name}  seed ${seed}: ${run.report?.verdict ?? run.outcome}, ${run.findings.length} finding(s), ${run.report?.requests ?? 0} requests, ${(run.durationMs / 1000).toFixed(1)} s${met ? `; ${met}` : ''}`);
    }
  }
  console.log(`\n${formatTable(rows)}\n`);
  if (findings.length === 0) {
    console.log('no findings');
    return 0;
  }
  console.log(`${findings.length} finding(s):`);
  for (const f of findings) console.log(formatFinding(f));
  return 1;
}

process.exitCode = await main();
