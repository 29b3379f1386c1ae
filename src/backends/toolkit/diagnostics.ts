import { ForbiddenError } from '../../kubernetes/api.js';
import { authHint, looksLikeAuthFailure } from '../git-hint.js';
import type { AccessRule, Diagnosis, Diagnostics } from '../types.js';
import { readiness } from './conditions.js';
import { decodeApp } from './decode-apps.js';
import { FLUX_KINDS, type FluxKind, type ServedKinds } from './discovery.js';
import { sameRevision, shortRevision } from './revision.js';
import { Session } from './session.js';

const PART_OF_FLUX = 'app.kubernetes.io/part-of=flux';

/** `fluxctl check` on Flux v2: the controllers, the permissions of Appendix-A, the root GitRepository and its Kustomizations. */
export function toolkitDiagnostics(s: Session, why: () => string | undefined): Diagnostics {
  const ns = s.tk.namespace;
  return {
    found: () => controllers(s, why()),
    permissions: async () => permissions(ns, await s.tk.kinds()),
    async git() {
      const repo = await s.root();
      const what = Session.describe('GitRepository', repo);
      if (repo.spec.suspend) return { status: 'warn', message: `${what} is suspended: nothing is fetched`, hint: `resume it with: flux resume source git ${repo.metadata.name} -n ${ns}` };
      const r = readiness(repo.metadata.generation, repo.status);
      const revision = repo.status.artifact?.revision ?? '';
      if (r.state === 'ready') return { status: 'ok', message: `${what} (${repo.spec.url}) is Ready at ${revision || 'no revision'}` };
      if (r.state === 'failed' || r.state === 'stalled') {
        const auth = r.reason === 'AuthenticationFailed' || looksLikeAuthFailure(r.message);
        const hint = auth ? authHint(repo.spec.url) : `see the controller's events: kubectl describe gitrepository ${repo.metadata.name} -n ${ns}`;
        return { status: 'fail', message: `${what} is not Ready: ${r.reason}`, details: r.message === '' ? [] : [r.message], hint };
      }
      return { status: 'warn', message: `${what} is reconciling${r.message === '' ? '' : `: ${r.message}`}`, hint: 'check again in a moment' };
    },
    async sync() {
      const [repo, kustomizations] = await Promise.all([s.root(), s.rootKustomizations()]);
      const revision = repo.status.artifact?.revision ?? '';
      if (kustomizations.length === 0) return { status: 'warn', message: `no Kustomization applies ${Session.describe('GitRepository', repo)}`, hint: 'nothing from this repository reaches the cluster' };
      const lines: string[] = [];
      let worst: Diagnosis['status'] = 'ok';
      for (const k of kustomizations) {
        const what = Session.describe('Kustomization', k);
        const r = readiness(k.metadata.generation, k.status);
        const applied = revision !== '' && sameRevision(k.status.lastAppliedRevision, revision);
        if (k.spec.suspend) {
          lines.push(`${what}: suspended`);
          if (worst === 'ok') worst = 'warn';
        } else if (r.state === 'failed' || r.state === 'stalled') {
          lines.push(`${what}: ${r.reason}: ${r.message}`);
          worst = 'fail';
        } else if (r.state !== 'ready' || !applied) {
          lines.push(`${what}: ${applied ? r.reason || 'reconciling' : `applied ${shortRevision(k.status.lastAppliedRevision) || 'nothing yet'}, not ${shortRevision(revision)}`}`);
          if (worst === 'ok') worst = 'warn';
        }
      }
      const n = kustomizations.length;
      if (worst === 'ok') return { status: 'ok', message: `${n} Kustomization(s) applied ${shortRevision(revision)} and are Ready` };
      if (worst === 'fail') return { status: 'fail', message: `a Kustomization is failing`, details: lines, hint: `see the controller's message with: flux get kustomizations --all-namespaces` };
      return { status: 'warn', message: `not everything is applied yet`, details: lines, hint: 'fluxctl sync applies the latest revision now' };
    },
  };
}

/** The controllers' Deployments: the Flux version (label, else image tag) and which are not ready. */
async function controllers(s: Session, why: string | undefined): Promise<Diagnosis> {
  const ns = s.tk.namespace;
  const because = why === undefined ? '' : `; ${why}`;
  let items: unknown[];
  try {
    items = await s.tk.list('Deployment', ns, { labelSelector: PART_OF_FLUX });
  } catch (e) {
    if (!(e instanceof ForbiddenError)) throw e;
    return { status: 'warn', message: `Flux v2 APIs are served; its controllers in "${ns}" cannot be listed${because}`, details: [e.message], hint: `versions and controller health need: kubectl auth can-i list deployments.apps -n ${ns}` };
  }
  if (items.length === 0) return { status: 'fail', message: `the Flux v2 APIs are served, but no Flux controller runs in namespace "${ns}"${because}`, hint: 'pass --k8s-fwd-ns with the namespace Flux is installed in', exitCode: 3 };
  const apps = items.map((d, i) => decodeApp('Deployment')(d, `Deployment list[${i}]`));
  // flux install/bootstrap label the version; a static install.yaml does not (then the image tags tell).
  const version = apps.map((a) => a.metadata.labels?.get('app.kubernetes.io/version') ?? '').find((v) => v !== '');
  const down = apps.filter((a) => a.state.kind === 'Deployment' && a.state.availableReplicas < a.state.replicas).map((a) => a.metadata.name);
  const tags = apps.map((a) => `${a.metadata.name} ${a.containers[0]?.image.split(':').pop() ?? ''}`.trim());
  const flux = version === undefined ? 'Flux v2' : `Flux ${version}`;
  if (down.length > 0) {
    return { status: 'fail', message: `${flux} in "${ns}": ${down.join(', ')} not ready${because}`, details: tags, hint: `see why with: kubectl get pods -n ${ns}`, exitCode: 3 };
  }
  return { status: 'ok', message: `${flux} in "${ns}": ${apps.length} controllers ready (${tags.join(', ')})${because}` };
}

/** What each command needs on Flux v2 (the verbs the flux CLI's own commands use): sync's verbs are required, the rest only warn. */
function permissions(ns: string, kinds: ServedKinds): AccessRule[] {
  const rule = (verb: string, kind: FluxKind, usedBy: string, optional = false): AccessRule[] => {
    const served = kinds.get(kind);
    return served === undefined ? [] : [{ verb, resource: FLUX_KINDS[kind].plural, group: served.group, namespace: ns, usedBy, optional }];
  };
  return [
    ...rule('get', 'GitRepository', 'every command'),
    ...rule('patch', 'GitRepository', 'sync'),
    ...rule('list', 'Kustomization', 'sync'),
    ...rule('patch', 'Kustomization', 'sync'),
    { verb: 'get', resource: 'secrets', namespace: ns, usedBy: 'identity', optional: true },
    { verb: 'patch', resource: 'secrets', namespace: ns, usedBy: 'identity --regenerate', optional: true },
    { verb: 'list', resource: 'deployments', group: 'apps', namespace: ns, usedBy: 'list-workloads', optional: true },
    { verb: 'list', resource: 'cronjobs', group: 'batch', namespace: ns, usedBy: 'list-workloads', optional: true },
    ...rule('list', 'HelmRelease', 'list-workloads', true),
    ...rule('list', 'ImagePolicy', 'list-images', true),
    ...rule('patch', 'ImagePolicy', 'automate, lock', true),
  ];
}
