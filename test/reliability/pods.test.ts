import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestBed } from '../helpers/testbed.js';
import { scenario, startBed } from './harness.js';
import { collector } from './report.js';

const col = collector('pods');
let bed: TestBed;
beforeAll(async () => {
  bed = await startBed();
  bed.kube.cluster.setBackend(() => ({ host: '127.0.0.1', port: bed.fluxd.port }));
});
afterAll(() => bed.close());

const inNs = (ns: string) => () => bed.run(['list-workloads', '--k8s-fwd-ns', ns]);
const upgrades = () => bed.kube.requests.filter((q) => q.upgrade).map((q) => q.path);

describe('finding the daemon pod', () => {
  it('none: an empty namespace', async () => {
    bed.kube.cluster.addNamespace('empty');
    const r = await scenario(col, 'no pod in the namespace', inNs('empty'), {
      code: 3,
      message: 'Error: No pod found in namespace "empty" using the following selectors:',
    });
    expect(r.stderr).toContain('hint: searched with kubeconfig context "emulator"; set --k8s-fwd-ns and --k8s-fwd-labels, or pass --url\n');
  });

  it('Pending only: the pods that are not Running are listed with their reason', async () => {
    bed.kube.cluster.addNamespace('pending');
    bed.kube.cluster.addPod('pending', { name: 'flux-0', labels: { app: 'flux' }, phase: 'Pending', waitingReason: 'ImagePullBackOff' });
    const r = await scenario(col, 'only a Pending pod (ImagePullBackOff)', inNs('pending'), {
      code: 3,
      message: 'Error: No pod found in namespace "pending" using the following selectors:',
    });
    expect(r.stderr).toContain('Pods that match but are not Running:\n  flux-0 (Pending: ImagePullBackOff)\n');
  });

  it('two Running pods: ambiguous, the candidates are listed', async () => {
    bed.kube.cluster.addNamespace('two');
    bed.kube.cluster.addPod('two', { name: 'flux-a', labels: { app: 'flux', release: 'a' } });
    bed.kube.cluster.addPod('two', { name: 'flux-b', labels: { app: 'flux', release: 'b' } });
    const r = await scenario(col, 'two Running pods (ambiguous)', inNs('two'), {
      code: 3,
      message: 'Error: Ambiguous pod: found more than one pod for selector: labels "app=flux"',
    });
    expect(r.stderr).toBe('Error: Ambiguous pod: found more than one pod for selector: labels "app=flux"\n  flux-a\n  flux-b\nhint: narrow the selector with --k8s-fwd-labels (e.g. app=flux,release=<name>), or pass --url\n');
  });

  it('a Terminating pod beside a Running one: the Running one is used', async () => {
    bed.kube.cluster.addNamespace('roll');
    bed.kube.cluster.addPod('roll', { name: 'flux-old', labels: { app: 'flux' }, terminating: true });
    bed.kube.cluster.addPod('roll', { name: 'flux-new', labels: { app: 'flux' } });
    bed.kube.requests.length = 0;
    await scenario(col, 'Terminating + Running: the Running pod is used', inNs('roll'), { code: 0, message: '', stdout: 'WORKLOAD  CONTAINER  IMAGE  RELEASE  POLICY\n' });
    expect(upgrades()).toEqual(['/api/v1/namespaces/roll/pods/flux-new/portforward']);
  });

  it('a namespace that does not exist reads as no pod', async () => {
    await scenario(col, 'namespace does not exist', inNs('nowhere'), { code: 3, message: 'Error: No pod found in namespace "nowhere" using the following selectors:' });
  });
});
