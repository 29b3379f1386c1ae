import { describe, expect, it } from 'vitest';
import { VERSION } from '../../src/version.js';
import type { GenericObject } from '@fluxctl/emulator/kube';
import type { Flux2Bed } from '../helpers/testbed-v2.js';
import { afterDetection as requestsAfterDetection, flux2BedPerTest, requestLine } from '../helpers/v2-bed.js';

const NS = 'flux-system';

// The version needs no sample fleet: only the controllers' Deployments.
const start = flux2BedPerTest({ sample: false });

/** The request lines after auto-detection found Flux v2. */
const afterDetection = (b: Flux2Bed): string[] => requestsAfterDetection(b).map(requestLine);

describe('fluxctl version --server on Flux v2', () => {
  it("prints the distribution version from the controllers' labels, in one list request", async () => {
    const b = await start();
    const r = await b.run(['version', '--server']);
    expect(r).toMatchObject({ code: 0, stdout: `client: ${VERSION}\nserver: v2.9.4\n`, stderr: '' });
    expect(afterDetection(b)).toEqual([`GET /apis/apps/v1/namespaces/${NS}/deployments?labelSelector=app.kubernetes.io%2Fpart-of%3Dflux`]);
    const json = await b.run(['version', '--server', '-o', 'json']);
    expect(json.stdout).toBe(`{"client":"${VERSION}","server":"v2.9.4"}\n`);
  });

  it('plain version still connects to nothing', async () => {
    const b = await start();
    expect(await b.run(['version'])).toMatchObject({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
    expect(b.kube.requests).toEqual([]);
  });

  it("falls back to the manager image tags without version labels (the static install.yaml)", async () => {
    const b = await start({ version: 'v2.0.0', versionLabel: false });
    const r = await b.run(['version', '--server']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      `client: ${VERSION}\nserver: helm-controller v0.35.0, image-automation-controller v0.35.0, image-reflector-controller v0.29.0, ` +
        'kustomize-controller v1.0.0, notification-controller v1.0.0, source-controller v1.0.0\n',
    );
  });

  it('names each version with its controllers in the middle of an upgrade', async () => {
    const b = await start();
    const helm = b.kube.cluster.get<GenericObject>('deployments', NS, 'helm-controller')!;
    b.kube.cluster.write('deployments', { ...helm, metadata: { ...helm.metadata, labels: { ...helm.metadata.labels, 'app.kubernetes.io/version': 'v2.8.0' } } });
    const r = await b.run(['version', '--server', '-o', 'yaml']);
    expect(r.stdout).toBe(
      `client: ${VERSION}\nserver: v2.8.0 (helm-controller), v2.9.4 (image-automation-controller, image-reflector-controller, kustomize-controller, notification-controller, source-controller)\n`,
    );
  });

  it('says where it looked when no controller is there (exit 1, nothing on stdout)', async () => {
    const b = await start();
    const r = await b.run(['version', '--server', '--k8s-fwd-ns', 'apps']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'Error: no Flux v2 controllers found in namespace "apps" (no Deployment labelled app.kubernetes.io/part-of=flux)\n' +
        'hint: pass --k8s-fwd-ns with the namespace Flux is installed in (kubectl get deployments -A -l app.kubernetes.io/part-of=flux)\n',
    );
  });

  it('names the verb and resource RBAC denies (exit 3)', async () => {
    const b = await start();
    b.kube.faults.deny({ verb: 'list', resource: 'deployments' });
    const r = await b.run(['version', '--server']);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('cannot list resource "deployments" in API group "apps" in the namespace "flux-system"');
  });
});
