import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default'],
    // The CLIs the tests spawn with `--import tsx` would otherwise keep a cache in os.tmpdir() (tsx-<uid>).
    env: { TSX_DISABLE_CACHE: '1' },
  },
});
