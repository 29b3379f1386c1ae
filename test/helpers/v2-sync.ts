import yaml from 'js-yaml';
import type { RecordedRequest } from '@fluxctl/emulator/kube';
import type { Flux2Bed } from './testbed-v2.js';
import { requestLine } from './v2-bed.js';

export { patches } from './v2-bed.js';

/* Shared by the Flux v2 sync tests: request-log views, git edits in the sample fleet, and the narration. */

export const NS = 'flux-system';
export const GIT = `/apis/source.toolkit.fluxcd.io/v1/namespaces/${NS}/gitrepositories`;
export const KS = '/apis/kustomize.toolkit.fluxcd.io/v1';

export type Obj = Record<string, unknown>;

/** `METHOD path?query`, for the Flux objects only (the pod lookup and discovery come before). */
export function fluxCalls(bed: Flux2Bed): string[] {
  return bed.kube.requests.filter((q) => q.path.includes('.toolkit.fluxcd.io/')).map(requestLine);
}

/** Commits a change to one YAML file of the sample repository; returns the new commit. */
export function editGit(bed: Flux2Bed, file: string, edit: (docs: Obj[]) => void): string {
  const repo = bed.sample!.repo;
  const docs = yaml.loadAll(repo.read(repo.head()!, file)!) as Obj[];
  edit(docs);
  return repo.commit({ [file]: docs });
}

/** Points the backend/api Deployment at another image tag in git. */
export const bumpApi = (bed: Flux2Bed, tag: string): string =>
  editGit(bed, 'apps/prod/backend/api.yaml', ([d]) => {
    ((d as { spec: { template: { spec: { containers: Obj[] } } } }).spec.template.spec.containers[0] as Obj).image = `ghcr.io/acme/api:${tag}`;
  });

/** Resolves once `count` requests matching `match` have arrived (answered or in flight). */
export async function requestSeen(bed: Flux2Bed, match: (q: RecordedRequest) => boolean, count = 1): Promise<void> {
  while (bed.kube.requests.filter(match).length < count) await new Promise((r) => setTimeout(r, 5));
}

/** fluxctl's four lines for a sync of the sample fleet that applies `sha`. */
export const narration = (sha: string): string => {
  const rev = sha.slice(0, 7);
  return `Synchronizing with ssh://git@github.com/acme/fleet-infra\nRevision of main to apply is ${rev}\nWaiting for ${rev} to be applied ...\nDone.\n`;
};
