import type { Connections } from '../../context/connections.js';
import type { Backend } from '../types.js';
import { Toolkit } from './client.js';
import { Session } from './session.js';

/**
 * Flux v2, the GitOps Toolkit: no daemon, so every operation reads and patches the controllers'
 * custom resources through the Kubernetes API (no port-forward). Each feature lives in its own
 * module, loaded when used.
 */
export async function connectToolkit(conn: Connections): Promise<Backend> {
  const api = await conn.kube();
  const tk = new Toolkit(api, conn.globals.fluxNamespace, conn.run.signal, conn.run.debug, conn.run.polling);
  const s = new Session(tk, conn.globals);
  const sync = once(() => import('./sync.js').then((m) => m.createSync(s)));
  const backend: Backend = {
    generation: 'v2',
    describe: `Flux v2 in namespace "${tk.namespace}"`,
    identity: async (regenerate) => (await import('./identity.js')).identity(s, regenerate),
    syncSource: async () => (await sync()).syncSource(),
    requestSync: async () => (await sync()).requestSync(),
    awaitRevision: async (request, narrate) => (await sync()).awaitRevision(request, narrate),
    awaitApplied: async (request, revision, narrate) => (await sync()).awaitApplied(request, revision, narrate),
    syncedWorkloads: async (request) => (await sync()).syncedWorkloads(request),
    listWorkloads: async (namespace) => (await s.listing()).listWorkloads(namespace),
    workloadsById: async (ids) => (await s.listing()).workloadsById(ids),
    listImages: async (query) => (await s.listing()).listImages(query),
    intervals: async (query) => (await import('./intervals.js')).intervals(s, query),
    exportManifests: async () => (await import('./export.js')).exportManifests(s),
    serverVersion: async () => (await import('./version.js')).serverVersion(s),
    setAutomation: async (workload, action) => (await import('./automation.js')).setAutomation(s, workload, action),
    // Only `check` diagnoses: its module (readiness, revisions, git hints) loads when a layer runs.
    diagnostics: () => {
      const d = once(() => import('./diagnostics.js').then((m) => m.toolkitDiagnostics(s, () => backend.why)));
      return {
        found: async () => (await d()).found(),
        permissions: async () => (await d()).permissions(),
        git: async () => (await d()).git(),
        sync: async () => (await d()).sync(),
      };
    },
  };
  return backend;
}

/** A value made on first use, then shared. */
function once<T>(make: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => (value ??= make());
}
