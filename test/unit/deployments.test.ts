import { describe, expect, it } from 'vitest';
import { rolloutState, type DeploymentJson } from '../../src/kubernetes/deployments.js';
import { pickDaemonContainer, readFlag, setFlag } from '../../src/backends/fluxd/daemon-args.js';

function deployment(status: DeploymentJson['status'], generation = 2, replicas = 1): DeploymentJson {
  return {
    metadata: { name: 'flux', namespace: 'flux', generation },
    spec: { replicas, template: { spec: { containers: [] } } },
    status,
  };
}

describe('rolloutState (kubectl rollout status logic)', () => {
  it.each([
    [{ observedGeneration: 1 }, 'Waiting for deployment spec update to be observed...'],
    [{ observedGeneration: 2, replicas: 1, updatedReplicas: 0 }, 'Waiting for deployment "flux" rollout to finish: 0 out of 1 new replicas have been updated...'],
    [{ observedGeneration: 2, replicas: 2, updatedReplicas: 1 }, 'Waiting for deployment "flux" rollout to finish: 1 old replicas are pending termination...'],
    [{ observedGeneration: 2, replicas: 1, updatedReplicas: 1 }, 'Waiting for deployment "flux" rollout to finish: 0 of 1 updated replicas are available...'],
  ])('waits: %j', (status, message) => {
    expect(rolloutState(deployment(status))).toEqual({ done: false, message });
  });

  it('is done when every counter has caught up', () => {
    expect(rolloutState(deployment({ observedGeneration: 2, replicas: 1, updatedReplicas: 1, availableReplicas: 1 }))).toEqual({
      done: true,
      message: 'deployment "flux" successfully rolled out',
    });
  });

  it('fails on ProgressDeadlineExceeded with the reason', () => {
    const d = deployment({ observedGeneration: 2, conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "flux-1" has timed out progressing.' }] });
    expect(() => rolloutState(d)).toThrow('deployment "flux" exceeded its progress deadline: ReplicaSet "flux-1" has timed out progressing.');
  });
});

describe('interval flags in container args', () => {
  it('reads the last occurrence in either form, else the fluxd default', () => {
    expect(readFlag(['--git-poll-interval=1m', '--git-poll-interval', '2m'], '--git-poll-interval')).toEqual({ value: '2m', explicit: true });
    expect(readFlag(['--sync-interval=3m'], '--git-poll-interval')).toEqual({ value: '5m', explicit: false });
    expect(readFlag(['--git-poll-interval'], '--git-poll-interval')).toEqual({ value: '5m', explicit: false });
  });

  it('replaces every occurrence in place and appends only when absent', () => {
    expect(setFlag(['--a', '--git-poll-interval=5m', '--b'], '--git-poll-interval', '1m')).toEqual(['--a', '--git-poll-interval=1m', '--b']);
    expect(setFlag(['--git-poll-interval', '5m', '--git-poll-interval=7m'], '--git-poll-interval', '1m')).toEqual(['--git-poll-interval', '1m', '--git-poll-interval=1m']);
    expect(setFlag(['--git-url=x'], '--sync-interval', '1m')).toEqual(['--git-url=x', '--sync-interval=1m']);
    expect(setFlag(['--git-poll-intervalx=1'], '--git-poll-interval', '1m')).toEqual(['--git-poll-intervalx=1', '--git-poll-interval=1m']);
  });

  it('finds the fluxd container by name, args, image, or as the only one', () => {
    const sidecar = { name: 'memcached', image: 'memcached:1.5' };
    expect(pickDaemonContainer([sidecar, { name: 'flux' }], undefined)).toEqual({ name: 'flux' });
    expect(pickDaemonContainer([sidecar, { name: 'd', args: ['--git-url=git@x'] }], undefined)).toEqual({ name: 'd', args: ['--git-url=git@x'] });
    expect(pickDaemonContainer([sidecar, { name: 'e', image: 'docker.io/fluxcd/flux:1.25.4' }], undefined)).toEqual({ name: 'e', image: 'docker.io/fluxcd/flux:1.25.4' });
    expect(pickDaemonContainer([{ name: 'only' }], undefined)).toEqual({ name: 'only' });
    expect(pickDaemonContainer([sidecar, { name: 'x' }], undefined)).toMatch(/cannot tell which container runs fluxd \(containers: memcached, x\)/);
    expect(pickDaemonContainer([sidecar], 'nope')).toBe('no container named "nope" (containers: memcached)');
  });
});
