import { Command } from 'commander';
import type { Context } from '../../context.js';
import { addWorkloadOptions, parsePolicyFlags, type PolicyOptions, type RawPolicyFlags } from './policy-flags.js';

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

/** One of `policy`'s four shortcuts (reference §4.8): same flags, validation and output. */
export function shortcutCommand(ctx: Context, spec: ShortcutSpec): Command {
  const cmd = new Command(spec.name).description(spec.summary);
  return addWorkloadOptions(ctx, cmd, spec.workloadHelp, spec.conflict === null)
    .addHelpText('after', `\nExample:\n  fluxctl ${spec.name} --workload=default:deployment/helloworld`)
    .action(async (raw: RawPolicyFlags) => {
      const { workload, verbosity, message, user } = await parsePolicyFlags(ctx, raw, spec.conflict);
      await spec.run(ctx, { workload, verbosity, message, user });
    });
}
