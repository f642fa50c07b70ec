/**
 * The package as a user gets it. A copy of the working tree is packed (`npm pack`: prepack builds
 * dist/ there, so the tree's own dist/ is never touched), the tarball is installed into an empty
 * folder (`npm install`, no npm warning allowed), and the installed `npx person-image-conformance
 * run` must conform, on this Node (20) and on Node 22 and 24 fetched with `npx -y node@N`. Where
 * those cannot be fetched the tests are skipped saying why; under CI=true that is a failure.
 * Everything lives in one temporary folder (TMPDIR of the commands included), removed at the end.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/package-root.js';
import { inCi } from '../support/tools.js';
import { cleanEnv, npmWarnings, run, type Ran } from './npm.js';

/** Not part of what a clone packs: what git does not track, and what the package never ships. */
const LEFT_OUT = new Set(['.git', 'node_modules', 'dist', 'reports', 'mutation', 'tests', 'bench', '.stryker-tmp', '.vitest-cache']);
const SEED = 20261130;
const MINUTE = 60_000;

let work = '';
let tmp = '';
let app = '';
let packed: Ran;
let shipped: string[] = [];
let installed: Ran;

/** The working tree without LEFT_OUT and tarballs, with node_modules linked (prepack's build needs tsc). */
function copyTree(into: string): void {
  mkdirSync(into);
  for (const entry of readdirSync(packageRoot)) {
    if (LEFT_OUT.has(entry) || entry.endsWith('.tgz')) continue;
    cpSync(join(packageRoot, entry), join(into, entry), { recursive: true });
  }
  symlinkSync(join(packageRoot, 'node_modules'), join(into, 'node_modules'), 'dir');
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'pic-pack-'));
  tmp = join(work, 'tmp');
  mkdirSync(tmp);
  const tree = join(work, 'tree');
  copyTree(tree);
  packed = await run('npm', ['pack', '--json', '--pack-destination', work], { cwd: tree, env: cleanEnv(tmp), timeoutMs: 10 * MINUTE });
  if (packed.code !== 0) throw new Error(`npm pack failed (${packed.code}):\n${packed.stderr}`);
  const [info] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
  if (!info) throw new Error(`npm pack printed no package:\n${packed.stdout}`);
  shipped = info.files.map((f) => f.path);
  app = join(work, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), `${JSON.stringify({ name: 'pack-install-check', version: '1.0.0', private: true }, null, 2)}\n`);
  installed = await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', join(work, info.filename)], { cwd: app, env: cleanEnv(tmp), timeoutMs: 10 * MINUTE });
  if (installed.code !== 0) throw new Error(`npm install of the tarball failed (${installed.code}):\n${installed.stderr}`);
}, 20 * MINUTE);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

/** `npx person-image-conformance run` in the folder the tarball was installed into. */
function runInstalled(reports: string, env: NodeJS.ProcessEnv): Promise<Ran> {
  const args = ['--no-install', 'person-image-conformance', 'run', '--runs', '2', '--only', 'valid-raw-upload', '--seed', String(SEED), '--no-progress', '--report-dir', join(work, reports)];
  return run('npx', args, { cwd: app, env, timeoutMs: 5 * MINUTE });
}

function expectConforms(r: Ran): void {
  expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
  expect(r.stdout).toMatch(/^verdict: conforms /m);
}

describe('the packed package', () => {
  it('npm pack builds it (prepack) without a warning: dist/, LICENSE, no source maps, no TypeScript, no tests', () => {
    expect(npmWarnings(packed.stderr)).toEqual([]);
    expect(shipped).toEqual(expect.arrayContaining(['LICENSE', 'package.json', 'dist/src/cli/main.js', 'dist/src/pact/verifier-child.js', 'dist/src/generate/build-worker.js', 'dist/reporters/html/report.css']));
    expect(shipped.filter((f) => f.endsWith('.map') || f.endsWith('.ts') || f.endsWith('.tsbuildinfo') || /^(src|tests|bench)\//.test(f))).toEqual([]);
    const manifest = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { license: string; scripts: Record<string, string> };
    expect(manifest.scripts.prepare, 'a prepare script would run (and warn) on the user\'s machine').toBeUndefined();
    expect(manifest.scripts.prepack).toMatch(/npm run build/);
    const license = readFileSync(join(app, 'node_modules', 'person-image-conformance', 'LICENSE'), 'utf8');
    expect(license).toMatch(new RegExp(`^${manifest.license} License\\n\\nCopyright \\(c\\) \\d{4} person-image-conformance contributors\\n`));
  });

  it('npm install of the tarball into an empty folder prints no warning', () => {
    expect(npmWarnings(`${installed.stdout}\n${installed.stderr}`), installed.stderr).toEqual([]);
  });

  it('npx person-image-conformance run conforms from the installed package on this Node', async () => {
    console.log(`package test: run --seed ${SEED} on Node ${process.version}`);
    expectConforms(await runInstalled('reports-this-node', cleanEnv(tmp)));
  }, 5 * MINUTE);

  it('the installed verify-pact (its verifier in a child process of dist/) finds the shipped contracts holding', async () => {
    const contracts = join(app, 'node_modules', 'person-image-conformance', 'contracts');
    const r = await run('npx', ['--no-install', 'person-image-conformance', 'verify-pact', '--pact', contracts, '--no-progress'], { cwd: app, env: cleanEnv(tmp), timeoutMs: 5 * MINUTE });
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stdout).toMatch(/^all 2 pacts hold$/m);
  }, 5 * MINUTE);

  for (const major of [22, 24]) {
    it(`npx person-image-conformance run conforms from the installed package on Node ${major}`, async (ctx) => {
      const fetched = await run('npx', ['-y', `node@${major}`, '-p', 'process.execPath'], { cwd: work, env: cleanEnv(tmp), timeoutMs: 5 * MINUTE });
      const node = fetched.code === 0 ? fetched.stdout.trim().split('\n').at(-1) : undefined;
      if (!node) {
        const reason = `Node ${major} is not available (npx -y node@${major}: ${fetched.stderr.trim().split('\n').at(-1) ?? `exit ${fetched.code}`})`;
        if (inCi) throw new Error(`CI=true and ${reason}`);
        console.warn(`package test SKIPPED: ${reason}`);
        return ctx.skip(reason);
      }
      const env = cleanEnv(tmp, { PATH: `${dirname(node)}${delimiter}${process.env.PATH ?? ''}` });
      const version = await run('node', ['--version'], { cwd: app, env, timeoutMs: MINUTE });
      expect(version.stdout.trim()).toMatch(new RegExp(`^v${major}\\.`));
      console.log(`package test: run --seed ${SEED} on Node ${version.stdout.trim()}`);
      expectConforms(await runInstalled(`reports-node-${major}`, env));
    }, 10 * MINUTE);
  }
});
