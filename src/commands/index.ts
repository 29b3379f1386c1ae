import type { Command } from 'commander';
import type { Context } from '../context.js';

/**
 * Builds a command's parser. Each builder also takes its runner as an optional second argument
 * (default: the command's runXxx), so tests can see the options a command line parses to
 * without running anything.
 */
export type CommandBuilder = (ctx: Context) => Command;

/**
 * Every command, in the order `fluxctl --help` lists them. Only the command being run is
 * loaded (its module and dependencies are separate chunks of the bundle), so the names,
 * aliases, arguments and one-line summaries the root help lists live here; a unit test keeps
 * them equal to what each builder declares.
 */
export interface CommandEntry {
  name: string;
  aliases?: string[];
  /** Arguments as commander writes them in usage, e.g. `[duration]`. */
  args?: string;
  summary: string;
  load: () => Promise<CommandBuilder>;
}

export const commands: readonly CommandEntry[] = [
  { name: 'automate', summary: 'Turn on automatic deployment for a workload.', load: async () => (await import('./automate.js')).automateCommand },
  { name: 'check', summary: 'Check, layer by layer, that fluxctl can reach and use Flux (v1 or v2)', load: async () => (await import('./check.js')).checkCommand },
  { name: 'completion', args: '[shell...]', summary: 'Output shell completion code for the specified shell (bash, zsh, fish, or powershell)', load: async () => (await import('./completion.js')).completionCommand },
  { name: 'deautomate', summary: 'Turn off automatic deployment for a workload.', load: async () => (await import('./deautomate.js')).deautomateCommand },
  { name: 'identity', summary: 'Display SSH public key', load: async () => (await import('./identity.js')).identityCommand },
  { name: 'install', summary: 'Print and tweak Kubernetes manifests needed to install Flux in a Cluster', load: async () => (await import('./install.js')).installCommand },
  { name: 'list-images', summary: 'Show deployed and available images.', load: async () => (await import('./list-images.js')).listImagesCommand },
  { name: 'list-workloads', aliases: ['list-controllers'], summary: 'List workloads currently running in the cluster.', load: async () => (await import('./list-workloads.js')).listWorkloadsCommand },
  { name: 'lock', summary: 'Lock a workload, so it cannot be deployed.', load: async () => (await import('./lock.js')).lockCommand },
  { name: 'policy', summary: 'Manage policies for a workload.', load: async () => (await import('./policy.js')).policyCommand },
  { name: 'release', summary: 'Release a new version of a workload.', load: async () => (await import('./release.js')).releaseCommand },
  { name: 'save', summary: 'Save workload definitions to local files in cluster-native format', load: async () => (await import('./save.js')).saveCommand },
  {
    name: 'set-interval',
    args: '[duration]',
    summary: 'Show or change how often the daemon polls git and syncs (its --git-poll-interval and --sync-interval), then wait for the rollout',
    load: async () => (await import('./set-interval.js')).setIntervalCommand,
  },
  { name: 'sync', summary: 'Synchronize the cluster with the git repository, now', load: async () => (await import('./sync.js')).syncCommand },
  { name: 'unlock', summary: 'Unlock a workload, so it can be deployed.', load: async () => (await import('./unlock.js')).unlockCommand },
  { name: 'version', summary: 'Output the version of fluxctl', load: async () => (await import('./version.js')).versionCommand },
];

/** The entry named (or aliased) `word`. */
export function findCommand(word: string | undefined): CommandEntry | undefined {
  return word === undefined ? undefined : commands.find((c) => c.name === word || (c.aliases ?? []).includes(word));
}
