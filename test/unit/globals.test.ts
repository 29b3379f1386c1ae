import { describe, expect, it } from 'vitest';
import { resolveGlobals, type RawGlobals } from '../../src/context/globals.js';
import { UsageError } from '../../src/errors.js';

const resolve = (raw: RawGlobals, env: Record<string, string> = {}): { g: ReturnType<typeof resolveGlobals>; warnings: string[] } => {
  const warnings: string[] = [];
  return { g: resolveGlobals(raw, env, (w) => warnings.push(w)), warnings };
};

describe('the Flux generation and the Flux v2 root (flag > env > default)', () => {
  it.each([
    [{}, {}, 'auto'],
    [{}, { FLUXCTL_FLUX_VERSION: 'v2' }, 'v2'],
    [{ fluxVersion: 'v1' }, { FLUXCTL_FLUX_VERSION: 'v2' }, 'v1'],
    [{ fluxVersion: 'V2' }, {}, 'v2'],
    [{}, { FLUXCTL_FLUX_VERSION: '' }, 'auto'],
  ] as Array<[RawGlobals, Record<string, string>, string]>)('%j with env %j → %s', (raw, env, want) => {
    expect(resolve(raw, env).g.fluxVersion).toBe(want);
  });

  it('a bad --flux-version is a usage error; a bad FLUXCTL_FLUX_VERSION is ignored with a warning, like the other env fallbacks', () => {
    expect(() => resolve({ fluxVersion: 'v3' })).toThrow(UsageError);
    expect(() => resolve({ fluxVersion: 'v3' })).toThrow('invalid --flux-version "v3": must be auto, v1 or v2');
    const { g, warnings } = resolve({}, { FLUXCTL_FLUX_VERSION: 'flux2' });
    expect(g.fluxVersion).toBe('auto');
    expect(warnings).toEqual(['Warning: ignoring FLUXCTL_FLUX_VERSION="flux2": invalid value "flux2": must be auto, v1 or v2\n']);
  });

  it.each([
    [{}, {}, 'flux-system', 'default', false],
    [{}, { FLUX_SYSTEM_NAMESPACE: 'gotk' }, 'gotk', 'default', false],
    [{}, { FLUX_FORWARD_NAMESPACE: 'flux', FLUX_SYSTEM_NAMESPACE: 'gotk' }, 'flux', 'flux', true],
    [{ k8sFwdNs: 'ops' }, { FLUX_FORWARD_NAMESPACE: 'flux', FLUX_SYSTEM_NAMESPACE: 'gotk' }, 'ops', 'ops', true],
  ] as Array<[RawGlobals, Record<string, string>, string, string, boolean]>)('namespaces for %j with env %j', (raw, env, flux, fwd, given) => {
    const { g } = resolve(raw, env);
    expect([g.fluxNamespace, g.fwdNamespace, g.fwdNamespaceGiven]).toEqual([flux, fwd, given]);
  });

  it('--git-repository wins over FLUXCTL_GIT_REPOSITORY; neither means "find it"', () => {
    expect(resolve({ gitRepository: 'apps' }, { FLUXCTL_GIT_REPOSITORY: 'infra' }).g.gitRepository).toBe('apps');
    expect(resolve({}, { FLUXCTL_GIT_REPOSITORY: 'infra' }).g.gitRepository).toBe('infra');
    expect(resolve({}, {}).g.gitRepository).toBeUndefined();
  });
});

describe('the diagnostics switch (--debug, the global --verbose, FLUXCTL_DEBUG)', () => {
  it.each([
    [{}, {}, false],
    [{ debug: true }, {}, true],
    [{ verbose: true }, {}, true],
    [{}, { FLUXCTL_DEBUG: '1' }, true],
    [{}, { FLUXCTL_DEBUG: 'true' }, true],
    [{}, { FLUXCTL_DEBUG: '0' }, false],
    [{ debug: false }, { FLUXCTL_DEBUG: '1' }, false],
  ] as Array<[RawGlobals, Record<string, string>, boolean]>)('%j with env %j → %s', (raw, env, want) => {
    expect(resolve(raw, env).g.debug).toBe(want);
  });

  it('an unreadable FLUXCTL_DEBUG is ignored with a warning', () => {
    const { g, warnings } = resolve({}, { FLUXCTL_DEBUG: 'yes' });
    expect(g.debug).toBe(false);
    expect(warnings).toEqual(['Warning: ignoring FLUXCTL_DEBUG="yes": not a boolean (use 1 or 0)\n']);
  });
});
