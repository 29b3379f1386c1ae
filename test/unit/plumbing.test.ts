import { describe, expect, it, vi } from 'vitest';
import { maskUrl } from '../../src/context.js';
import { encodeQuery, goQueryEscape } from '../../src/daemon/http.js';
import { colorEnabled } from '../../src/output/io.js';
import { backoff, pollUntil, sleep } from '../../src/wait.js';

describe('colour decision (NO_COLOR, FORCE_COLOR, TERM, TTY)', () => {
  it.each([
    [{}, true, true],
    [{}, false, false],
    [{ NO_COLOR: '1' }, true, false],
    [{ NO_COLOR: '' }, true, true],
    [{ FORCE_COLOR: '1' }, false, true],
    [{ FORCE_COLOR: '0' }, true, false],
    [{ TERM: 'dumb' }, true, false],
    [{ FORCE_COLOR: '1', NO_COLOR: '1' }, true, false],
  ])('env %j on tty=%s → %s', (env, tty, expected) => {
    expect(colorEnabled({ env }, tty)).toBe(expected);
  });

  it('--no-color wins over everything', () => {
    expect(colorEnabled({ env: { FORCE_COLOR: '1' }, noColor: true }, true)).toBe(false);
  });
});

describe('query encoding as Go url.Values.Encode', () => {
  it('sorts keys, keeps empty values, escapes like QueryEscape', () => {
    expect(encodeQuery([['service', '<all>'], ['namespace', ''], ['containerFields', '']])).toBe('containerFields=&namespace=&service=%3Call%3E');
    expect(encodeQuery([['services', 'default:deployment/foo']])).toBe('services=default%3Adeployment%2Ffoo');
    expect(goQueryEscape("a b!'()*~._-")).toBe("a+b%21%27%28%29%2A~._-");
  });
});

describe('maskUrl', () => {
  it('hides user info of a URL', () => {
    expect(maskUrl('https://user:pw@flux.example/api/flux')).toBe('https://***@flux.example/api/flux');
    expect(maskUrl('http://127.0.0.1:3030/api/flux')).toBe('http://127.0.0.1:3030/api/flux');
  });
});

describe('pollUntil', () => {
  it('backs off, then returns the first defined result', async () => {
    vi.useFakeTimers();
    try {
      const delays: number[] = [];
      let n = 0;
      const done = pollUntil(async () => (++n === 4 ? 'ok' : undefined), {
        signal: new AbortController().signal,
        delay: backoff(100, 250),
        sleep: (ms, signal) => {
          delays.push(ms);
          return sleep(ms, signal);
        },
      });
      await vi.runAllTimersAsync();
      expect(await done).toBe('ok');
      expect(delays).toEqual([100, 200, 250]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('stops with the signal\'s reason, and propagates check errors at once', async () => {
    const ac = new AbortController();
    const reason = new Error('deadline');
    setTimeout(() => ac.abort(reason), 20);
    await expect(pollUntil(async () => undefined, { signal: ac.signal, delay: () => 5 })).rejects.toBe(reason);
    await expect(pollUntil(() => Promise.reject(new Error('boom')), { signal: new AbortController().signal, delay: () => 5 })).rejects.toThrow('boom');
  });
});
