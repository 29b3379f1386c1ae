import { Command } from 'commander';
import type { AutomationAction, AutomationOutcome } from '../../backends/types.js';
import type { Context } from '../../context.js';
import { renderResultRows } from '../../output/results.js';
import { addWorkloadOptions, parsePolicyFlags, type PolicyOptions, type RawPolicyFlags } from './policy-flags.js';
import { runPolicyUpdate } from './policy-update.js';

/** What automate, deautomate, lock and unlock take: the workload and the cause. */
export type ShortcutOptions = Pick<PolicyOptions, 'workload' | 'verbosity' | 'message' | 'user'>;

/** The policy change none of the shortcuts make; each sets its one flag on top. */
export const noChange = (opts: ShortcutOptions): PolicyOptions => ({
  ...opts,
  automate: false,
  deautomate: false,
  lock: false,
  unlock: false,
  tagAll: '',
  tags: [],
});

export interface ShortcutSpec {
  name: string;
  summary: string;
  workloadHelp: string;
  /** The -w/-c conflict text fluxctl used for this command; null where -c sets the workload. */
  conflict: string | null;
  run: (ctx: Context, opts: ShortcutOptions) => Promise<void>;
}

/** One of `policy`'s four shortcuts (fluxcd/flux cmd/fluxctl/automate_cmd.go and its siblings): same flags, validation and output. */
export function shortcutCommand(ctx: Context, spec: ShortcutSpec): Command {
  const cmd = new Command(spec.name).description(spec.summary);
  return addWorkloadOptions(ctx, cmd, spec.workloadHelp, spec.conflict === null)
    .addHelpText('after', `\nExample:\n  fluxctl ${spec.name} --workload=default:deployment/helloworld`)
    .action(async (raw: RawPolicyFlags) => {
      const { workload, verbosity, message, user } = await parsePolicyFlags(ctx, raw, spec.conflict);
      await spec.run(ctx, { workload, verbosity, message, user });
    });
}

/**
 * Runs a shortcut: on Flux v1 as fluxctl did (a policy job on the daemon, same requests and
 * bytes); on Flux v2 by suspending or resuming the image automation objects covering the
 * workload, reported in the same WORKLOAD STATUS UPDATES table.
 */
export async function runShortcut(ctx: Context, opts: ShortcutOptions, action: AutomationAction): Promise<void> {
  const backend = await ctx.backend();
  if (backend.setAutomation === undefined) {
    return runPolicyUpdate(ctx, { ...noChange(opts), automate: action === 'automate', deautomate: action === 'deautomate', lock: action === 'lock', unlock: action === 'unlock' });
  }
  // Flux v2 objects have no place for a cause; say so rather than drop it silently.
  if (opts.message !== undefined || opts.user !== undefined) ctx.narrator().warn('--message and --user are not recorded on Flux v2 (there is no commit)');
  const outcomes = await backend.setAutomation(opts.workload, action);
  ctx.io.stdout.write(await renderResultRows(ctx.io, outcomeRows(outcomes, opts.verbosity)));
  if (!outcomes.some((o) => o.status === 'success')) ctx.io.stderr.write(opts.verbosity < 1 ? 'Nothing to do (-v shows why)\n' : 'Nothing to do\n');
}

/** fluxctl's result rows: sorted by object, `skipped` shown from -v, one line per update. */
export function outcomeRows(outcomes: readonly AutomationOutcome[], verbosity: number): string[][] {
  const rows: string[][] = [];
  const sorted = [...outcomes].sort((a, b) => (a.workload < b.workload ? -1 : a.workload > b.workload ? 1 : 0));
  for (const o of sorted) {
    if (o.status === 'skipped' && verbosity < 1) continue;
    const updates = o.updates.length === 0 ? [''] : o.updates;
    updates.forEach((u, i) => rows.push(i === 0 ? [o.workload, o.status, u] : ['', '', u]));
  }
  return rows;
}
