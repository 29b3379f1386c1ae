import type { Command } from 'commander';
import type { Context } from '../context.js';
import { noChange, shortcutCommand, type ShortcutOptions } from './shared/policy-shortcut.js';
import { runPolicyUpdate } from './shared/policy-update.js';

export function automateCommand(ctx: Context): Command {
  return shortcutCommand(ctx, {
    name: 'automate',
    summary: 'Turn on automatic deployment for a workload.',
    workloadHelp: 'Workload to automate',
    conflict: "can't specify both the controller and workload",
    run: runAutomate,
  });
}

export function runAutomate(ctx: Context, opts: ShortcutOptions): Promise<void> {
  return runPolicyUpdate(ctx, { ...noChange(opts), automate: true });
}
