// A realistic bootstrapped cluster: what `flux bootstrap` leaves (gotk-components.yaml and
// gotk-sync.yaml in git, the deploy key Secret in the cluster, the flux-system GitRepository
// and Kustomization applying themselves), an `apps` Kustomization with workloads of every kind
// in three namespaces, a HelmRelease, image automation for one container, and one Deployment
// created by hand that Flux does not manage. Everything is reconciled Ready before it returns.
import yaml from 'js-yaml';
import type { Cluster } from '../kube/cluster.js';
import type { GenericObject } from '../kube/types.js';
import type { Flux2 } from './flux.js';
import type { GitRepo } from './git.js';
import { resourceOf, type FluxKindName } from './kinds.js';
import { fluxMinor } from './releases.js';
import { appFiles, clusterObjects, gotkSync, podinfoChart } from './sample-manifests.js';
import type { KeyAlgorithm } from './ssh-keys.js';
import type { Manifest } from './types.js';

export interface SampleOptions {
  /** Default ssh://git@github.com/acme/fleet-infra (https://github.com/acme/fleet-infra with auth 'https'). */
  url?: string;
  branch?: string;
  /** Bootstrap --path. Default clusters/prod. */
  path?: string;
  /** SSH deploy key (default) or HTTPS basic auth. */
  auth?: 'ssh' | 'https';
  keyAlgorithm?: KeyAlgorithm;
  /** Also commit gotk-components.yaml (the controllers and CRDs), as bootstrap does. Default true. */
  components?: boolean;
}

export interface Sample {
  url: string;
  repo: GitRepo;
  /** The commit everything was applied from. */
  sha: string;
  revision: string;
  /** identity.pub of the deploy key (ssh auth). */
  publicKey?: string;
  /** Workloads in git, as `<namespace>:<kind>/<name>`, and the one made by hand. */
  workloads: string[];
  unmanaged: string;
}

const CLEAN = ['uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields', 'annotations'];

/** The installed controllers and CRDs as bootstrap commits them (no status, no server-set metadata). */
function gotkComponents(flux: Flux2): Manifest[] {
  const strip = (o: GenericObject, apiVersion: string, kind: string): Manifest => {
    const { status: _s, ...rest } = structuredClone(o);
    for (const k of CLEAN) delete rest.metadata[k];
    return { apiVersion, kind, ...rest } as Manifest;
  };
  const crds = flux.cluster.list<GenericObject>('customresourcedefinitions').filter((c) => c.metadata.labels?.['app.kubernetes.io/part-of'] === 'flux');
  const ns = flux.cluster.get<GenericObject>('namespaces', undefined, flux.namespace)!;
  const deps = flux.components.map((c) => flux.cluster.get<GenericObject>('deployments', flux.namespace, c)!);
  return [
    strip(ns, 'v1', 'Namespace'),
    ...crds.map((c) => strip(c, 'apiextensions.k8s.io/v1', 'CustomResourceDefinition')),
    ...deps.map((d) => strip(d, 'apps/v1', 'Deployment')),
  ];
}

/** Commits the sample repository, bootstraps it into the cluster and waits until all of it is Ready. */
export async function sampleFlux2(cluster: Cluster, flux: Flux2, o: SampleOptions = {}): Promise<Sample> {
  const ns = flux.namespace;
  const auth = o.auth ?? 'ssh';
  const url = o.url ?? (auth === 'https' ? 'https://github.com/acme/fleet-infra' : 'ssh://git@github.com/acme/fleet-infra');
  const branch = o.branch ?? 'main';
  const path = o.path ?? 'clusters/prod';
  const minor = fluxMinor(flux.version);
  const helm = flux.components.includes('helm-controller');
  const images = flux.components.includes('image-reflector-controller') && flux.components.includes('image-automation-controller');
  const repo = flux.git(url);
  const sync = gotkSync({ namespace: ns, url, branch, path, secret: true, minor });
  repo.commit({
    [`${path}/${ns}/gotk-components.yaml`]: o.components === false ? null : gotkComponents(flux),
    [`${path}/${ns}/gotk-sync.yaml`]: sync,
    [`${path}/${ns}/kustomization.yaml`]: 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- gotk-components.yaml\n- gotk-sync.yaml\n',
  }, { branch, message: 'Add Flux sync manifests' });
  const apps = Object.fromEntries(Object.entries(appFiles({ namespace: ns, minor, helm, images })).map(([f, c]) => [`apps/prod/${f}`, c]));
  const sha = repo.commit({ ...apps, [`${path}/apps.yaml`]: clusterObjects({ namespace: ns, minor, helm, images, appsPath: 'apps/prod', branch }) }, { branch, message: 'Add apps' });
  if (helm) flux.helmRepository('https://stefanprodan.github.io/podinfo').chart('podinfo', '6.5.3', podinfoChart('6.5.3'), '6.5.3').chart('podinfo', '6.5.4', podinfoChart('6.5.4'), '6.5.4');
  if (images) flux.registry.setTags('ghcr.io/acme/web', ['1.3.0', '1.4.0', '1.4.1', '1.4.2', '2.0.0-rc.1', 'sha-1a2b3c4', 'sha-1a2b3c4.sig']);
  const publicKey = auth === 'ssh' ? flux.deployKey({ url, algorithm: o.keyAlgorithm }).publicKey : undefined;
  if (auth === 'https') flux.basicAuth({ url, username: 'git', password: 'ghp_fleet-infra-token' });
  // bootstrap applies gotk-sync.yaml itself; from then on the flux-system Kustomization owns it.
  for (const m of yaml.loadAll(sync) as Manifest[]) {
    const { apiVersion: _a, kind, ...rest } = m;
    cluster.write(resourceOf(kind as FluxKindName), rest, { fieldManager: 'flux' });
  }
  cluster.addDeployment('backend', { name: 'debug', podLabels: { app: 'debug' }, containers: [{ name: 'shell', image: 'docker.io/library/busybox:1.36', args: ['sleep', 'infinity'] }] });
  const revision = `${branch}@sha1:${sha}`;
  await waitReady(flux, revision, helm, images);
  const workloads = ['backend:cronjob/backup', 'backend:deployment/api', 'backend:statefulset/postgres', 'frontend:deployment/web', 'monitoring:daemonset/node-exporter', ...(helm ? ['frontend:deployment/podinfo'] : [])];
  return { url, repo, sha, revision, ...(publicKey ? { publicKey } : {}), workloads, unmanaged: 'backend:deployment/debug' };
}

async function waitReady(flux: Flux2, revision: string, helm: boolean, images: boolean): Promise<void> {
  const ns = flux.namespace;
  const ready = (o: { status?: { conditions?: Array<{ type: string; status: string }> } }) => o.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
  const applied = (o: { status?: Record<string, unknown> }) => ready(o) && o.status?.lastAppliedRevision === revision;
  await flux.waitFor('Kustomization', `${ns}/${ns}`, applied);
  await flux.waitFor('Kustomization', `${ns}/apps`, applied);
  if (helm) await flux.waitFor('HelmRelease', 'frontend/podinfo', ready);
  if (images) {
    await flux.waitFor('ImagePolicy', `${ns}/web`, ready);
    await flux.waitFor('ImageUpdateAutomation', `${ns}/${ns}`, ready);
  }
  await flux.settled();
}
