import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crdFor, fluxMinor, kindInfo, LATEST_FLUX } from '@fluxctl/emulator/flux2';
import { sampleState } from '@fluxctl/emulator/fluxd';
import { startFlux2Bed, type Flux2Bed } from '../helpers/testbed-v2.js';

const log = (bed: Flux2Bed, from: number): string[] => bed.kube.requests.slice(from).map((q) => `${q.method} ${q.path}${q.rawQuery ? `?${q.rawQuery}` : ''}`);

describe('choosing the Flux generation', () => {
  let both: Flux2Bed;
  beforeAll(async () => {
    both = await startFlux2Bed({ withV1Daemon: { fluxdState: sampleState() } });
  });
  afterAll(() => both.close());

  it('v1 identity on a cluster that also serves Flux v2: 1 pod list + 1 upgrade + 1 daemon request, no v2 probe', async () => {
    const from = both.kube.requests.length;
    const daemonFrom = both.fluxd?.requests.length ?? 0;
    const r = await both.run(['identity', '--k8s-fwd-ns', 'flux']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ssh-rsa \S+/);
    expect(r.stderr).toBe('');
    expect(log(both, from).map((l) => l.replace(/flux-[a-z0-9]+-[a-z0-9]{5}/, '<pod>'))).toEqual([
      'GET /api/v1/namespaces/flux/pods?labelSelector=app%3Dflux&fieldSelector=status.phase%3DRunning',
      'GET /api/v1/namespaces/flux/pods/<pod>/portforward?ports=3030',
    ]);
    expect(both.fluxd?.requests.slice(daemonFrom).map((q) => `${q.method} ${q.path}`)).toEqual(['POST /v9/git-repo-config']);
  });

  it('auto finds no daemon pod, probes the Flux v2 group once, then discovers once', async () => {
    const from = both.kube.requests.length;
    const r = await both.run(['identity']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ecdsa-sha2-nistp384 \S+\n$/);
    const requests = log(both, from);
    expect(requests.slice(0, 4)).toEqual([
      'GET /api/v1/namespaces/default/pods?labelSelector=app%3Dflux&fieldSelector=status.phase%3DRunning',
      'GET /api/v1/namespaces/default/pods?labelSelector=name+in+%28flux%2Cfluxd%2Cweave-flux-agent%29&fieldSelector=status.phase%3DRunning',
      'GET /apis/source.toolkit.fluxcd.io',
      'GET /apis',
    ]);
    expect(requests).toHaveLength(6);
  });

  it('--flux-version v2 (or FLUXCTL_FLUX_VERSION=v2) skips the v1 lookup entirely', async () => {
    for (const run of [() => both.run(['identity', '--flux-version', 'v2', '--k8s-fwd-ns', 'flux-system']), () => both.run(['identity'], { env: { FLUXCTL_FLUX_VERSION: 'v2', FLUX_FORWARD_NAMESPACE: 'flux-system' } })]) {
      const from = both.kube.requests.length;
      const r = await run();
      expect(r.code).toBe(0);
      expect(log(both, from)[0]).toBe('GET /apis');
    }
  });

  it('--flux-version v1 on a namespace without a daemon keeps fluxctl\'s "No pod found", with no v2 probe', async () => {
    const from = both.kube.requests.length;
    const r = await both.run(['identity', '--flux-version', 'v1', '--k8s-fwd-ns', 'flux-system']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^Error: No pod found in namespace "flux-system" using the following selectors:\n/);
    expect(r.stderr).not.toContain('Flux v2');
    expect(log(both, from).some((l) => l.startsWith('GET /apis/source'))).toBe(false);
  });

  it('--url means v1; with --flux-version v2 it is a usage error, before any request', async () => {
    const from = both.kube.requests.length;
    const r = await both.run(['identity', '--url', 'http://127.0.0.1:1/api/flux', '--flux-version', 'v2']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'Error: --url names a Flux v1 daemon, so it cannot be used with --flux-version v2\nRun \'fluxctl identity --help\' for usage.\nhint: drop --url (and FLUX_URL) to use Flux v2 through the Kubernetes API\n',
    );
    expect(log(both, from)).toEqual([]);
  });

  it('a bad --flux-version is refused as pflag refuses a bad value', async () => {
    const r = await both.run(['sync', '--flux-version', 'v3']);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe('Error: invalid argument "v3" for "--flux-version" flag: Allowed choices are auto, v1, v2.');
  });

  it('a Warning header from the API server (a deprecated version) is shown once on stderr with --verbose, never without', async () => {
    const bed = await startFlux2Bed({ sample: true });
    try {
      // As if a later Flux deprecated the GitRepository version we read: the server then warns on every request.
      const def = crdFor(kindInfo('GitRepository'), fluxMinor(LATEST_FLUX), {});
      if (def === undefined) throw new Error('no GitRepository CRD');
      bed.kube.cluster.registerCustomResource({ ...def, versions: def.versions.map((v) => (v.name === 'v1' ? { ...v, deprecated: true, deprecationWarning: 'source.toolkit.fluxcd.io/v1 GitRepository is deprecated' } : v)) });
      const quiet = await bed.run(['set-interval', '--flux-version', 'v2']);
      expect(quiet.code).toBe(0);
      expect(quiet.stderr).toBe('');
      const loud = await bed.run(['set-interval', '--flux-version', 'v2', '--verbose']);
      expect(loud.code).toBe(0);
      expect(loud.stderr.split('\n').filter((l) => l.includes('is deprecated'))).toEqual(['Warning: source.toolkit.fluxcd.io/v1 GitRepository is deprecated']);
    } finally {
      await bed.close();
    }
  });
});
