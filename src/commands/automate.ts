import type { Command } from 'commander';
import type { Context } from '../context.js';
import { runShortcut, shortcutCommand, type ShortcutOptions } from './shared/policy-shortcut.js';

export function automateCommand(ctx: Context, run = runAutomate): Command {
  return shortcutCommand(ctx, {
    name: 'automate',
    summary: 'Turn on automatic deployment for a workload.',
    workloadHelp: 'Workload to automate',
    conflict: "can't specify both the controller and workload",
    run,
  });
}

export function runAutomate(ctx: Context, opts: ShortcutOptions): Promise<void> {
  return runShortcut(ctx, opts, 'automate');
}
