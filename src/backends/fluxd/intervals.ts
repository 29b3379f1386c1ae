import type { Connections } from '../../context/connections.js';
import { CliError, InterruptedError, TimeoutError, UsageError } from '../../errors.js';
import { KubeApiError, type KubeApi } from '../../kubernetes/api.js';
import { argsPatch, deploymentOfPod, getDeployment, patchDeployment, rolloutState, type DeploymentJson } from '../../kubernetes/deployments.js';
import { pollUntil } from '../../wait.js';
import type { IntervalChange, IntervalName, IntervalQuery, IntervalTarget, JsonObject } from '../types.js';
import { INTERVAL_FLAGS, pickDaemonContainer, readFlag, setFlag, type IntervalFlag } from './daemon-args.js';
import { managementWarnings } from './management-warnings.js';

const MAX_CONFLICT_RETRIES = 5;
const flagOf = (name: IntervalName): IntervalFlag => `--${name}`;
const nameOf = (flag: IntervalFlag): IntervalName => flag.slice(2) as IntervalName;

/**
 * Flux v1 has no API for its intervals: they are fluxd's --git-poll-interval and
 * --sync-interval args, so set-interval edits the daemon Deployment and waits for its rollout.
 */
export async function daemonIntervals(conn: Connections, query: IntervalQuery): Promise<IntervalTarget> {
  if (conn.globals.url !== undefined) {
    throw new UsageError('set-interval changes the daemon Deployment, so it needs Kubernetes access; it cannot work with --url', { hint: 'drop --url (and FLUX_URL) and use --k8s-fwd-ns' });
  }
  const api = await conn.kube();
  const find = async (): Promise<DeploymentJson> =>
    query.deployment !== undefined ? getDeployment(api, conn.globals.fwdNamespace, query.deployment) : deploymentOfPod(api, await conn.daemonPod());
  const deployment = await find();
  const id = `${deployment.metadata.namespace}/${deployment.metadata.name}`;
  const container = containerOf(deployment, query.container);
  const before = new Map(INTERVAL_FLAGS.map((f) => [f, readFlag(container.args ?? [], f)] as const));
  // -o json reports what the daemon runs with: after a change, the Deployment the API server returned.
  let summary = summaryOf(id, container);
  return {
    object: `Deployment ${id}`,
    subject: `Deployment ${id}, container ${container.name}`,
    settings: INTERVAL_FLAGS.map((f) => ({ setting: nameOf(f), object: `Deployment ${id}`, value: before.get(f)?.value ?? '', source: before.get(f)?.explicit === true ? 'args' : 'default' })),
    warnings: managementWarnings(deployment),
    get summary() {
      return summary;
    },
    unchanged: (changes) => INTERVAL_FLAGS.every((f) => before.get(f)?.explicit === true && (changes.get(nameOf(f)) ?? before.get(f)?.value) === before.get(f)?.value),
    apply: async (changes, dryRun) => {
      const patched = await applyArgs(conn, api, deployment, container.name, changes, dryRun, find);
      if (!dryRun) summary = summaryOf(id, containerOf(patched, container.name));
      return rollout(conn, api, patched);
    },
  };
}

function summaryOf(id: string, container: { name: string; args?: string[] }): JsonObject {
  const value = (f: IntervalFlag): string => readFlag(container.args ?? [], f).value;
  return { deployment: id, container: container.name, gitPollInterval: value('--git-poll-interval'), syncInterval: value('--sync-interval') };
}

function containerOf(d: DeploymentJson, explicit: string | undefined): { name: string; args?: string[] } {
  const found = pickDaemonContainer(d.spec.template.spec.containers, explicit);
  if (typeof found === 'string') throw new UsageError(`deployment ${d.metadata.namespace}/${d.metadata.name}: ${found}`);
  return found;
}

/** Patches the args guarded by resourceVersion; on 409 re-reads and recomputes (someone else wrote). */
async function applyArgs(
  conn: Connections,
  api: KubeApi,
  first: DeploymentJson,
  containerName: string,
  changes: ReadonlyMap<IntervalName, string>,
  dryRun: boolean,
  reread: () => Promise<DeploymentJson>,
): Promise<DeploymentJson> {
  let d = first;
  for (let attempt = 1; ; attempt++) {
    let args = containerOf(d, containerName).args ?? [];
    for (const [name, value] of changes) args = setFlag(args, flagOf(name), value);
    try {
      return await patchDeployment(api, d, argsPatch(d, containerName, args), dryRun);
    } catch (e) {
      if (e instanceof InterruptedError && !dryRun) {
        throw new InterruptedError({ hint: `the PATCH was on its way, so the new intervals may or may not be applied: check with fluxctl set-interval --k8s-fwd-ns ${d.metadata.namespace}` });
      }
      if (!(e instanceof KubeApiError)) throw e;
      if (e.status === 409 && attempt < MAX_CONFLICT_RETRIES) {
        conn.run.debug(`deployment changed since it was read (409 Conflict); reading it again (attempt ${attempt + 1})`);
        d = await reread();
        continue;
      }
      const { namespace, name } = d.metadata;
      const causes = e.statusObject?.details?.causes?.map((c) => `  ${c.field ?? ''}: ${c.message ?? ''}`).join('\n');
      const hint =
        e.status === 409
          ? `another client keeps changing deployment ${namespace}/${name}: try again, or see who manages it (kubectl get deploy ${name} -n ${namespace} --show-managed-fields)`
          : 'the API server (or an admission webhook) rejected the new args: fix the cause above and try again';
      throw new CliError(`could not patch deployment ${namespace}/${name}: ${e.message}${causes ? `\n${causes}` : ''}`, { hint });
    }
  }
}

/** fluxd restarts with the new args: the change is in effect when the rollout is (kubectl rollout status). */
function rollout(conn: Connections, api: KubeApi, patched: DeploymentJson): IntervalChange {
  const { namespace, name } = patched.metadata;
  return {
    notice: patched.spec.paused === true ? `deployment ${namespace}/${name} is paused: the new intervals take effect when it is resumed` : undefined,
    waiting: `Waiting for deployment "${name}" rollout to finish`,
    followHint: `Not waiting for the rollout; follow it with: kubectl rollout status deployment/${name} -n ${namespace}`,
    settle: async (narrate) => {
      await pollUntil(
        async () => {
          const state = rolloutState(await getDeployment(api, namespace, name));
          if (state.done) return state;
          narrate.progress(state.message);
          return undefined;
        },
        conn.run.polling((n) => Math.min(1000, 250 * n)),
      ).catch((e: unknown) => {
        if (e instanceof InterruptedError) {
          // The patch is in: say so, since the rollout goes on without us.
          throw new InterruptedError({ hint: `the new intervals were applied; follow the rollout with: kubectl rollout status deployment/${name} -n ${namespace}` });
        }
        if (!(e instanceof TimeoutError)) throw e;
        throw new TimeoutError(`${e.message} waiting for the rollout of deployment ${namespace}/${name}; the new intervals were applied, but whether the daemon restarted is unknown`, {
          hint: `check with: kubectl rollout status deployment/${name} -n ${namespace}`,
        });
      });
      return `deployment "${name}" successfully rolled out`;
    },
  };
}
