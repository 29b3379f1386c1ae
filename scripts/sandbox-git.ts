// What a user of the Flux v2 sandbox would do outside the cluster: push to the fleet repository
// on the emulated git host, or add a deploy key there. The sandbox does these on request
// (Enter, `k`) and in the demo tour, so `fluxctl sync` has something new to apply.
import yaml from 'js-yaml';
import type { GenericObject } from '@fluxctl/emulator/kube';
import type { Flux2Bed } from '../test/helpers/testbed-v2.js';

type Doc = { kind?: string; spec?: Record<string, unknown> };
type Pods = { spec: { template: { spec: { containers: Array<{ image: string }> } } } };

const API_FILE = 'apps/prod/backend/api.yaml';
const APPS_FILE = 'clusters/prod/apps.yaml';

/** Edits the YAML documents of one file at the head of the sample repository and commits them. */
function commitEdit(bed: Flux2Bed, file: string, message: string, edit: (docs: Doc[]) => void): string {
  const repo = bed.sample!.repo;
  const docs = yaml.loadAll(repo.read(repo.head()!, file) ?? '') as Doc[];
  edit(docs);
  return repo.commit({ [file]: docs }, { message });
}

/**
 * The sample's `apps` Kustomization waits for its rollouts (spec.wait), so a sync would end with
 * every rollout done and `sync --watch` would have nothing to follow. The sandbox commits
 * `wait: false`, as a fleet whose health is watched elsewhere does, and applies it.
 */
export async function letRolloutsOutliveSync(bed: Flux2Bed): Promise<void> {
  const sha = commitEdit(bed, APPS_FILE, 'apps: do not wait for rollouts', (docs) => {
    const apps = docs.find((d) => d.kind === 'Kustomization');
    if (!apps?.spec) throw new Error(`${APPS_FILE} has no Kustomization`);
    apps.spec.wait = false;
  });
  const ns = bed.flux.namespace;
  await bed.flux.reconcile('GitRepository', `${ns}/${ns}`);
  await bed.flux.waitFor('Kustomization', `${ns}/apps`, (k) => k.status?.lastAppliedRevision === `main@sha1:${sha}`);
  await bed.flux.settled();
}

/** Commits the next minor version of the backend/api image; says what was pushed. */
export function pushApiRelease(bed: Flux2Bed): string {
  let image = '';
  const sha = commitEdit(bed, API_FILE, 'backend/api: next release', (docs) => {
    const container = (docs[0] as Doc & Pods).spec.template.spec.containers[0]!;
    container.image = image = nextMinor(container.image);
  });
  return `The sandbox pushes ${sha.slice(0, 7)} to ${bed.sample!.url}: backend:deployment/api runs ${image}`;
}

/** `ghcr.io/acme/api:2.3.0` → `ghcr.io/acme/api:2.4.0`. */
export function nextMinor(image: string): string {
  const m = /^(.*):(\d+)\.(\d+)\.(\d+)$/.exec(image);
  if (!m) throw new Error(`${image} has no semver tag`);
  return `${m[1]}:${m[2]}.${Number(m[3]) + 1}.0`;
}

/** Adds the key now in the GitRepository's Secret to the git host, as its deploy-key page would. */
export function addDeployKey(bed: Flux2Bed): string {
  const ns = bed.flux.namespace;
  const secret = bed.kube.cluster.get<GenericObject>('secrets', ns, ns);
  const encoded = (secret?.data as Record<string, string> | undefined)?.['identity.pub'];
  if (!encoded) return `Secret ${ns}/${ns} has no identity.pub: nothing to add`;
  const key = Buffer.from(encoded, 'base64').toString('utf8').trim();
  bed.sample!.repo.authorize(key);
  return `The sandbox adds the key in Secret ${ns}/${ns} (${key.slice(0, 32)}…) to ${bed.sample!.url} as a deploy key`;
}
