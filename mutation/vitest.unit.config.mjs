// The unit tests that StrykerJS runs against mutants of src/checks/ and src/transport/
// (npm run mutation:unit): fast, no target process, no CLI child. See mutation/README.md.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    include: ['tests/checks/*.test.ts', 'tests/transport/*.test.ts', 'tests/safety/circuit-breaker.test.ts', 'tests/proxy/client-checks.test.ts', 'tests/proxy/client-catalogue.test.ts', 'tests/proxy/traffic.test.ts'],
    environment: 'node',
    // One worker per run shares the spec and fixtures across test files (Stryker starts a fresh
    // worker for every mutant run, so module state, such as negotiate.ts's cache, never outlives one mutant).
    isolate: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
