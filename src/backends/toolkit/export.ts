import { ForbiddenError } from '../../kubernetes/api.js';
import type { Toolkit } from './client.js';
import type { FluxKind } from './discovery.js';
import { exportObject, generatedCharts, writtenByHelmController, type ExportedObject } from './export-object.js';
import type { Session } from './session.js';

/*
 * `fluxctl save` on Flux v2. Flux v1 exported the workloads it synced; on v2 those are in git
 * already, and what defines the cluster's delivery is the Flux objects themselves: sources,
 * Kustomizations, HelmReleases, image automation and notifications (as `flux export … --all`
 * does per kind). Each is exported at the version we read it with, without status or the
 * metadata the API server and the controllers write.
 */

/** In apply order: sources first, then what uses them. */
export const EXPORTED_KINDS: readonly FluxKind[] = [
  'GitRepository', 'OCIRepository', 'Bucket', 'HelmRepository', 'HelmChart',
  'Kustomization', 'HelmRelease',
  'ImageRepository', 'ImagePolicy', 'ImageUpdateAutomation',
  'Provider', 'Alert', 'Receiver',
];

const CONCURRENT_LISTS = 7;

export async function exportManifests(s: Session): Promise<string> {
  const served = await s.tk.kinds();
  const kinds = EXPORTED_KINDS.flatMap((kind) => {
    const v = served.get(kind);
    return v === undefined ? [] : [{ kind, served: v }];
  });
  const lists: Array<(typeof kinds)[number] & { items: unknown[] }> = [];
  // A few lists at a time: each request listens on the run's signal, and Node warns on stderr
  // (MaxListenersExceededWarning) past 10 listeners.
  for (let i = 0; i < kinds.length; i += CONCURRENT_LISTS) {
    lists.push(...(await Promise.all(kinds.slice(i, i + CONCURRENT_LISTS).map(async (k) => ({ ...k, items: await listEverywhere(s.tk, k.kind) })))));
  }
  // helm-controller makes a HelmChart for each HelmRelease with spec.chart: it comes back with
  // the HelmRelease, so it is not saved.
  const generated = generatedCharts(lists.find((l) => l.kind === 'HelmRelease')?.items ?? []);
  const docs: ExportedObject[] = [];
  for (const { kind, served: version, items } of lists) {
    const mine = kind === 'HelmChart' ? items.filter((item, i) => !writtenByHelmController(item, `HelmChart list[${i}]`)) : items;
    const objects = mine.map((item, i) => exportObject(item, kind, version, `${kind} list[${i}]`));
    const kept = kind === 'HelmChart' ? objects.filter((o) => !generated.has(`${o.metadata.namespace}/${o.metadata.name}`)) : objects;
    docs.push(...kept.sort((a, b) => `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace}/${b.metadata.name}`)));
  }
  s.tk.debug(`exporting ${docs.length} Flux object(s) of ${kinds.length} served kind(s)`);
  // One JSON document per object: JSON is YAML, and it leaves no doubt about types and quoting.
  return docs.map((d) => `---\n${JSON.stringify(d)}\n`).join('');
}

/**
 * Flux objects live in any namespace (tenants keep theirs apart), so list cluster-wide, as v1
 * exported the whole cluster; when RBAC allows only the Flux namespace, export that.
 */
async function listEverywhere(tk: Toolkit, kind: FluxKind): Promise<unknown[]> {
  try {
    return await tk.list(kind, '');
  } catch (e) {
    if (!(e instanceof ForbiddenError)) throw e;
    tk.debug(`cannot list ${kind} in all namespaces (${e.message}); exporting namespace "${tk.namespace}" only`);
    return tk.list(kind, tk.namespace);
  }
}
