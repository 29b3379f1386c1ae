// The run's clocks: poll intervals (scaled only when a test asks) and the --timeout deadline,
// which stops while a prompt waits. Fake timers make both exact; no real time passes.
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Context, type Deps } from '../../src/context.js';
import { TimeoutError } from '../../src/errors.js';

const sink = (): Writable => new Writable({ write: (_c, _e, cb) => cb() });
const deps = (extra: Partial<Deps> = {}): Deps => ({ env: {}, stdout: sink(), stderr: sink(), stdoutTTY: false, stderrTTY: false, home: '/nonexistent', ...extra });

const contexts: Context[] = [];
function context(extra: Partial<Deps> = {}): Context {
  const ctx = new Context(deps(extra));
  contexts.push(ctx);
  return ctx;
}
afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(contexts.splice(0).map((c) => c.dispose()));
});

describe('poll intervals', () => {
  it('are the product\'s own unless deps.pollScale says otherwise', () => {
    const backoff = (n: number): number => 100 * n;
    const product = context().polling(backoff);
    expect([1, 2, 3].map(product.delay)).toEqual([100, 200, 300]);
    const scaled = context({ pollScale: 0.01 }).polling(backoff);
    expect([1, 2, 3].map(scaled.delay)).toEqual([1, 2, 3]);
  });

  it('are bounded by the run\'s signal', () => {
    const ctx = context();
    expect(ctx.polling(() => 1).signal).toBe(ctx.signal);
  });
});

describe('the --timeout deadline', () => {
  const configured = (timeout: string): Context => {
    const ctx = context();
    ctx.configure({ timeout: BigInt(Number.parseInt(timeout, 10)) * 1_000_000n });
    return ctx;
  };

  it('fires at --timeout with a TimeoutError naming it', async () => {
    vi.useFakeTimers();
    const ctx = configured('600');
    await vi.advanceTimersByTimeAsync(599);
    expect(ctx.signal.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(ctx.signal.reason).toBeInstanceOf(TimeoutError);
    expect((ctx.signal.reason as TimeoutError).message).toBe('timed out after 600ms (--timeout)');
  });

  it('stops while a prompt waits, and resumes with the time that was left', async () => {
    vi.useFakeTimers();
    const ctx = configured('600');
    await vi.advanceTimersByTimeAsync(200);
    let answer!: (key: string) => void;
    const prompt = ctx.whilePaused(() => new Promise<string>((resolve) => (answer = resolve)));
    await vi.advanceTimersByTimeAsync(900);
    expect(ctx.signal.aborted).toBe(false);
    answer('\r');
    expect(await prompt).toBe('\r');
    await vi.advanceTimersByTimeAsync(399);
    expect(ctx.signal.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(ctx.signal.reason).toBeInstanceOf(TimeoutError);
  });

  it('resumes even when the prompt fails', async () => {
    vi.useFakeTimers();
    const ctx = configured('600');
    await expect(ctx.whilePaused(() => Promise.reject(new Error('stdin closed')))).rejects.toThrow('stdin closed');
    await vi.advanceTimersByTimeAsync(600);
    expect(ctx.signal.reason).toBeInstanceOf(TimeoutError);
  });
});
