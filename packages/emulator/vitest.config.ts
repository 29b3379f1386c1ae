import { defineConfig } from 'vitest/config';

// For `npm test` in this package alone; the repository's root config runs these files too.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // A guard against hangs, not a speed target: other processes may share the machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Processes, not threads: one test counts the process's open handles after close().
    pool: 'forks',
  },
});
