import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    // Two test files at a time even on two cores (vitest's default is one fewer than the cores, so
    // one file at a time there): most files wait on sockets and child processes, and the whole set
    // took 16 minutes one file at a time on the 2-core machine CI runs on.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default'],
    // The CLIs the tests spawn with `--import tsx` would otherwise keep a cache in os.tmpdir() (tsx-<uid>).
    // Runs inside the tests must not write to the job summary or annotate when the suite itself
    // runs under GitHub Actions (tests/ci/ sets these for the runs that check them).
    env: { TSX_DISABLE_CACHE: '1', GITHUB_ACTIONS: '', GITHUB_STEP_SUMMARY: '', GITHUB_OUTPUT: '' },
  },
});
