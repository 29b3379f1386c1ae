import type { DeploymentJson } from '../../kubernetes/deployments.js';

// Flux v1 stamps what it applies from git with a sync checksum (and, with garbage collection,
// a gc mark); Helm marks its releases. Either way a direct patch will be reverted.
const FLUX_ANNOTATIONS = ['fluxcd.io/sync-checksum', 'flux.weave.works/sync-checksum'];
const FLUX_LABELS = ['fluxcd.io/sync-gc-mark', 'flux.weave.works/sync-gc-mark'];

/** Why a direct change to this Deployment may not last, as warnings for stderr. */
export function managementWarnings(d: DeploymentJson): string[] {
  const labels = d.metadata.labels ?? {};
  const annotations = d.metadata.annotations ?? {};
  const warnings: string[] = [];
  if (FLUX_ANNOTATIONS.some((a) => a in annotations) || FLUX_LABELS.some((l) => l in labels)) {
    warnings.push('this Deployment is applied from git by Flux: the next sync will revert the change unless you also change its manifest in git');
  }
  const heritage = labels.heritage ?? '';
  const release = annotations['meta.helm.sh/release-name'] ?? labels.release;
  if (heritage === 'Helm' || heritage === 'Tiller' || labels['app.kubernetes.io/managed-by'] === 'Helm') {
    const name = release ?? '<release>';
    warnings.push(`this Deployment is managed by Helm: the next helm upgrade will revert the change; to keep it, run helm upgrade ${name} fluxcd/flux --reuse-values --set git.pollInterval=<v> --set sync.interval=<v>`);
  }
  return warnings;
}
