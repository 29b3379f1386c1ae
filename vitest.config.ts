import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/helpers/setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // One process per file: tests count the process's handles and patch net.Server, so files
    // must not share one. Most of a file's time is spent waiting on sockets and deadlines, so
    // two more files than cores keep the CPUs busy (vitest's default, cores − 1, runs one file
    // at a time on a 2-core machine).
    pool: 'forks',
    maxWorkers: availableParallelism() + 2,
  },
});
