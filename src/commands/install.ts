import fs from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import type { Context } from '../context.js';
import { CliError, UsageError } from '../errors.js';
import { rawContextNamespace } from '../kubernetes/kubeconfig.js';
import { collectSlice } from './shared/resource-id.js';
import { installManifests, type InstallParameters } from './install-manifests.js';

export interface InstallOptions extends InstallParameters {
  /** Write one file per manifest here instead of printing them. */
  outputDir: string | undefined;
}

const BANNER = `**Flux v1 is deprecated, please upgrade to v2 as soon as possible!**

New users of Flux can Get Started here:
https://fluxcd.io/flux/get-started/

Existing users can upgrade using the Migration Guide:
https://fluxcd.io/flux/migration/

`;

// install never talks to a cluster, so it cannot tell the generations apart: say which it makes.
const FLUX_V2_NOTE = `These are the manifests of Flux v1 (fluxd), generated locally: install never talks to a cluster.
For Flux v2 (the GitOps Toolkit), which the other commands also work with, use the flux CLI:
flux install, or flux bootstrap to also commit the manifests to git and set up the deploy key.`;

/** A pflag bool: `--flag`, or `--flag=false` (every command's booleans take a value; see cli/bool-flags.ts). */
const boolOption = (flags: string, description: string, fallback: boolean): Option => new Option(flags, description).default(fallback);

/** The flags as commander parses them: the manifest parameters (paths are collected apart). */
type RawInstallOptions = Omit<InstallParameters, 'gitPaths'> & { outputDir?: string; kubeconfig?: string };

export function installCommand(ctx: Context, run = runInstall): Command {
  // --git-path and the deprecated --git-paths fill one list; as in pflag, each flag's first use replaces it.
  let gitPaths: string[] = [];
  const used = new Set<string>();
  let deprecatedUses = 0;
  const pathsFlag = (flag: string) => (v: string) => {
    gitPaths = collectSlice(v, used.has(flag) ? gitPaths : []);
    used.add(flag);
    if (flag === '--git-paths') deprecatedUses++;
    return gitPaths;
  };
  return new Command('install')
    .description('Print and tweak Kubernetes manifests needed to install Flux in a Cluster')
    .option('--git-url <url>', 'URL of the Git repository to be used by Flux, e.g. git@github.com:<your username>/flux-get-started', '')
    .option('--git-branch <branch>', 'Git branch to be used by Flux', 'master')
    .addOption(new Option('--git-path <paths>', 'relative paths within the Git repo for Flux to locate Kubernetes manifests (comma-separated, repeatable)').argParser(pathsFlag('--git-path')))
    .addOption(new Option('--git-paths <paths>', 'deprecated: use --git-path').argParser(pathsFlag('--git-paths')).hideHelp())
    .option('--git-label <label>', "Git label to keep track of Flux's sync progress; overrides both --git-sync-tag and --git-notes-ref", 'flux')
    .option('--git-user <name>', 'username to use as git committer', 'Flux')
    .option('--git-email <email>', 'email to use as git committer', '')
    .addOption(boolOption('--git-readonly', 'tell flux it has readonly access to the repo', false))
    .addOption(boolOption('--manifest-generation', 'whether to enable manifest generation', false))
    .option('--namespace <namespace>', 'cluster namespace where to install flux (default: the current kubeconfig context\'s namespace, else "default")', '')
    .addOption(boolOption('--registry-disable-scanning', 'do not scan container image registries to fill in the registry cache (also leaves out memcached)', false))
    .addOption(boolOption('--add-security-context', "ensure security context information is added to the pod specs; --add-security-context=false leaves it out", true))
    .option('-o, --output-dir <dir>', 'a directory in which to write individual manifests, rather than printing to stdout')
    .addHelpText('after', `\n${FLUX_V2_NOTE}`)
    .addHelpText('after', "\nExample:\n  # Install Flux and make it use Git repository git@github.com:<your username>/flux-get-started\n  fluxctl install --git-url 'git@github.com:<your username>/flux-get-started' --git-email=<your_git_email> | kubectl apply -f -")
    .action(async (opts: RawInstallOptions, cmd: Command) => {
      for (let i = 0; i < deprecatedUses; i++) ctx.io.stderr.write('Flag --git-paths has been deprecated, please use --git-path (no ending s) instead\n');
      ctx.io.stderr.write(BANNER);
      if (opts.gitUrl === '') throw new UsageError('please supply a valid --git-url argument');
      if (opts.gitEmail === '') throw new UsageError('please supply a valid --git-email argument');
      for (const [flag, value] of [['--git-url', opts.gitUrl], ['--git-branch', opts.gitBranch], ['--git-label', opts.gitLabel], ['--git-user', opts.gitUser], ['--git-email', opts.gitEmail], ['--namespace', opts.namespace], ...gitPaths.map((p) => ['--git-path', p])] as const) {
        // Values go into the YAML verbatim (as in fluxctl); a line break would inject fields.
        if (/[\r\n]/.test(value)) throw new UsageError(`${flag} must not contain a line break`);
      }
      const kubeconfig = opts.kubeconfig ?? (cmd.parent?.opts() as { kubeconfig?: string } | undefined)?.kubeconfig;
      const namespace = opts.namespace !== '' ? opts.namespace : await contextNamespace(ctx, kubeconfig);
      return run(ctx, { ...opts, gitPaths, namespace, outputDir: opts.outputDir });
    });
}

export function runInstall(ctx: Context, opts: InstallOptions): void {
  const files = installManifests(opts);
  if (opts.outputDir === undefined || opts.outputDir === '') {
    for (const [, content] of files) ctx.io.stdout.write(content);
    return;
  }
  const dir = opts.outputDir;
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dir);
  } catch (e) {
    throw new CliError(`stat ${dir}: ${goReason(e)}`, { hint: `create it first (mkdir -p ${dir})` });
  }
  if (!stat.isDirectory()) throw new CliError(`${dir} is not a directory`);
  for (const [name, content] of files) {
    const file = path.join(dir, name);
    ctx.io.stderr.write(`writing ${file}\n`);
    try {
      fs.writeFileSync(file, content, { mode: 0o666 });
    } catch (e) {
      throw new CliError(`cannot output manifest file ${name}: open ${file}: ${goReason(e)}`);
    }
  }
}

function goReason(e: unknown): string {
  const message = (e as Error).message;
  return /^[A-Z0-9]+: ([^,]+),/.exec(message)?.[1] ?? message;
}

/**
 * The current context's namespace (fluxctl install ignores --context), else "default", as
 * getKubeConfigContextNamespace in fluxcd/flux cmd/fluxctl/args.go.
 */
async function contextNamespace(ctx: Context, file: string | undefined): Promise<string> {
  try {
    return (await rawContextNamespace({ file, env: ctx.env, home: ctx.deps.home })) ?? 'default';
  } catch {
    // fluxctl falls back to "default" whenever the kubeconfig cannot be read.
    return 'default';
  }
}
