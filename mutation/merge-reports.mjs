// Merges StrykerJS JSON reports file by file: each file's mutants come from the last report
// that holds the file (a run over a few files, `--mutate a.ts,b.ts`, replaces those files of an
// earlier full run). Usage: node mutation/merge-reports.mjs OUT.json FULL.json PART.json...
import { readFileSync, writeFileSync } from 'node:fs';

const [out, ...inputs] = process.argv.slice(2);
if (!out || inputs.length < 2) {
  console.error('usage: node mutation/merge-reports.mjs OUT.json FULL.json PART.json...');
  process.exit(2);
}
const reports = inputs.map((f) => JSON.parse(readFileSync(f, 'utf8')));
const merged = { ...reports[0], files: { ...reports[0].files } };
for (const r of reports.slice(1)) Object.assign(merged.files, r.files);
writeFileSync(out, JSON.stringify(merged));
const count = {};
for (const f of Object.values(merged.files)) for (const m of f.mutants) count[m.status] = (count[m.status] ?? 0) + 1;
const detected = (count.Killed ?? 0) + (count.Timeout ?? 0);
const undetected = (count.Survived ?? 0) + (count.NoCoverage ?? 0);
console.log(JSON.stringify(count));
console.log(`score ${((100 * detected) / (detected + undetected)).toFixed(2)} % (killed + timeout) / (killed + timeout + survived + no coverage); ignored and errors excluded`);
