/** The machine a bench ran on, as bench/results.json names it (bench/run.ts, bench/proxy-overhead.ts). */
import { cpus, totalmem } from 'node:os';

export function machine(): string {
  const c = cpus();
  const gib = Math.round((totalmem() / 2 ** 30) * 10) / 10;
  return `${c[0]?.model.trim() ?? 'unknown cpu'}, ${c.length} cores, ${gib} GiB, node ${process.version}, ${process.platform}-${process.arch}`;
}
