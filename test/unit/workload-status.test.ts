import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { rolloutFailed, unsettled } from '../../src/commands/shared/watch-rollouts.js';
import type { Workload } from '../../src/model/workload.js';
import { paintStatus } from '../../src/output/workload-status.js';

const c = new Chalk({ level: 1 });
const w = (Status: string, Messages: string[] | null): Workload => ({
  ID: 'default:deployment/foo', Containers: null, ReadOnly: '', Status, SyncError: '', Antecedent: '', Labels: null, Automated: false, Locked: false, Ignore: false, Policies: null,
  Rollout: { Desired: 1, Updated: 1, Ready: 0, Available: 0, Outdated: 0, Messages },
});

describe('workload status colours', () => {
  it.each([
    ['ready', c.green('ready')],
    ['deployed', c.green('deployed')],
    ['error', c.red('error')],
    ['failed', c.red('failed')],
    ['updating', c.yellow('updating')],
    ['pending-upgrade', c.yellow('pending-upgrade')],
    ['unknown', c.yellow('unknown')],
  ])('%s', (status, painted) => expect(paintStatus(c, status)).toBe(painted));
});

describe('the rollout failure rule shared by release --watch and sync --watch', () => {
  it.each([
    ['updating', null, false],
    ['updating', [], false],
    ['ready', [], false],
    ['updating', ['pods are crash-looping'], true],
    ['error', null, true],
    ['error', [], true],
  ] as const)('%s with messages %j failed: %s', (status, messages, failed) => {
    expect(rolloutFailed(w(status, messages === null ? null : [...messages]))).toBe(failed);
  });

  it('a failed rollout is never settled', () => {
    expect(unsettled(w('ready', ['x']))).toBe(true);
    expect(unsettled(w('ready', []))).toBe(false);
  });
});
