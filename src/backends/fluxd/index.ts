import type { Connections } from '../../context/connections.js';
import type { DaemonClient } from '../../daemon/client.js';
import { CliError, DaemonApiError } from '../../errors.js';
import type { Backend } from '../types.js';
import { daemonDiagnostics } from './diagnostics.js';
import { daemonIntervals } from './intervals.js';
import { awaitRevisionApplied, awaitSyncJob, syncSource } from './sync.js';

/**
 * Flux v1: the fluxd HTTP API (fluxcd/flux pkg/api), through a port-forward tunnel to the
 * daemon pod or at --url. Each method is the request sequence fluxctl 1.25.4 made, so output
 * and request counts are those of fluxctl.
 */
export function createFluxdBackend(conn: Connections): Backend {
  const daemon = (): Promise<DaemonClient> => conn.daemon();
  const poll = conn.run.polling;
  const backend: Backend = {
    generation: 'v1',
    get describe() {
      return conn.globals.url !== undefined ? 'the daemon at --url' : `the daemon in namespace "${conn.globals.fwdNamespace}"`;
    },
    async identity(regenerate) {
      const key = (await (await daemon()).gitRepoConfig(regenerate)).publicSSHKey;
      return { key, warnings: key.key === '' ? ['the daemon has no SSH key (its git URL is not SSH, or it does not run in a cluster)'] : [] };
    },
    syncSource: async () => syncSource(await (await daemon()).gitRepoConfig(false)),
    requestSync: async () => ({ id: await (await daemon()).syncJob() }),
    awaitRevision: async (request, narrate) => awaitSyncJob(poll, await daemon(), request.id, narrate),
    awaitApplied: async (_request, revision) => awaitRevisionApplied(poll, await daemon(), revision),
    syncedWorkloads: async () => (await (await daemon()).listServices('')) ?? [],
    listWorkloads: async (namespace) => (await daemon()).listServices(namespace),
    listWorkloadRows: async (namespace) => (await daemon()).listServiceRows(namespace),
    workloadsById: async (ids) => (await daemon()).listServicesWithOptions('', ids),
    // containerFields= (every field), as fluxctl sends it: see the README on why not a subset.
    listImages: async (q) => (await daemon()).listImages({ service: q.workload ?? '<all>', namespace: q.namespace, containerFields: [] }),
    listImageTable: async (q) => (await daemon()).listImageTable({ service: q.workload ?? '<all>', namespace: q.namespace, containerFields: [] }),
    intervals: (query) => daemonIntervals(conn, query),
    exportManifests: async () => (await daemon()).export(),
    serverVersion: async () => serverVersion(await daemon()),
    diagnostics: () => daemonDiagnostics(conn, () => backend.why),
  };
  return backend;
}

async function serverVersion(daemon: DaemonClient): Promise<string> {
  try {
    return await daemon.version();
  } catch (e) {
    // fluxctl never called /v11/version: the API's own 404 means a daemon too old to answer it
    // (a non-API 404, i.e. a wrong --url, already carries the transport's hint).
    if (e instanceof DaemonApiError && e.status === 404) {
      throw new CliError('the Flux daemon does not report its version (GET /v11/version: API endpoint not found)', {
        hint: "this fluxd predates the /v11 API: upgrade it (its image tag shows its version: kubectl get deployment -o wide in the daemon's namespace)",
        cause: e,
      });
    }
    throw e;
  }
}
