/**
 * The engine alone against the embedded target in a child process, for `node --cpu-prof`:
 *   node --cpu-prof --cpu-prof-dir /tmp/prof --import tsx bench/profile-engine.ts [RUNS] [CONCURRENCY] [FAMILIES]
 * FAMILIES: a comma list (default: the overhead families of bench/run.ts).
 * Then: node bench/summarise-profile.mjs /tmp/prof/*.cpuprofile
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runConformance } from '../src/run/engine.js';
import { embeddedCredentials } from '../src/run/target.js';
import { loadRules } from '../src/spec/rules.js';
import type { RunningTarget } from '../src/target/server.js';

const here = dirname(fileURLToPath(import.meta.url));
const runs = Number(process.argv[2] ?? 60);
const concurrency = Number(process.argv[3] ?? 8);
const fams = new Set((process.argv[4] ?? 'valid-upload,accept,invalid-body,content-type,person-id').split(','));
const only = (await loadRules()).filter((r) => r.exercisedBy.every((f) => fams.has(f)) && r.id !== 'damaged-image-rejected').map((r) => r.id);
const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'target-child.ts')], { cwd: join(here, '..'), stdio: ['pipe', 'pipe', 'inherit'] });
const line = await new Promise<string>((resolve) => {
  let buf = '';
  child.stdout.on('data', (d: Buffer) => {
    buf += d.toString();
    if (buf.includes('\n')) resolve(buf.slice(0, buf.indexOf('\n')));
  });
});
const t = JSON.parse(line) as RunningTarget;
const report = await runConformance({
  target: t.url,
  credentials: embeddedCredentials(t),
  personId: t.persons[0]!,
  seed: 1,
  runs,
  concurrency,
  timeoutMs: 30_000,
  reportDir: mkdtempSync(join(tmpdir(), 'pic-prof-')),
  only,
  progress: false,
});
process.stdout.write(`${report.requests} requests in ${report.durationMs} ms: ${Math.round((report.requests / report.durationMs) * 10000) / 10} req/s\n`);
child.kill('SIGTERM');
