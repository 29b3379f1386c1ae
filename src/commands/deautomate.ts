import type { Command } from 'commander';
import type { Context } from '../context.js';
import { noChange, shortcutCommand, type ShortcutOptions } from './shared/policy-shortcut.js';
import { runPolicyUpdate } from './shared/policy-update.js';

export function deautomateCommand(ctx: Context): Command {
  return shortcutCommand(ctx, {
    name: 'deautomate',
    summary: 'Turn off automatic deployment for a workload.',
    workloadHelp: 'Workload to deautomate',
    conflict: "can't specify both a controller and workload",
    run: runDeautomate,
  });
}

export function runDeautomate(ctx: Context, opts: ShortcutOptions): Promise<void> {
  return runPolicyUpdate(ctx, { ...noChange(opts), deautomate: true });
}
