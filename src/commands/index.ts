import type { Command } from 'commander';
import type { Context } from '../context.js';
import { automateCommand } from './automate.js';
import { completionCommand } from './completion.js';
import { deautomateCommand } from './deautomate.js';
import { identityCommand } from './identity.js';
import { installCommand } from './install.js';
import { listImagesCommand } from './list-images.js';
import { listWorkloadsCommand } from './list-workloads.js';
import { lockCommand } from './lock.js';
import { policyCommand } from './policy.js';
import { releaseCommand } from './release.js';
import { saveCommand } from './save.js';
import { setIntervalCommand } from './set-interval.js';
import { syncCommand } from './sync.js';
import { unlockCommand } from './unlock.js';
import { versionCommand } from './version.js';

/** Every command, in the order `fluxctl --help` lists them. */
export const commands: ReadonlyArray<(ctx: Context) => Command> = [
  automateCommand,
  completionCommand,
  deautomateCommand,
  identityCommand,
  installCommand,
  listImagesCommand,
  listWorkloadsCommand,
  lockCommand,
  policyCommand,
  releaseCommand,
  saveCommand,
  setIntervalCommand,
  syncCommand,
  unlockCommand,
  versionCommand,
];
