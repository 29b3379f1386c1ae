import { describe, expect, it } from 'vitest';
import { sharedFlux2Bed } from '../helpers/v2-bed.js';

// release and policy drive fluxd's job API, which Flux v2 has no equivalent of.
const bed = sharedFlux2Bed();

/** Only detection: the v1 pod lookups, then the Flux v2 group probe; nothing after it. */
function onlyDetection(): void {
  const log = bed.kube.requests.map((q) => `${q.method} ${q.path}`);
  expect(log.at(-1)).toBe('GET /apis/source.toolkit.fluxcd.io');
  expect(log.slice(0, -1).every((l) => /^GET \/api\/v1\/namespaces\/[^/]+\/pods$/.test(l))).toBe(true);
  expect(bed.kube.requests.some((q) => q.upgrade)).toBe(false);
}

const RELEASE =
  'Error: fluxctl release works only with the Flux v1 daemon, and this cluster runs Flux v2: ' +
  'change the image in git and run fluxctl sync, or let Flux image automation update it (flux get image policy --all-namespaces)\n';
const POLICY =
  'Error: fluxctl policy works only with the Flux v1 daemon, and this cluster runs Flux v2: ' +
  "change the ImagePolicy's spec.policy or spec.filterTags in git and run fluxctl sync (flux create image policy <name> --export prints a new ImagePolicy)\n";

describe('commands Flux v2 has no equivalent of', () => {
  it.each([
    [['release', '--workload', 'frontend:deployment/web', '--update-all-images']],
    [['release', '--all', '--update-image', 'ghcr.io/acme/web:1.2.0', '--dry-run']],
    [['release', '-n', 'frontend', '--workload', 'deployment/web', '--update-image', 'ghcr.io/acme/web:1.2.0', '--watch']],
  ])('release %j: exit 2 with one line saying what to do instead, after detection alone', async (argv) => {
    const r = await bed.run(argv);
    expect(r).toMatchObject({ code: 2, stdout: '', stderr: RELEASE });
    onlyDetection();
  });

  it.each([
    [['policy', '--workload', 'frontend:deployment/web', '--tag', 'web=1.*']],
    [['policy', '--workload', 'frontend:deployment/web', '--tag-all', 'semver:^1.0']],
    [['policy', '-n', 'frontend', '--workload', 'deployment/web', '--lock', '-m', 'freeze']],
  ])('policy %j: exit 2 with one line saying what to do instead, after detection alone', async (argv) => {
    const r = await bed.run(argv);
    expect(r).toMatchObject({ code: 2, stdout: '', stderr: POLICY });
    onlyDetection();
  });

  it('says the same when Flux v2 is chosen explicitly, before any other request', async () => {
    const r = await bed.run(['release', '--all', '--update-all-images', '--flux-version', 'v2']);
    expect(r).toMatchObject({ code: 2, stdout: '', stderr: RELEASE });
    expect(bed.kube.requests.every((q) => q.method === 'GET' && (q.path === '/apis/source.toolkit.fluxcd.io' || q.path.endsWith('/pods')))).toBe(true);
  });

  it('keeps usage errors ahead of the cluster: a bad flag is exit 2 with usage, and no request', async () => {
    const r = await bed.run(['release', '--workload', 'frontend:deployment/web']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Run 'fluxctl release --help' for usage.");
    expect(bed.kube.requests).toEqual([]);
  });

  it('install generates Flux v1 manifests without talking to the cluster, and its help names flux install for v2', async () => {
    const help = await bed.run(['install', '--help']);
    expect(help.code).toBe(0);
    // help reflows prose at 80 columns: compare the words
    expect(help.stdout.replace(/\s+/g, ' ')).toContain(
      ' These are the manifests of Flux v1 (fluxd), generated locally: install never talks to a cluster. ' +
        'For Flux v2 (the GitOps Toolkit), which the other commands also work with, use the flux CLI: ' +
        'flux install, or flux bootstrap to also commit the manifests to git and set up the deploy key. ',
    );
    const r = await bed.run(['install', '--git-url', 'git@github.com:acme/fleet', '--git-email', 'ops@acme.io']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('image: docker.io/fluxcd/flux:');
    expect(bed.kube.requests).toEqual([]);
  });
});
