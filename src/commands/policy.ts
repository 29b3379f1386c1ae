import { Command } from 'commander';
import type { Context } from '../context.js';
import { sliceOption } from './shared/flags.js';
import { addWorkloadOptions, parsePolicyFlags, type PolicyOptions, type RawPolicyFlags } from './shared/policy-flags.js';
import { runPolicyUpdate } from './shared/policy-update.js';

export type { PolicyOptions } from './shared/policy-flags.js';

const LONG = `Manage policies for a workload.

Tag filter patterns must be specified as 'container=pattern', such as 'foo=1.*'
where an asterisk means 'match anything'.
Surrounding these with single-quotes are recommended to avoid shell expansion.

If both --tag-all and --tag are specified, --tag-all will apply to all
containers which aren't explicitly named.`;

const EXAMPLES = `
Examples:
  fluxctl policy --workload=default:deployment/foo --automate
  fluxctl policy --workload=default:deployment/foo --lock
  fluxctl policy --workload=default:deployment/foo --tag='bar=1.*' --tag='baz=2.*'
  fluxctl policy --workload=default:deployment/foo --tag-all='master-*' --tag='bar=1.*'

Note: the daemon expands --tag-all to every container, so it also replaces a --tag
pattern given for the same container; only --tag='<container>=*' (remove) survives it.`;

export function policyCommand(ctx: Context, run = runPolicy): Command {
  const cmd = new Command('policy').summary('Manage policies for a workload.').description(LONG);
  addWorkloadOptions(ctx, cmd, 'Workload to modify')
    .option('--tag-all <pattern>', 'Tag filter pattern to apply to all containers')
    .addOption(sliceOption('--tag <container=pattern>', 'Tag filter container/pattern pairs'))
    .option('--automate', 'Automate workload')
    .option('--deautomate', 'Deautomate workload')
    .option('--lock', 'Lock workload')
    .option('--unlock', 'Unlock workload')
    .addHelpText('after', EXAMPLES)
    .action(async (raw: RawPolicyFlags) => run(ctx, await parsePolicyFlags(ctx, raw, "can't specify both the controller and workload")));
  return cmd;
}

export function runPolicy(ctx: Context, opts: PolicyOptions): Promise<void> {
  return runPolicyUpdate(ctx, opts);
}
