import type { Command } from 'commander';
import type { Context } from '../context.js';
import { runShortcut, shortcutCommand, type ShortcutOptions } from './shared/policy-shortcut.js';

export function lockCommand(ctx: Context, run = runLock): Command {
  return shortcutCommand(ctx, {
    name: 'lock',
    summary: 'Lock a workload, so it cannot be deployed.',
    workloadHelp: 'Workload to lock',
    // fluxctl bound lock's --controller to the workload itself, so -w and -c never conflict.
    conflict: null,
    run,
  });
}

export function runLock(ctx: Context, opts: ShortcutOptions): Promise<void> {
  return runShortcut(ctx, opts, 'lock');
}
