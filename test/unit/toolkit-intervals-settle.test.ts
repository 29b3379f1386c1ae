import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CliError } from '../../src/errors.js';
import type { Narration } from '../../src/backends/types.js';
import type { Toolkit } from '../../src/backends/toolkit/client.js';
import { decodeIntervalObject, type IntervalKind } from '../../src/backends/toolkit/intervals-objects.js';
import { settleIntervals } from '../../src/backends/toolkit/intervals-settle.js';
import type { Polling } from '../../src/wait.js';
import { gitRepositoryV1, kustomization, ready } from './toolkit-objects.js';

type Obj = Record<string, unknown>;

/** The object at a generation, with a spec.interval, observed (Ready=True) or not yet. */
function state(raw: Obj, generation: number, interval: string, observed: boolean): Obj {
  const o = structuredClone(raw);
  (o.metadata as Obj).generation = generation;
  (o.spec as Obj).interval = interval;
  (o.status as Obj).observedGeneration = observed ? generation : generation - 1;
  (o.status as Obj).conditions = [ready('done', 'Succeeded', observed ? generation : generation - 1)];
  return o;
}

/** A Toolkit whose GETs answer from a script per object path: each GET takes the next answer (the last repeats). */
function scriptedToolkit(script: Record<string, Obj[]>): { tk: Toolkit; gets: string[] } {
  const gets: string[] = [];
  const api = {
    request: async (_method: string, path: string) => {
      gets.push(path);
      const answers = script[path]!;
      return answers.length > 1 ? answers.shift() : answers[0];
    },
  };
  const signal = new AbortController().signal;
  // The product's pace (no scaling), as Toolkit's own default: fake time runs it.
  const polling: Polling = (delay) => ({ signal, delay });
  const tk = { signal, polling, api, path: async (kind: string, ns: string, name: string) => `${kind}/${ns}/${name}`, debug: () => {} };
  return { tk: tk as unknown as Toolkit, gets };
}

const narration = (): Narration & { warnings: string[] } => {
  const warnings: string[] = [];
  return { warnings, line: () => {}, progress: () => {}, warn: (t) => warnings.push(t) };
};
const written = (kind: IntervalKind, raw: Obj, interval: string) => ({ object: decodeIntervalObject(kind, raw, kind), interval });

describe('settleIntervals', () => {
  // The waits pace themselves at 500 ms a request: fake time keeps these tests instant.
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] }));
  afterEach(() => vi.useRealTimers());
  const git = gitRepositoryV1();
  const self = kustomization({ name: 'flux-system' });

  it('reads an object again when the Kustomization applying it settles later, and reports the revert', async () => {
    const { tk, gets } = scriptedToolkit({
      // Source-controller is done at once; kustomize-controller later puts the GitRepository back.
      'GitRepository/flux-system/flux-system': [state(git, 2, '30s', true), state(git, 3, '1m0s', true)],
      'Kustomization/flux-system/flux-system': [state(self, 2, '3m', false), state(self, 2, '3m', true)],
    });
    const w = [written('GitRepository', state(git, 2, '30s', false), '30s'), written('Kustomization', state(self, 2, '3m', false), '3m')];
    const say = narration();
    const outcome = settleIntervals(tk, w, say);
    outcome.catch(() => {});
    await vi.runAllTimersAsync();
    await expect(outcome).rejects.toThrow(CliError);
    await expect(outcome).rejects.toThrow(
      'the new interval did not last: GitRepository flux-system/flux-system is back to 1m0s (applied again from git by Kustomization flux-system/flux-system)',
    );
    expect(gets).toEqual([
      'GitRepository/flux-system/flux-system', 'Kustomization/flux-system/flux-system',
      'Kustomization/flux-system/flux-system',
      'GitRepository/flux-system/flux-system',
    ]);
  });

  it('says which objects are Ready with their new interval, and warns about a failing one', async () => {
    const failing = structuredClone(state(self, 2, '3m', false));
    (failing.status as Obj).conditions = [{ type: 'Ready', status: 'False', reason: 'BuildFailed', message: 'kustomize build failed', observedGeneration: 2 }];
    const { tk } = scriptedToolkit({
      'GitRepository/flux-system/flux-system': [state(git, 2, '30s', true)],
      'Kustomization/flux-system/flux-system': [failing],
    });
    const say = narration();
    const w = [written('GitRepository', state(git, 2, '30s', false), '30s'), written('Kustomization', state(self, 2, '3m', false), '3m')];
    const outcome = settleIntervals(tk, w, say);
    await vi.runAllTimersAsync();
    expect(await outcome).toBe('GitRepository flux-system/flux-system is Ready with the new interval');
    expect(say.warnings).toEqual(['interval accepted; Kustomization flux-system/flux-system is not Ready: BuildFailed: kustomize build failed']);
  });
});
