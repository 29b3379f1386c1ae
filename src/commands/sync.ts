import { Command } from 'commander';
import type { Context } from '../context.js';
import type { Backend, SyncRequest } from '../backends/types.js';
import { withProgress } from '../output/progress.js';
import { jsonDocument, parseOutputFormat, type OutputFormat } from '../output/render.js';
import { narration } from './shared/narration.js';
import { unsettled, watchRollouts } from './shared/watch-rollouts.js';

export interface SyncOptions {
  format: OutputFormat;
  /** Follow the rollouts the sync started until they are ready (our addition). */
  watch: boolean;
}

export function syncCommand(ctx: Context, run = runSync): Command {
  return new Command('sync')
    .description('Synchronize the cluster with the git repository, now')
    .option('-o, --output-format <format>', 'Output format: tab (narration only, as fluxctl) or json (a result object on stdout)', 'tab')
    .option('-w, --watch', 'after the revision is applied, follow the rollouts of workloads that are not ready until they are (bounded by --timeout)', false)
    .addHelpText('after', '\nExamples:\n  fluxctl sync --k8s-fwd-ns flux\n  fluxctl sync --k8s-fwd-ns flux --watch --timeout 5m')
    .action((opts: { outputFormat: string; watch: boolean }) => run(ctx, { format: parseOutputFormat(opts.outputFormat, ['tab', 'json']), watch: opts.watch }));
}

export async function runSync(ctx: Context, opts: SyncOptions): Promise<void> {
  const quiet = opts.format === 'json';
  const say = ctx.narrator(quiet);
  const backend = await ctx.backend();
  const source = await backend.syncSource();
  say.info(`Synchronizing with ${source.url}`);
  const request = await backend.requestSync();
  const revision = await withProgress(ctx.io, { tty: 'Waiting for the sync job' }, { quiet }, (progress) => backend.awaitRevision(request, narration(ctx, progress, quiet)));
  const rev = revision.slice(0, 7);
  say.info(`Revision of ${source.ref} to apply is ${rev}`);
  await withProgress(ctx.io, { plain: `Waiting for ${rev} to be applied ...`, tty: `Waiting for ${rev} to be applied` }, { quiet }, (progress) =>
    backend.awaitApplied(request, revision, narration(ctx, progress, quiet)),
  );
  say.success('Done.', `Done: ${rev} is applied`);
  const workloads = opts.watch ? await followRollouts(ctx, backend, request, quiet) : undefined;
  if (quiet) {
    ctx.io.stdout.write(jsonDocument({ url: source.url, branch: source.ref, revision, applied: true, workloads }));
  }
}

/** --watch: the workloads still rolling out once the revision is applied, followed to the end. */
async function followRollouts(ctx: Context, backend: Backend, request: SyncRequest, quiet: boolean): Promise<Array<{ id: string; status: string }>> {
  const all = await backend.syncedWorkloads(request);
  const ids = all.filter(unsettled).map((w) => w.ID).sort();
  if (ids.length === 0) {
    ctx.narrator(quiet).success('All workloads ready.');
    return [];
  }
  if (!quiet) ctx.io.stderr.write(`Monitoring rollout of ${ids.join(', ')} ...\n`);
  const final = await watchRollouts(ctx, backend, ids, quiet);
  ctx.narrator(quiet).success('All workloads ready.');
  return final.map((w) => ({ id: w.ID, status: w.Status }));
}
