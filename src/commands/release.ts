import { Command, Option } from 'commander';
import type { Context } from '../context.js';
import type { DaemonClient } from '../daemon/client.js';
import type { JobResult } from '../daemon/jobs.js';
import { releaseContainersSpec, releaseImageSpec } from '../daemon/spec.js';
import { TimeoutError } from '../errors.js';
import { withProgress } from '../output/progress.js';
import { awaitJob } from '../backends/fluxd/jobs.js';
import { awaitUpdate } from './shared/await.js';
import { resolveCause } from './shared/cause.js';
import { addCauseOptions, sliceOption, verbosityOption } from './shared/flags.js';
import { collectSlice } from './shared/resource-id.js';
import { menuItems, MenuEnded } from './release-menu.js';
import { releaseOptions, type RawReleaseOptions, type ReleaseOptions } from './release-options.js';
import { pickUpdates } from './release-prompt.js';
import { unknownWorkloads, unknownWorkloadsError } from './release-unknown.js';
import { watchRelease } from './release-watch.js';

export type { ReleaseOptions } from './release-options.js';

/** Flux v2 has no release API: images change in git, by hand or by image automation. */
const RELEASE_ON_V2 = 'change the image in git and run fluxctl sync, or let Flux image automation update it (flux get image policy --all-namespaces)';

const EXAMPLES = `
Examples:
  fluxctl release -n default --workload=deployment/foo --update-image=library/hello:v2
  fluxctl release --all --update-image=library/hello:v2
  fluxctl release --workload=default:deployment/foo --update-all-images
  fluxctl release --workload=default:deployment/foo --update-all-images --interactive`;

export function releaseCommand(ctx: Context, run = runRelease): Command {
  const cmd = new Command('release')
    .description('Release a new version of a workload.')
    .option('-n, --namespace <namespace>', 'Workload namespace (default: the kubeconfig context\'s namespace, else "default")')
    .addOption(sliceOption('--workload <workload>', 'List of workloads to release <namespace>:<kind>/<name>'))
    .option('--all', 'Release all workloads', false)
    .option('-i, --update-image <image>', 'Update a specific image')
    .option('--update-all-images', 'Update all images to latest versions', false)
    .addOption(sliceOption('--exclude <workload>', 'List of workloads to exclude'))
    .option('--dry-run', 'Do not release anything; just report back what would have been done', false)
    .option('--interactive', 'Select interactively which containers to update (needs a terminal)', false)
    .option('-f, --force', 'Disregard locks and container image filters (has no effect when used with --all or --update-all-images)', false)
    .option('-w, --watch', 'Watch rollout progress during release (until ready, bounded by --timeout)', false)
    .addOption(verbosityOption())
    .addOption(
      new Option('-c, --controller <workload>', 'List of controllers to release <namespace>:<kind>/<name>').hideHelp().argParser((v: string, prev: string[] | undefined) => {
        // pflag announces a deprecated flag each time it is set.
        ctx.io.stderr.write('Flag --controller has been deprecated, changed to --workload, use that instead\n');
        return collectSlice(v, prev);
      }),
    );
  return addCauseOptions(cmd)
    .addHelpText('after', EXAMPLES)
    .action(async (raw: RawReleaseOptions) => run(ctx, await releaseOptions(ctx, raw)));
}

export async function runRelease(ctx: Context, opts: ReleaseOptions): Promise<void> {
  const say = ctx.narrator();
  const [cause, daemon] = await Promise.all([resolveCause(opts, ctx.signal, ctx.env), ctx.fluxd(RELEASE_ON_V2)]);
  say.info(opts.kind === 'plan' ? 'Submitting dry-run release ...' : 'Submitting release ...');
  const spec = { serviceSpecs: opts.workloads, imageSpec: opts.image, kind: opts.kind, excludes: opts.excludes, force: opts.force };
  let jobId = await daemon.updateManifests(releaseImageSpec(cause, spec));
  const plan = await waitForJob(ctx, daemon, jobId);
  const unknown = unknownWorkloads(opts.workloads, plan);
  let dryRun = opts.kind === 'plan';
  const terminal = opts.terminal;
  if (terminal !== undefined) {
    if (unknown.length > 0) throw unknownWorkloadsError(unknown, false);
    let selection;
    try {
      const items = menuItems(plan.result ?? new Map(), opts.verbosity);
      selection = await ctx.whilePaused(() => pickUpdates(ctx.io, terminal, items, ctx.signal));
    } catch (e) {
      if (!(e instanceof MenuEnded)) throw e;
      ctx.io.stderr.write(`${e.message}\n`);
      return;
    }
    if (selection.size === 0) {
      ctx.io.stderr.write('No updates selected.\n');
      return;
    }
    say.info('Submitting selected release ...');
    jobId = await daemon.updateManifests(releaseContainersSpec(cause, { kind: 'execute', containerSpecs: selection, skipMismatches: false, force: opts.force }));
    dryRun = false;
  }
  const result = await awaitUpdate(ctx, daemon, jobId, { apply: !dryRun, verbosity: opts.verbosity });
  if (opts.watch) await watchRelease(ctx, daemon, released(result), opts.verbosity);
  if (unknown.length > 0) throw unknownWorkloadsError(unknown, !dryRun && released(result).length > 0);
}

/** fluxctl's first wait: a timeout here is only "timeout", without await's long notice. */
async function waitForJob(ctx: Context, daemon: DaemonClient, jobId: string): Promise<JobResult> {
  try {
    return await withProgress(ctx.io, { tty: 'Waiting for the release job' }, {}, () => awaitJob((d) => ctx.polling(d), daemon, jobId));
  } catch (e) {
    if (!(e instanceof TimeoutError)) throw e;
    throw new TimeoutError(`${e.message} waiting for release job ${jobId}; its outcome is unknown`, { hint: 'check the cluster or the git log; retrying is safe' });
  }
}

/** The workloads the job changed (fluxctl's AffectedResources), sorted. */
function released(result: JobResult): string[] {
  return [...(result.result ?? new Map())].filter(([, r]) => r.Status === 'success').map(([id]) => id).sort();
}
