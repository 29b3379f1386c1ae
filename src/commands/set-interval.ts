import { Command } from 'commander';
import type { Context } from '../context.js';
import type { IntervalName, IntervalSetting } from '../backends/types.js';
import { UsageError } from '../errors.js';
import { withProgress } from '../output/progress.js';
import { jsonDocument, parseOutputFormat, type OutputFormat } from '../output/render.js';
import { renderTable } from '../output/table.js';
import { parseGoDuration } from '../util/go-duration.js';
import { narration } from './shared/narration.js';
import { confirmUnusual } from './set-interval-guard.js';

export interface SetIntervalOptions {
  /** New values; empty means "show the current ones". */
  changes: Map<IntervalName, string>;
  deployment: string | undefined;
  container: string | undefined;
  kustomization: string | undefined;
  dryRun: boolean;
  wait: boolean;
  /** Values under 1s or over 24h are meant (no question, no refusal). */
  yes: boolean;
  format: OutputFormat;
}

const INTERVAL_NAMES: readonly IntervalName[] = ['git-poll-interval', 'sync-interval'];

const FLUX_V2_NOTE = `On Flux v2 there is no daemon: the git poll interval is the spec.interval of the GitRepository
(--git-repository), and the sync interval that of each Kustomization applying it (or of the one
--kustomization names). Their controllers take a new value at once. When git declares these
objects, as flux bootstrap does, their Kustomization puts the git value back when it reconciles:
set the interval in git to keep it.
  fluxctl set-interval --kustomization apps --sync-interval 5m`;

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

export function setIntervalCommand(ctx: Context, run = runSetInterval): Command {
  return new Command('set-interval')
    .description("Show or change how often the daemon polls git and syncs (its --git-poll-interval and --sync-interval), then wait for the rollout")
    .argument('[duration]', 'new value for both intervals, e.g. 1m (omit to show the current values)')
    .option('--git-poll-interval <duration>', 'set only the git poll interval')
    .option('--sync-interval <duration>', 'set only the sync interval')
    .option('--deployment <name>', 'the daemon Deployment in --k8s-fwd-ns (default: the owner of the daemon pod)')
    .option('--container <name>', 'the fluxd container in the Deployment (default: "flux", or the one running fluxd)')
    .option('--kustomization <name>', 'Flux v2: the Kustomization whose sync interval to show or set (default: every Kustomization that applies the GitRepository)')
    .option('--dry-run', 'show the change (validated by the API server) without applying it', false)
    .option('--no-wait', 'do not wait for the rollout to finish')
    .option('--yes', 'set a value under 1s or over 24h without asking (refused otherwise, unless a terminal confirms it)', false)
    .option('-o, --output-format <format>', 'Output format (tab or json)', 'tab')
    .addHelpText('after', '\nExamples:\n  fluxctl set-interval --k8s-fwd-ns flux            # show the current intervals\n  fluxctl set-interval --k8s-fwd-ns flux 1m         # poll git and sync every minute\n  fluxctl set-interval --k8s-fwd-ns flux --sync-interval 10m --dry-run')
    .addHelpText('after', `\n${FLUX_V2_NOTE}`)
    .action((duration: string | undefined, opts: { gitPollInterval?: string; syncInterval?: string; deployment?: string; container?: string; kustomization?: string; dryRun: boolean; wait: boolean; yes: boolean; outputFormat: string }) => {
      const changes = new Map<IntervalName, string>();
      if (duration !== undefined) for (const name of INTERVAL_NAMES) changes.set(name, parseInterval(duration, 'duration'));
      if (opts.gitPollInterval !== undefined) changes.set('git-poll-interval', parseInterval(opts.gitPollInterval, '--git-poll-interval'));
      if (opts.syncInterval !== undefined) changes.set('sync-interval', parseInterval(opts.syncInterval, '--sync-interval'));
      if (changes.size === 0 && opts.dryRun) throw new UsageError('--dry-run needs a new interval to show', { hint: 'e.g. fluxctl set-interval 1m --dry-run' });
      const format = parseOutputFormat(opts.outputFormat, ['tab', 'json']);
      return run(ctx, { changes, deployment: opts.deployment, container: opts.container, kustomization: opts.kustomization, dryRun: opts.dryRun, wait: opts.wait, yes: opts.yes, format });
    });
}

export async function runSetInterval(ctx: Context, opts: SetIntervalOptions): Promise<void> {
  const quiet = opts.format === 'json';
  const say = ctx.narrator(quiet);
  const backend = await ctx.backend();
  const target = await backend.intervals({ deployment: opts.deployment, container: opts.container, kustomization: opts.kustomization });
  // Flux v2 has several objects (a GitRepository, its Kustomizations): name each row's.
  const withObject = backend.generation === 'v2';
  if (opts.changes.size === 0) {
    ctx.io.stdout.write(quiet ? jsonDocument(target.summary) : await currentTable(ctx, target.settings, withObject));
    return;
  }
  const rows = target.settings.map((s) => ({ setting: s.setting, object: s.object, before: s.value, after: opts.changes.get(s.setting) ?? s.value }));
  const render = async (applied: boolean): Promise<string> =>
    quiet
      ? jsonDocument({ ...target.summary, changes: rows.map((r) => ({ flag: `--${r.setting}`, ...(withObject ? { object: r.object } : {}), before: r.before, after: r.after })), dryRun: opts.dryRun, applied })
      : renderTable(ctx.io, withObject ? ['SETTING', 'OBJECT', 'BEFORE', 'AFTER'] : ['SETTING', 'BEFORE', 'AFTER'], rows.map((r) => (withObject ? [r.setting, r.object, r.before, r.after] : [r.setting, r.before, r.after])));
  if (target.unchanged(opts.changes)) {
    say.info(`${target.object} already uses these intervals; nothing to change.`);
    ctx.io.stdout.write(await render(false));
    return;
  }
  // After the backend has checked the values (Flux v2 refuses some outright), before anything is written.
  await confirmUnusual(ctx, opts.changes, opts);
  say.info(target.subject);
  for (const w of target.warnings) say.warn(w);
  const change = await target.apply(opts.changes, opts.dryRun);
  if (opts.dryRun) {
    say.info('Dry run: the API server accepted the change, nothing was applied.');
  } else if (change.notice !== undefined) {
    say.warn(change.notice);
  } else if (opts.wait) {
    const done = await withProgress(ctx.io, { tty: change.waiting }, { quiet, printUpdates: true }, (progress) => change.settle(narration(ctx, progress, quiet)));
    say.success(done);
  } else {
    say.info(change.followHint);
  }
  ctx.io.stdout.write(await render(!opts.dryRun));
}

function currentTable(ctx: Context, settings: IntervalSetting[], withObject: boolean): Promise<string> {
  if (withObject) return renderTable(ctx.io, ['SETTING', 'OBJECT', 'VALUE', 'SOURCE'], settings.map((s) => [s.setting, s.object, s.value, s.source]));
  return renderTable(ctx.io, ['SETTING', 'VALUE', 'SOURCE'], settings.map((s) => [s.setting, s.value, s.source]));
}
