import type { Connections } from '../../context/connections.js';
import { UnsupportedError } from '../../errors.js';
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
  const tk = new Toolkit(api, conn.globals.fluxNamespace, conn.run.signal, conn.run.debug);
  const s = new Session(tk, conn.globals);
  const pending = (what: string): never => {
    throw new UnsupportedError(`${what} is not available on Flux v2 yet`);
  };
  return {
    generation: 'v2',
    describe: `Flux v2 in namespace "${tk.namespace}"`,
    identity: async () => pending('identity'),
    syncSource: async () => pending('sync'),
    requestSync: async () => pending('sync'),
    awaitRevision: async () => pending('sync'),
    awaitApplied: async () => pending('sync'),
    syncedWorkloads: async () => pending('sync --watch'),
    listWorkloads: async () => pending('list-workloads'),
    workloadsById: async () => pending('list-workloads'),
    listImages: async () => pending('list-images'),
    intervals: async () => pending(`set-interval (root ${(await s.root()).metadata.name})`),
    exportManifests: async () => pending('save'),
    serverVersion: async () => pending('version --server'),
  };
}
