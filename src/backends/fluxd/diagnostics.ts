import type { Connections } from '../../context/connections.js';
import type { DaemonClient } from '../../daemon/client.js';
import type { GitConfig } from '../../daemon/git-config.js';
import { authHint, looksLikeAuthFailure } from '../git-hint.js';
import type { AccessRule, Diagnostics } from '../types.js';

interface PodJson {
  status?: { phase?: string };
  spec?: { containers?: Array<{ name?: string; image?: string }> };
}

/** `fluxctl check` on Flux v1: the daemon pod, the tunnel's permissions, the API, git, and pending commits. */
export function daemonDiagnostics(conn: Connections, why: () => string | undefined): Diagnostics {
  let config: Promise<GitConfig> | undefined;
  const daemon = (): Promise<DaemonClient> => conn.daemon();
  const gitConfig = (): Promise<GitConfig> => (config ??= daemon().then((d) => d.gitRepoConfig(false)));
  const ns = conn.globals.fwdNamespace;
  return {
    async found() {
      if (conn.globals.url !== undefined) return { status: 'ok', message: `Flux v1 daemon at --url (${why() ?? 'v1'})` };
      const pod = await conn.daemonPod();
      const json = (await (await conn.kube()).request('GET', `/api/v1/namespaces/${encodeURIComponent(pod.namespace)}/pods/${encodeURIComponent(pod.name)}`)) as PodJson;
      const containers = json.spec?.containers ?? [];
      const image = (containers.find((c) => c.name === 'flux') ?? containers[0])?.image ?? 'unknown image';
      return { status: 'ok', message: `Flux v1 daemon pod ${pod.namespace}/${pod.name} (${json.status?.phase ?? 'Unknown'}, ${image}); ${why() ?? 'v1'}` };
    },
    async permissions(): Promise<AccessRule[]> {
      if (conn.globals.url !== undefined) return [];
      // Both verbs on pods/portforward: before Kubernetes 1.35 the WebSocket GET is authorised as `get`; 1.35+ also wants `create`.
      return [
        { verb: 'list', resource: 'pods', namespace: ns, usedBy: 'finding the daemon pod' },
        { verb: 'get', resource: 'pods', subresource: 'portforward', namespace: ns, usedBy: 'the tunnel to the daemon' },
        { verb: 'create', resource: 'pods', subresource: 'portforward', namespace: ns, usedBy: 'the tunnel to the daemon on Kubernetes 1.35+' },
        { verb: 'get', resource: 'replicasets', group: 'apps', namespace: ns, usedBy: 'set-interval', optional: true },
        { verb: 'get', resource: 'deployments', group: 'apps', namespace: ns, usedBy: 'set-interval', optional: true },
        { verb: 'patch', resource: 'deployments', group: 'apps', namespace: ns, usedBy: 'set-interval', optional: true },
      ];
    },
    async api() {
      const where = conn.globals.url !== undefined ? 'at --url' : 'through the tunnel';
      return { status: 'ok', message: `fluxd ${await (await daemon()).version()} answers ${where}` };
    },
    async git() {
      const c = await gitConfig();
      const { url, branch } = c.remote;
      if (c.status === 'ready') return { status: 'ok', message: `${url} (branch ${branch}) is ready` };
      if (c.status === 'unconfigured') return { status: 'fail', message: 'the daemon has no git repository configured', hint: 'run fluxd with --git-url' };
      const hint = looksLikeAuthFailure(c.errors) ? authHint(url) : `the daemon reports "${c.status}"; its logs say more: kubectl logs -n ${ns} deploy/flux`;
      return { status: 'fail', message: `${url} is ${c.status}`, details: c.errors === '' ? [] : c.errors.split('\n'), hint };
    },
    async sync() {
      const { branch } = (await gitConfig()).remote;
      const pending = (await (await daemon()).syncStatus(branch)) ?? [];
      if (pending.length === 0) return { status: 'ok', message: `every commit on ${branch} is applied` };
      return {
        status: 'warn',
        message: `${pending.length} commit(s) on ${branch} not applied yet`,
        details: pending.slice(0, 5).map((c) => c.slice(0, 7)),
        hint: 'the daemon applies them at its next sync; fluxctl sync applies them now',
      };
    },
  };
}
