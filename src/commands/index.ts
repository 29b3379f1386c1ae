import type { Command } from 'commander';
import type { Context } from '../context.js';
import { identityCommand } from './identity.js';
import { listWorkloadsCommand } from './list-workloads.js';
import { releaseCommand } from './release.js';
import { setIntervalCommand } from './set-interval.js';
import { syncCommand } from './sync.js';
import { versionCommand } from './version.js';

/** Every command, in the order `fluxctl --help` lists them. */
export const commands: ReadonlyArray<(ctx: Context) => Command> = [
  identityCommand,
  listWorkloadsCommand,
  releaseCommand,
  setIntervalCommand,
  syncCommand,
  versionCommand,
];
