import { Command, Option } from 'commander';
import type { Context, TerminalInput } from '../context.js';
import type { DaemonClient } from '../daemon/client.js';
import type { JobResult } from '../daemon/jobs.js';
import { releaseContainersSpec, releaseImageSpec, type ReleaseKind } from '../daemon/spec.js';
import { TimeoutError, UsageError } from '../errors.js';
import { withProgress } from '../output/progress.js';
import { formatImageRef, parseImageRef } from '../util/image-ref.js';
import { awaitJob, awaitUpdate } from './shared/await.js';
import { resolveCause } from './shared/cause.js';
import { addCauseOptions, sliceOption, verbosityOption, workloadNamespace } from './shared/flags.js';
import { collectSlice, parseWorkloadId } from './shared/resource-id.js';
import { menuItems, MenuEnded, pickUpdates } from './release-menu.js';
import { watchRelease } from './release-watch.js';

export interface ReleaseOptions {
  /** Workload IDs, or `<all>`. */
  workloads: string[];
  /** An image ref with a tag, or `<all latest>`. */
  image: string;
  excludes: string[];
  kind: ReleaseKind;
  force: boolean;
  watch: boolean;
  verbosity: number;
  message?: string;
  user?: string;
  /** Set with --interactive: where the menu reads keys. */
  terminal?: TerminalInput;
}

interface RawOptions {
  namespace?: string;
  workload?: string[];
  controller?: string[];
  all: boolean;
  updateImage?: string;
  updateAllImages: boolean;
  exclude?: string[];
  dryRun: boolean;
  interactive: boolean;
  force: boolean;
  watch: boolean;
  verbose: number;
  message?: string;
  user?: string;
}

const EXAMPLES = `
Examples:
  fluxctl release -n default --workload=deployment/foo --update-image=library/hello:v2
  fluxctl release --all --update-image=library/hello:v2
  fluxctl release --workload=default:deployment/foo --update-all-images
  fluxctl release --workload=default:deployment/foo --update-all-images --interactive`;

export function releaseCommand(ctx: Context): Command {
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
    .action(async (raw: RawOptions) => runRelease(ctx, await releaseOptions(ctx, raw)));
}

/** fluxctl's checks, in its order and with its texts; then the IDs and image as it parses them. */
export async function releaseOptions(ctx: Context, raw: RawOptions): Promise<ReleaseOptions> {
  const image = raw.updateImage ?? '';
  if (image !== '' && raw.updateAllImages) throw new UsageError('please supply only one of --update-image=<image> or --update-all-images');
  if (image === '' && !raw.updateAllImages) throw new UsageError('please supply exactly one of --update-image=<image> or --update-all-images');
  const workloads = [...(raw.workload ?? []), ...(raw.controller ?? [])];
  if (workloads.length === 0 && !raw.all) throw new UsageError('please supply either --all, or at least one --workload=<workload>');
  if (raw.watch && raw.dryRun) throw new UsageError('cannot use --watch with --dry-run');
  if (raw.force && raw.all && raw.updateAllImages) throw new UsageError('--force has no effect when used with --all and --update-all-images');
  const say = ctx.narrator();
  if (raw.force && raw.all) say.warn('--force will not ignore locked workloads when used with --all');
  else if (raw.force && raw.updateAllImages) say.warn('--force will not ignore container image tags when used with --update-all-images');
  // fluxctl would execute the selection even with --dry-run; a dry run must never commit.
  if (raw.interactive && raw.dryRun) throw new UsageError('cannot use --interactive with --dry-run', { hint: 'use --dry-run alone to see the plan' });
  const ns = await workloadNamespace(ctx, raw.namespace);
  return {
    workloads: raw.all ? ['<all>'] : workloads.map((w) => parseWorkloadId(w, ns)),
    image: raw.updateAllImages ? '<all latest>' : imageSpec(image),
    excludes: (raw.exclude ?? []).map((w) => parseWorkloadId(w, ns)),
    kind: raw.dryRun || raw.interactive ? 'plan' : 'execute',
    force: raw.force,
    watch: raw.watch,
    verbosity: raw.verbose,
    message: raw.message,
    user: raw.user,
    terminal: raw.interactive ? terminal(ctx) : undefined,
  };
}

/** update.ParseImageSpec: `<all latest>` as is, else a ref that must carry a tag. */
function imageSpec(s: string): string {
  if (s === '<all latest>') return s;
  let ref;
  try {
    ref = parseImageRef(s);
  } catch (e) {
    throw new UsageError((e as Error).message, { hint: 'name the image as <image>:<tag>, e.g. library/hello:v2' });
  }
  if (ref.tag === '') throw new UsageError('blank tag (if you want latest, explicitly state the tag :latest): invalid image ID');
  return formatImageRef(ref);
}

function terminal(ctx: Context): TerminalInput {
  const input = ctx.deps.terminalInput?.();
  if (input?.isTTY !== true || typeof input.setRawMode !== 'function') {
    throw new UsageError('--interactive needs a terminal, but stdin is not a TTY', { hint: 'run it from a terminal, or use --dry-run to see the plan and then release with --workload' });
  }
  return input;
}

export async function runRelease(ctx: Context, opts: ReleaseOptions): Promise<void> {
  const say = ctx.narrator();
  const [cause, daemon] = await Promise.all([resolveCause(opts, ctx.signal, ctx.env), ctx.daemon()]);
  say.info(opts.kind === 'plan' ? 'Submitting dry-run release ...' : 'Submitting release ...');
  const spec = { serviceSpecs: opts.workloads, imageSpec: opts.image, kind: opts.kind, excludes: opts.excludes, force: opts.force };
  let jobId = await daemon.updateManifests(releaseImageSpec(cause, spec));
  const plan = await waitForJob(ctx, daemon, jobId);
  let dryRun = opts.kind === 'plan';
  if (opts.terminal !== undefined) {
    let selection;
    try {
      selection = await pickUpdates(ctx.io, opts.terminal, menuItems(plan.result ?? new Map(), opts.verbosity), ctx.signal);
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
}

/** fluxctl's first wait: a timeout here is only "timeout", without await's long notice. */
async function waitForJob(ctx: Context, daemon: DaemonClient, jobId: string): Promise<JobResult> {
  try {
    return await withProgress(ctx.io, { tty: 'Waiting for the release job' }, {}, () => awaitJob(ctx, daemon, jobId));
  } catch (e) {
    if (!(e instanceof TimeoutError)) throw e;
    throw new TimeoutError(`${e.message} waiting for release job ${jobId}; its outcome is unknown`, { hint: 'check the cluster or the git log; retrying is safe' });
  }
}

/** The workloads the job changed (fluxctl's AffectedResources), sorted. */
function released(result: JobResult): string[] {
  return [...(result.result ?? new Map())].filter(([, r]) => r.Status === 'success').map(([id]) => id).sort();
}
