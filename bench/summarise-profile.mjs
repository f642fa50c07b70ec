// Self time by function and by file of a .cpuprofile: node bench/summarise-profile.mjs FILE [TOP]
import { readFileSync } from 'node:fs';
const p = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const top = Number(process.argv[3] ?? 25);
const dt = new Map();
for (let i = 0; i < p.samples.length; i++) dt.set(p.samples[i], (dt.get(p.samples[i]) ?? 0) + (p.timeDeltas[i] ?? 0));
const total = [...dt.values()].reduce((a, b) => a + b, 0);
const byFn = new Map(), byFile = new Map();
for (const n of p.nodes) {
  const t = dt.get(n.id) ?? 0;
  const url = (n.callFrame.url || '(native)').replace(/^file:\/\/.*?\/work\/main\//, '');
  const fn = `${n.callFrame.functionName || '(anon)'} ${url}:${n.callFrame.lineNumber + 1}`;
  byFn.set(fn, (byFn.get(fn) ?? 0) + t);
  const file = url.replace(/node_modules\/([^/]+)\/.*/, 'node_modules/$1');
  byFile.set(file, (byFile.get(file) ?? 0) + t);
}
const show = (m, title) => {
  console.log(`\n${title} (total ${(total / 1e6).toFixed(2)} s sampled)`);
  for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${((100 * v) / total).toFixed(1).padStart(5)}%  ${(v / 1000).toFixed(0).padStart(6)} ms  ${k}`);
};
show(byFile, 'self time by file');
show(byFn, 'self time by function');

// Coarse categories (self time), to see what the engine spends beside the wire.
const cats = [
  ['idle', (f) => f.startsWith('(idle)')],
  ['generation (src/generate, sharp, omggif, pngjs, jpeg-js, utif2, fast-check)', (f) => /src\/generate|node_modules\/(sharp|omggif|pngjs|jpeg-js|utif2|fast-check)/.test(f)],
  ['checks/judging (src/checks, src/run/judge, ajv, fast-uri, negotiator)', (f) => /src\/checks|src\/run\/judge|node_modules\/(ajv|fast-uri|negotiator)/.test(f)],
  ['transport (undici, streams, net, src/transport)', (f) => /node_modules\/undici|src\/transport|node:internal\/(streams|webstreams|net|stream_base)|node:net|writev/.test(f)],
  ['start-up (module loading, tsx, yaml, spec parsing)', (f) => /modules|tsx|node_modules\/(yaml|@readme|@apidevtools)|wrapSafe|compile|lexer|source_map/.test(f)],
  ['garbage collector', (f) => f.startsWith('(garbage')],
];
const byCat = new Map();
for (const [fn, t] of byFn) {
  const c = cats.find(([, m]) => m(fn))?.[0] ?? 'other';
  byCat.set(c, (byCat.get(c) ?? 0) + t);
}
show(byCat, 'self time by category');
