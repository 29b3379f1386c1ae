import type { Command } from 'commander';
import type { Context } from '../context.js';
import { runShortcut, shortcutCommand, type ShortcutOptions } from './shared/policy-shortcut.js';

export function unlockCommand(ctx: Context, run = runUnlock): Command {
  return shortcutCommand(ctx, {
    name: 'unlock',
    summary: 'Unlock a workload, so it can be deployed.',
    workloadHelp: 'Workload to unlock',
    conflict: "can't specify both a controller and workload",
    run,
  });
}

export function runUnlock(ctx: Context, opts: ShortcutOptions): Promise<void> {
  return runShortcut(ctx, opts, 'unlock');
}
