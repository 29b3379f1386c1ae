import type { DeadlineClock } from '../../src/context/deadline.js';

/**
 * A --timeout clock that moves only when a test says so: the deadline then fires at an exact
 * point of a run (e.g. as a request arrives) instead of racing the work before it.
 */
export class ManualClock implements DeadlineClock {
  private time = 0;
  private nextId = 1;
  private readonly timers = new Map<number, { at: number; fire: () => void }>();

  now(): number {
    return this.time;
  }

  setTimeout(fire: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.set(id, { at: this.time + ms, fire });
    return id;
  }

  clearTimeout(timer: unknown): void {
    this.timers.delete(timer as number);
  }

  /** Moves the time on by `ms`, firing the timers due on the way, in order. */
  advance(ms: number): void {
    this.time += ms;
    for (;;) {
      const due = [...this.timers].filter(([, t]) => t.at <= this.time).sort(([, a], [, b]) => a.at - b.at)[0];
      if (due === undefined) return;
      this.timers.delete(due[0]);
      due[1].fire();
    }
  }

  /** Moves the time on to the next timer (the deadline) and fires it. */
  expire(): void {
    const next = Math.min(...[...this.timers.values()].map((t) => t.at));
    if (Number.isFinite(next)) this.advance(next - this.time);
  }
}

/**
 * Runs `fn` once, synchronously, as the first request `match` accepts is recorded in
 * `requests` (an emulator's log, before the emulator answers it).
 */
export function whenRequested<T>(requests: T[], match: (q: T, seen: readonly T[]) => boolean, fn: () => void): void {
  requests.push = (...items: T[]): number => {
    const hit = items.some((q) => match(q, requests));
    const n = Array.prototype.push.apply(requests, items);
    if (hit) {
      delete (requests as { push?: unknown }).push;
      fn();
    }
    return n;
  };
}

/** Drops a whenRequested hook that never fired. */
export function clearRequestHook(requests: unknown[]): void {
  delete (requests as { push?: unknown }).push;
}

/** A clock whose deadline runs out as the first request `match` accepts arrives. */
export function expireOn<T>(requests: T[], match: (q: T, seen: readonly T[]) => boolean): ManualClock {
  const clock = new ManualClock();
  whenRequested(requests, match, () => clock.expire());
  return clock;
}

/** Matches the `n`th request for `path` (1 for the first). */
export function nth<T extends { path: string }>(path: string, n = 1): (q: T, seen: readonly T[]) => boolean {
  return (q, seen) => q.path === path && seen.filter((s) => s.path === path).length === n - 1;
}
