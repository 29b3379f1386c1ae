import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { emptyState, gitState } from '@fluxctl/emulator/fluxd';
import { testPem } from '@fluxctl/emulator/kube';
import { runCli } from '../helpers/run-cli.js';
import { startTestBed, type TestBed } from '../helpers/testbed.js';

const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIConnectionTestKey fluxd\n';
const fp = { hash: 'x', randomart: 'y\n' };

let bed: TestBed;
beforeAll(async () => {
  bed = await startTestBed();
});
afterAll(() => bed.close());
beforeEach(() => {
  bed.fluxd.state = emptyState({ git: gitState({ publicKey: { key: KEY, md5: fp, sha256: fp } }) });
  bed.fluxd.requests.length = 0;
  bed.kube.requests.length = 0;
  bed.kube.faults.reset();
});

const fwd = ['--k8s-fwd-ns', 'flux'];
const upgrades = () => bed.kube.requests.filter((q) => q.upgrade);

describe('--url mode (no Kubernetes)', () => {
  it('talks to the daemon directly and never reads a kubeconfig', async () => {
    const r = await runCli(['identity', '--url', bed.fluxd.baseUrl], { env: { KUBECONFIG: '/nonexistent' } });
    expect(r).toMatchObject({ code: 0, stdout: KEY, stderr: '' });
    expect(bed.kube.requests).toEqual([]);
  });

  it('takes FLUX_URL, and sends the token as fluxctl does (WEAVE_CLOUD_TOKEN wins over FLUX_SERVICE_TOKEN)', async () => {
    await runCli(['identity'], { env: { FLUX_URL: bed.fluxd.baseUrl, FLUX_SERVICE_TOKEN: 'svc', WEAVE_CLOUD_TOKEN: 'weave' } });
    await runCli(['identity', '-t', 'flag', '-u', `${bed.fluxd.baseUrl}/`], { env: { WEAVE_CLOUD_TOKEN: 'weave' } });
    expect(bed.fluxd.requests.map((q) => q.authorization)).toEqual(['Scope-Probe token=weave', 'Scope-Probe token=flag']);
  });

  it('masks credentials of a --url in messages', async () => {
    const r = await runCli(['identity', '--url', 'http://admin:hunter2@127.0.0.1:1/api/flux']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('http://***@127.0.0.1:1/api/flux');
    expect(r.stderr).not.toContain('hunter2');
  });

  it('prints fluxctl\'s 401 help for an unauthorised answer', async () => {
    bed.fluxd.inject('POST /v9/git-repo-config', { status: 401, body: 'nope', contentType: 'text/plain' });
    const r = await runCli(['identity', '--url', bed.fluxd.baseUrl]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('== Error ==\n\nThe request failed authentication\n\nThis most likely means you have a missing or incorrect token. Please\nmake sure you supply a service token, either by setting the\nenvironment variable FLUX_SERVICE_TOKEN, or using the argument --token\nwith fluxctl.\n\n\n');
  });
});

describe('finding the daemon pod', () => {
  it('uses FLUX_FORWARD_NAMESPACE and reuses one tunnel for every request of a command', async () => {
    bed.fluxd.state.sync = { jobPolls: 2, applyPolls: 2 };
    const r = await bed.run(['sync'], { env: { FLUX_FORWARD_NAMESPACE: 'flux' } });
    expect(r.code).toBe(0);
    expect(bed.fluxd.requests.length).toBeGreaterThan(5);
    expect(upgrades()).toHaveLength(1);
  });

  it('is ambiguous with two releases, and --k8s-fwd-labels narrows it', async () => {
    bed.kube.cluster.addPod('flux', { name: 'flux-other-1', labels: { app: 'flux', release: 'other' } });
    try {
      const r = await bed.run(['identity', ...fwd]);
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/^Error: Ambiguous pod: found more than one pod for selector: labels "app=flux"\n {2}flux-other-1\n {2}flux-[a-z0-9]+-[a-z0-9]+\nhint: narrow the selector with --k8s-fwd-labels \(e\.g\. app=flux,release=<name>\), or pass --url\n$/);
      const narrowed = await bed.run(['identity', ...fwd, '--k8s-fwd-labels', 'app=flux', '--k8s-fwd-labels', 'release=flux']);
      expect(narrowed).toMatchObject({ code: 0, stdout: KEY });
      expect(bed.kube.requests.at(-2)?.query.labelSelector).toBe('app=flux,release=flux');
    } finally {
      bed.kube.cluster.deletePod('flux', 'flux-other-1');
    }
  });

  it('falls back to name in (flux,fluxd,weave-flux-agent), as for fluxctl install manifests', async () => {
    bed.kube.cluster.addNamespace('legacy');
    bed.kube.cluster.addPod('legacy', { name: 'fluxd-0', labels: { name: 'flux' } });
    bed.kube.cluster.setBackend(() => ({ host: '127.0.0.1', port: bed.fluxd.port }));
    const r = await bed.run(['identity', '--k8s-fwd-ns', 'legacy']);
    expect(r).toMatchObject({ code: 0, stdout: KEY });
    expect(bed.kube.requests.filter((q) => q.path.endsWith('/pods')).map((q) => q.query.labelSelector)).toEqual(['app=flux', 'name in (flux,fluxd,weave-flux-agent)']);
  });

  it('explains "No pod found" with fluxctl\'s text plus the pods that are not running', async () => {
    bed.kube.cluster.addNamespace('pending');
    bed.kube.cluster.addPod('pending', { name: 'flux-0', labels: { app: 'flux' }, phase: 'Pending', waitingReason: 'ImagePullBackOff' });
    const r = await bed.run(['identity', '--k8s-fwd-ns', 'pending']);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'Error: No pod found in namespace "pending" using the following selectors:\n  app=flux\n  name in (flux,fluxd,weave-flux-agent)\n\n' +
        'Make sure Flux is running in namespace "pending".\nIf Flux is running in another different namespace, please supply it to --k8s-fwd-ns.\n\n' +
        'Pods that match but are not Running:\n  flux-0 (Pending: ImagePullBackOff)\n' +
        'hint: searched with kubeconfig context "emulator"; set --k8s-fwd-ns and --k8s-fwd-labels, or pass --url\n' +
        'hint: no Flux v2 API (source.toolkit.fluxcd.io) was found either\n',
    );
  });

  it('rejects malformed --k8s-fwd-labels, and ignores a malformed FLUX_FORWARD_LABELS with a warning', async () => {
    const bad = await bed.run(['identity', ...fwd, '--k8s-fwd-labels', 'app=fl ux']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^Error: invalid argument "app=fl ux" for "--k8s-fwd-labels" flag: label "app=fl ux": a valid label must be an empty string/);
    const env = await bed.run(['identity', ...fwd], { env: { FLUX_FORWARD_LABELS: 'nonsense', FLUX_TIMEOUT: 'soon' } });
    expect(env.code).toBe(0);
    expect(env.stderr).toBe(
      'Warning: ignoring FLUX_FORWARD_LABELS="nonsense": nonsense must be formatted as key=value\nWarning: ignoring FLUX_TIMEOUT="soon": time: invalid duration "soon"\n',
    );
  });
});

// RBAC, 401, TLS, refused connections, exec plugins and every tunnel failure are scenarios of
// the reliability suite (test/reliability/), which checks each one's message, exit code and time.
describe('Kubernetes credentials', () => {
  it('authenticates with a client certificate', async () => {
    const kc = bed.writeKubeconfig({ clientCert: true }, 'cert');
    expect(await bed.run(['identity', ...fwd], { env: { KUBECONFIG: kc } })).toMatchObject({ code: 0, stdout: KEY });
    expect(bed.kube.requests[0]?.user).toBe('jane');
  });
});

describe('in-cluster', () => {
  it('uses the pod service account when there is no kubeconfig, and its namespace for defaults', async () => {
    const { mkdirSync } = await import('node:fs');
    const sa = path.join(bed.home, 'serviceaccount');
    mkdirSync(sa, { recursive: true });
    writeFileSync(path.join(sa, 'token'), 'test-token\n');
    writeFileSync(path.join(sa, 'namespace'), 'flux');
    writeFileSync(path.join(sa, 'ca.crt'), testPem('ca.pem'));
    const port = new URL(bed.kube.url).port;
    const r = await runCli(['list-workloads', ...fwd], {
      home: path.join(bed.home, 'empty-home'),
      serviceAccountDir: sa,
      env: { KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT: port },
    });
    expect(r.code).toBe(0);
    expect(bed.fluxd.requests.map((q) => q.rawQuery)).toEqual(['namespace=flux']);
  });
});
