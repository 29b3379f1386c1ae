/**
 * Runs `fn` and measures the CPU time (user + system, in ms) this process spent in it. Unlike
 * wall time, it does not stretch when other processes or test files share the machine, so a
 * bound on it catches an algorithm gone quadratic without failing on a busy day.
 */
export function withCpuTime<T>(fn: () => T): { value: T; cpuMs: number } {
  const start = process.cpuUsage();
  const value = fn();
  const used = process.cpuUsage(start);
  return { value, cpuMs: (used.user + used.system) / 1000 };
}
