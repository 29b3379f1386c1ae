import { Command } from 'commander';
import type { Context } from '../context.js';
import { CliError, InterruptedError, TimeoutError, UsageError } from '../errors.js';
import type { KubeApi } from '../kubernetes/api.js';
import { KubeApiError } from '../kubernetes/api.js';
import { argsPatch, deploymentOfPod, getDeployment, patchDeployment, rolloutState, type DeploymentJson } from '../kubernetes/deployments.js';
import { withProgress } from '../output/progress.js';
import { jsonDocument, parseOutputFormat, type OutputFormat } from '../output/render.js';
import { renderTable } from '../output/table.js';
import { INTERVAL_FLAGS, pickDaemonContainer, readFlag, setFlag, type IntervalFlag } from '../util/daemon-args.js';
import { parseGoDuration } from '../util/go-duration.js';
import { pollUntil } from '../wait.js';
import { managementWarnings } from './set-interval-warnings.js';

export interface SetIntervalOptions {
  /** New values; empty means "show the current ones". */
  changes: Map<IntervalFlag, string>;
  deployment: string | undefined;
  container: string | undefined;
  dryRun: boolean;
  wait: boolean;
  format: OutputFormat;
}

const MAX_CONFLICT_RETRIES = 5;

/** Go duration syntax, strictly positive: fluxd would poll or sync continuously on zero. */
export function parseInterval(value: string, flag: string): string {
  let ns: bigint;
  try {
    ns = parseGoDuration(value);
  } catch (e) {
    throw new UsageError(`invalid ${flag} ${JSON.stringify(value)}: ${(e as Error).message}`, { hint: 'use Go duration syntax, such as 30s, 5m or 1h30m' });
  }
  if (ns <= 0n) throw new UsageError(`invalid ${flag} ${JSON.stringify(value)}: the interval must be positive`, { hint: 'use a duration such as 30s, 5m or 1h' });
  return value;
}

export function setIntervalCommand(ctx: Context): Command {
  return new Command('set-interval')
    .description("Show or change how often the daemon polls git and syncs (its --git-poll-interval and --sync-interval), then wait for the rollout")
    .argument('[duration]', 'new value for both intervals, e.g. 1m (omit to show the current values)')
    .option('--git-poll-interval <duration>', 'set only the git poll interval')
    .option('--sync-interval <duration>', 'set only the sync interval')
    .option('--deployment <name>', 'the daemon Deployment in --k8s-fwd-ns (default: the owner of the daemon pod)')
    .option('--container <name>', 'the fluxd container in the Deployment (default: "flux", or the one running fluxd)')
    .option('--dry-run', 'show the change (validated by the API server) without applying it', false)
    .option('--no-wait', 'do not wait for the rollout to finish')
    .option('-o, --output-format <format>', 'Output format (tab or json)', 'tab')
    .addHelpText('after', '\nExamples:\n  fluxctl set-interval --k8s-fwd-ns flux            # show the current intervals\n  fluxctl set-interval --k8s-fwd-ns flux 1m         # poll git and sync every minute\n  fluxctl set-interval --k8s-fwd-ns flux --sync-interval 10m --dry-run')
    .action((duration: string | undefined, opts: { gitPollInterval?: string; syncInterval?: string; deployment?: string; container?: string; dryRun: boolean; wait: boolean; outputFormat: string }) => {
      const changes = new Map<IntervalFlag, string>();
      if (duration !== undefined) for (const flag of INTERVAL_FLAGS) changes.set(flag, parseInterval(duration, 'duration'));
      if (opts.gitPollInterval !== undefined) changes.set('--git-poll-interval', parseInterval(opts.gitPollInterval, '--git-poll-interval'));
      if (opts.syncInterval !== undefined) changes.set('--sync-interval', parseInterval(opts.syncInterval, '--sync-interval'));
      if (changes.size === 0 && opts.dryRun) throw new UsageError('--dry-run needs a new interval to show', { hint: 'e.g. fluxctl set-interval 1m --dry-run' });
      const format = parseOutputFormat(opts.outputFormat, ['tab', 'json']);
      return runSetInterval(ctx, { changes, deployment: opts.deployment, container: opts.container, dryRun: opts.dryRun, wait: opts.wait, format });
    });
}

export async function runSetInterval(ctx: Context, opts: SetIntervalOptions): Promise<void> {
  if (ctx.globals.url !== undefined) {
    throw new UsageError('set-interval changes the daemon Deployment, so it needs Kubernetes access; it cannot work with --url', { hint: 'drop --url (and FLUX_URL) and use --k8s-fwd-ns' });
  }
  const quiet = opts.format === 'json';
  const say = ctx.narrator(quiet);
  const api = await ctx.kube();
  const find = async (): Promise<DeploymentJson> =>
    opts.deployment !== undefined ? getDeployment(api, ctx.globals.fwdNamespace, opts.deployment) : deploymentOfPod(api, await ctx.daemonPod());
  let deployment = await find();
  const id = `${deployment.metadata.namespace}/${deployment.metadata.name}`;
  const container = containerOf(deployment, opts.container);
  const before = new Map(INTERVAL_FLAGS.map((f) => [f, readFlag(container.args ?? [], f)] as const));
  if (opts.changes.size === 0) {
    ctx.io.stdout.write(quiet ? jsonDocument(summary(id, container.name, before)) : await currentTable(ctx, before));
    return;
  }
  const after = new Map(INTERVAL_FLAGS.map((f) => [f, opts.changes.get(f) ?? before.get(f)?.value ?? ''] as const));
  const rows = INTERVAL_FLAGS.map((f) => ({ flag: f, before: before.get(f)?.value ?? '', after: after.get(f) ?? '' }));
  const render = async (applied: boolean): Promise<string> =>
    quiet
      ? jsonDocument({ ...summary(id, container.name, before), changes: rows.map((r) => ({ flag: r.flag, before: r.before, after: r.after })), dryRun: opts.dryRun, applied })
      : renderTable(ctx.io, ['SETTING', 'BEFORE', 'AFTER'], rows.map((r) => [r.flag.slice(2), r.before, r.after]));
  if (rows.every((r) => before.get(r.flag)?.explicit === true && r.before === r.after)) {
    say.info(`Deployment ${id} already uses these intervals; nothing to change.`);
    ctx.io.stdout.write(await render(false));
    return;
  }
  say.info(`Deployment ${id}, container ${container.name}`);
  for (const w of managementWarnings(deployment)) say.warn(w);
  deployment = await applyArgs(ctx, api, deployment, container.name, opts, find);
  if (opts.dryRun) {
    say.info('Dry run: the API server accepted the change, nothing was applied.');
  } else if (deployment.spec.paused === true) {
    say.warn(`deployment ${id} is paused: the new intervals take effect when it is resumed`);
  } else if (opts.wait) {
    await waitForRollout(ctx, api, deployment, quiet);
  } else {
    say.info(`Not waiting for the rollout; follow it with: kubectl rollout status deployment/${deployment.metadata.name} -n ${deployment.metadata.namespace}`);
  }
  ctx.io.stdout.write(await render(!opts.dryRun));
}

function containerOf(d: DeploymentJson, explicit: string | undefined): { name: string; args?: string[] } {
  const found = pickDaemonContainer(d.spec.template.spec.containers, explicit);
  if (typeof found === 'string') throw new UsageError(`deployment ${d.metadata.namespace}/${d.metadata.name}: ${found}`);
  return found;
}

function currentTable(ctx: Context, before: Map<IntervalFlag, { value: string; explicit: boolean }>): Promise<string> {
  return renderTable(ctx.io, ['SETTING', 'VALUE', 'SOURCE'], [...before].map(([f, v]) => [f.slice(2), v.value, v.explicit ? 'args' : 'default']));
}

function summary(id: string, container: string, before: Map<IntervalFlag, { value: string; explicit: boolean }>): { deployment: string; container: string; gitPollInterval: string; syncInterval: string } {
  return { deployment: id, container, gitPollInterval: before.get('--git-poll-interval')?.value ?? '', syncInterval: before.get('--sync-interval')?.value ?? '' };
}

/** Patches the args guarded by resourceVersion; on 409 re-reads and recomputes (someone else wrote). */
async function applyArgs(ctx: Context, api: KubeApi, first: DeploymentJson, containerName: string, opts: SetIntervalOptions, reread: () => Promise<DeploymentJson>): Promise<DeploymentJson> {
  let d = first;
  for (let attempt = 1; ; attempt++) {
    let args = containerOf(d, containerName).args ?? [];
    for (const [flag, value] of opts.changes) args = setFlag(args, flag, value);
    try {
      return await patchDeployment(api, d, argsPatch(d, containerName, args), opts.dryRun);
    } catch (e) {
      if (e instanceof InterruptedError && !opts.dryRun) {
        throw new InterruptedError({ hint: `the PATCH was on its way, so the new intervals may or may not be applied: check with fluxctl set-interval --k8s-fwd-ns ${d.metadata.namespace}` });
      }
      if (!(e instanceof KubeApiError)) throw e;
      if (e.status === 409 && attempt < MAX_CONFLICT_RETRIES) {
        ctx.debug(`deployment changed since it was read (409 Conflict); reading it again (attempt ${attempt + 1})`);
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

async function waitForRollout(ctx: Context, api: KubeApi, patched: DeploymentJson, quiet: boolean): Promise<void> {
  const { namespace, name } = patched.metadata;
  const say = ctx.narrator(quiet);
  await withProgress(ctx.io, { tty: `Waiting for deployment "${name}" rollout to finish` }, { quiet, printUpdates: true }, (progress) =>
    pollUntil(
      async () => {
        const state = rolloutState(await getDeployment(api, namespace, name));
        if (state.done) return state;
        progress.update(state.message);
        return undefined;
      },
      ctx.polling((n) => Math.min(1000, 250 * n)),
    ),
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
  say.success(`deployment "${name}" successfully rolled out`);
}
