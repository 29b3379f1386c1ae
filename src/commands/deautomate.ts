import type { Command } from 'commander';
import type { Context } from '../context.js';
import { runShortcut, shortcutCommand, type ShortcutOptions } from './shared/policy-shortcut.js';

export function deautomateCommand(ctx: Context, run = runDeautomate): Command {
  return shortcutCommand(ctx, {
    name: 'deautomate',
    summary: 'Turn off automatic deployment for a workload.',
    workloadHelp: 'Workload to deautomate',
    conflict: "can't specify both a controller and workload",
    run,
  });
}

export function runDeautomate(ctx: Context, opts: ShortcutOptions): Promise<void> {
  return runShortcut(ctx, opts, 'deautomate');
}
