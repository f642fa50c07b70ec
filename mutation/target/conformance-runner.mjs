// A StrykerJS test runner (plugin "conformance") whose one test is a whole conformance run
// against the embedded reference target (reference-run.ts). It lives in the Stryker child
// process and keeps the engine loaded between mutants, so a mutant costs one run, not a
// process start. Mutants are switched at runtime through Stryker's namespace; static mutants
// (module-level code) get a fresh process from Stryker (reloadEnvironment: false).
// The child runs with `--import tsx` (testRunnerNodeArgs) to load the TypeScript sources of
// the sandbox. Settings: MUTATION_SEED (default 20261130), MUTATION_RUNS (default 25).
// See mutation/README.md.
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { INSTRUMENTER_CONSTANTS } from '@stryker-mutator/api/core';
import { PluginKind, declareClassPlugin } from '@stryker-mutator/api/plugin';
import { DryRunStatus, MutantRunStatus, TestStatus } from '@stryker-mutator/api/test-runner';

const TEST_ID = 'conformance run against the reference target';

function settings() {
  const int = (name, fallback) => {
    const raw = process.env[name];
    if (raw === undefined || raw === '') return fallback;
    if (!/^\d+$/.test(raw) || Number(raw) < 1) throw new Error(`${name} must be a positive integer, not ${JSON.stringify(raw)}`);
    return Number(raw);
  };
  return { seed: int('MUTATION_SEED', 20261130), runs: int('MUTATION_RUNS', 25), pact: 'contracts' };
}

class ConformanceTestRunner {
  static inject = [];
  /** @type {undefined | ((s: object) => Promise<string[]>)} */
  judge;

  capabilities() {
    return { reloadEnvironment: false };
  }

  get ns() {
    return (globalThis[INSTRUMENTER_CONSTANTS.NAMESPACE] ??= {});
  }

  /** Imports the run from the sandbox (cwd): module-level code runs here, so it counts as static coverage. */
  async load() {
    if (!this.judge) {
      const mod = await import(pathToFileURL(resolve('mutation/target/reference-run.ts')).href);
      this.judge = mod.judgeReferenceTarget;
    }
    return this.judge;
  }

  async dryRun() {
    const ns = this.ns;
    ns.activeMutant = undefined;
    const judge = await this.load();
    ns.currentTestId = TEST_ID;
    const started = performance.now();
    let found;
    try {
      found = await judge(settings());
    } finally {
      ns.currentTestId = undefined;
    }
    if (found.length > 0) {
      return { status: DryRunStatus.Error, errorMessage: `the unmutated reference target does not conform: ${found.join('; ')}` };
    }
    return {
      status: DryRunStatus.Complete,
      tests: [{ id: TEST_ID, name: TEST_ID, status: TestStatus.Success, timeSpentMs: Math.round(performance.now() - started) }],
      mutantCoverage: ns.mutantCoverage,
    };
  }

  async mutantRun(options) {
    const ns = this.ns;
    ns.hitLimit = options.hitLimit;
    ns.hitCount = options.hitLimit === undefined ? undefined : 0;
    if (options.mutantActivation === 'static') ns.activeMutant = options.activeMutant.id;
    const judge = await this.load();
    ns.activeMutant = options.activeMutant.id;
    let found;
    try {
      found = await judge(settings());
    } catch (e) {
      found = [`the run threw: ${e?.message ?? e}`];
    } finally {
      ns.activeMutant = undefined;
    }
    const hits = ns.hitCount;
    ns.hitCount = undefined;
    if (options.hitLimit !== undefined && hits > options.hitLimit) {
      return { status: MutantRunStatus.Timeout, reason: `hit limit reached (${hits}/${options.hitLimit})` };
    }
    if (found.length > 0) {
      return { status: MutantRunStatus.Killed, killedBy: [TEST_ID], failureMessage: found.slice(0, 3).join('; '), nrOfTests: 1 };
    }
    return { status: MutantRunStatus.Survived, nrOfTests: 1 };
  }
}

export const strykerPlugins = [declareClassPlugin(PluginKind.TestRunner, 'conformance', ConformanceTestRunner)];
