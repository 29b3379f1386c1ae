import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'packages/*/test/**/*.test.ts'],
    setupFiles: ['test/helpers/setup.ts'],
    // A guard against hangs, not a speed target: other processes may share the machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Worker processes, not threads: tests count the process's handles and patch net.Server,
    // so no two files may run in one process at the same time. One after the other they may:
    // src/ keeps no module state, so a worker keeps its loaded modules between files
    // (isolate: false), which saves about 40% of the CPU time. Most of a file's time is spent
    // waiting on sockets and deadlines, so two more workers than cores keep the CPUs busy
    // (vitest's default, cores − 1, runs one file at a time on a 2-core machine).
    pool: 'forks',
    isolate: false,
    maxWorkers: availableParallelism() + 2,
  },
});
