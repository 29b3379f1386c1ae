import { Command } from 'commander';
import type { Context } from '../context.js';
import type { DaemonClient } from '../daemon/client.js';
import type { GitConfig } from '../daemon/git-config.js';
import type { JobResult } from '../daemon/jobs.js';
import { CliError, TimeoutError } from '../errors.js';
import { withProgress } from '../output/progress.js';
import { jsonDocument, parseOutputFormat, type OutputFormat } from '../output/render.js';
import { goQuote } from '../util/go-quote.js';
import { awaitApplied, awaitJob, JobFailedError } from './shared/await.js';
import { unsettled, watchRollouts } from './shared/watch-rollouts.js';

export interface SyncOptions {
  format: OutputFormat;
  /** Follow the rollouts the sync started until they are ready (our addition). */
  watch: boolean;
}

export function syncCommand(ctx: Context): Command {
  return new Command('sync')
    .description('Synchronize the cluster with the git repository, now')
    .option('-o, --output-format <format>', 'Output format: tab (narration only, as fluxctl) or json (a result object on stdout)', 'tab')
    .option('-w, --watch', 'after the revision is applied, follow the rollouts of workloads that are not ready until they are (bounded by --timeout)', false)
    .addHelpText('after', '\nExamples:\n  fluxctl sync --k8s-fwd-ns flux\n  fluxctl sync --k8s-fwd-ns flux --watch --timeout 5m')
    .action((opts: { outputFormat: string; watch: boolean }) => runSync(ctx, { format: parseOutputFormat(opts.outputFormat, ['tab', 'json']), watch: opts.watch }));
}

export async function runSync(ctx: Context, opts: SyncOptions): Promise<void> {
  const quiet = opts.format === 'json';
  const say = ctx.narrator(quiet);
  const daemon = await ctx.daemon();
  const config = await daemon.gitRepoConfig(false);
  checkRepoReady(config);
  say.info(`Synchronizing with ${config.remote.url}`);
  const jobId = await daemon.syncJob();
  const result = await withProgress(ctx.io, { tty: 'Waiting for the sync job' }, { quiet }, () => awaitSyncJob(ctx, daemon, jobId));
  const revision = result.revision ?? '';
  if (revision.length < 7) throw new CliError(`the sync job ${goQuote(jobId)} finished without a revision`);
  const rev = revision.slice(0, 7);
  say.info(`Revision of ${config.remote.branch} to apply is ${rev}`);
  await withProgress(ctx.io, { plain: `Waiting for ${rev} to be applied ...`, tty: `Waiting for ${rev} to be applied` }, { quiet }, () =>
    awaitRevision(ctx, daemon, rev),
  );
  say.success('Done.', `Done: ${rev} is applied`);
  const workloads = opts.watch ? await followRollouts(ctx, daemon, quiet) : undefined;
  if (quiet) {
    ctx.io.stdout.write(jsonDocument({ url: config.remote.url, branch: config.remote.branch, revision, applied: true, workloads }));
  }
}

/** --watch: the workloads still rolling out once the revision is applied, followed to the end. */
async function followRollouts(ctx: Context, daemon: DaemonClient, quiet: boolean): Promise<Array<{ id: string; status: string }>> {
  const all = (await daemon.listServices('')) ?? [];
  const ids = all.filter(unsettled).map((w) => w.ID).sort();
  if (ids.length === 0) {
    ctx.narrator(quiet).success('All workloads ready.');
    return [];
  }
  if (!quiet) ctx.io.stderr.write(`Monitoring rollout of ${ids.join(', ')} ...\n`);
  const final = await watchRollouts(ctx, daemon, ids, quiet);
  ctx.narrator(quiet).success('All workloads ready.');
  return final.map((w) => ({ id: w.ID, status: w.Status }));
}

/** fluxctl's checks of the repository state, with its texts. */
function checkRepoReady(config: GitConfig): void {
  const detail = config.errors === '' ? '' : `\n\nFull error message: ${config.errors}`;
  switch (config.status) {
    case 'ready':
      return;
    case 'unconfigured':
      throw new CliError('no git repository is configured', { hint: 'the daemon runs without --git-url' });
    case 'unreachable':
      throw new CliError(`can not connect to git repository with URL ${config.remote.url}\n\nFull error message: ${config.errors}`);
    default:
      throw new CliError(`git repository ${config.remote.url} is not ready to sync${detail}`, {
        hint: `the daemon reports status "${config.status}": wait a little, or check its deploy key (fluxctl identity)`,
      });
  }
}

async function awaitSyncJob(ctx: Context, daemon: DaemonClient, jobId: string): Promise<JobResult> {
  try {
    return await awaitJob(ctx, daemon, jobId);
  } catch (e) {
    // An unverified HEAD still names the last verified commit: fluxctl warns and syncs that.
    if (e instanceof JobFailedError && e.message.includes('branch HEAD in the git repo is not verified') && e.message.includes('last verified commit was')) {
      ctx.narrator().warn(e.message);
      return e.result;
    }
    ctx.io.stderr.write(`Failed to complete sync job (ID ${goQuote(jobId)})\n`);
    if (e instanceof TimeoutError) {
      throw new TimeoutError(`${e.message} waiting for the sync job; its outcome is unknown`, {
        hint: 'the daemon may still be fetching git: run fluxctl sync again, or check its logs',
      });
    }
    throw e;
  }
}

async function awaitRevision(ctx: Context, daemon: DaemonClient, rev: string): Promise<void> {
  try {
    await awaitApplied(ctx, daemon, rev);
  } catch (e) {
    if (e instanceof TimeoutError) {
      throw new TimeoutError(`${e.message} waiting for ${rev} to be applied; the outcome is unknown`, {
        hint: 'the daemon applies it on its own schedule: run fluxctl sync again later, or check the daemon logs',
      });
    }
    throw e;
  }
}
