import type { Connections } from '../context/connections.js';
import { UsageError } from '../errors.js';
import { KubeApiError, type KubeApi } from '../kubernetes/api.js';
import { explainNoPod, NoPodError } from '../kubernetes/daemon-pod.js';
import type { Backend } from './types.js';

/** The API group whose presence means Flux v2 is installed (source-controller's). */
export const FLUX_V2_PROBE = '/apis/source.toolkit.fluxcd.io';

/**
 * Picks the Flux generation. --url (a daemon URL) and --flux-version v1 mean v1; v2 means v2.
 * auto keeps v1's path untouched: the pod lookup fluxctl always made decides, and only when it
 * finds no pod at all do we ask once whether the cluster serves the Flux v2 APIs.
 */
export async function selectBackend(conn: Connections): Promise<Backend> {
  const g = conn.globals;
  if (g.url !== undefined) {
    if (g.fluxVersion === 'v2') throw new UsageError('--url names a Flux v1 daemon, so it cannot be used with --flux-version v2', { hint: 'drop --url (and FLUX_URL) to use Flux v2 through the Kubernetes API' });
    return because(await fluxd(conn), '--url names a Flux v1 daemon');
  }
  if (g.fluxVersion === 'v1') return because(await fluxd(conn), 'asked for with --flux-version v1');
  if (g.fluxVersion === 'v2') return because(await toolkit(conn), 'asked for with --flux-version v2');
  try {
    await conn.daemonPod(false);
    return because(await fluxd(conn), `auto: a Flux v1 daemon pod runs in namespace "${g.fwdNamespace}"`);
  } catch (e) {
    if (!(e instanceof NoPodError)) throw e;
    conn.run.status('No Flux v1 daemon pod: looking for the Flux v2 APIs');
    if (await servesFluxV2(await conn.kube())) {
      const why = `auto: no Flux v1 daemon pod in namespace "${g.fwdNamespace}", and the cluster serves the Flux v2 APIs (source.toolkit.fluxcd.io)`;
      conn.run.debug(why);
      return because(await toolkit(conn), why);
    }
    const full = await explainNoPod(await conn.kube(), e.namespace, e.selectors);
    throw new NoPodError(full.message, { hint: `${full.hint ?? ''}\nhint: no Flux v2 API (source.toolkit.fluxcd.io) was found either` }, e.namespace, e.selectors);
  }
}

/** One discovery request: served means the group answers; 404 means absent. */
export async function servesFluxV2(api: KubeApi): Promise<boolean> {
  try {
    await api.request('GET', FLUX_V2_PROBE);
    return true;
  } catch (e) {
    if (e instanceof KubeApiError && e.status === 404) return false;
    throw e;
  }
}

function because(backend: Backend, why: string): Backend {
  backend.why = why;
  return backend;
}

async function fluxd(conn: Connections): Promise<Backend> {
  const { createFluxdBackend } = await import('./fluxd/index.js');
  return createFluxdBackend(conn);
}

async function toolkit(conn: Connections): Promise<Backend> {
  conn.run.status(`Reading the Flux v2 objects in namespace ${conn.globals.fluxNamespace}`);
  const { connectToolkit } = await import('./toolkit/index.js');
  return connectToolkit(conn);
}
