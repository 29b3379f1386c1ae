import { Command, CommanderError, Help, InvalidArgumentError, Option } from 'commander';
import { validateLabelKey, validateLabelValue } from './kubernetes/label-selector.js';
import { commands, findCommand, type CommandEntry } from './commands/index.js';
import type { Context, RawGlobals } from './context.js';
import { FLUX_VERSIONS } from './context/globals.js';
import { parseGoDuration } from './util/go-duration.js';
import { mergeStringToString } from './util/string-to-string.js';

/** Wraps a value parser so its failure becomes commander's invalid-argument error. */
export function parser<T>(parse: (value: string) => T): (value: string) => T {
  return (value) => {
    try {
      return parse(value);
    } catch (e) {
      throw new InvalidArgumentError((e as Error).message);
    }
  };
}

const GLOBALS_HELP = `
Global flags take precedence over their environment variables, which take
precedence over defaults. Without --url, fluxctl finds the Flux daemon pod in
--k8s-fwd-ns and tunnels to its port 3030 through the Kubernetes API (no local
port is opened). When no daemon pod is found and the cluster serves the Flux v2
APIs, the same commands work on Flux v2 through the Kubernetes API
(--flux-version picks one generation).`;

/** A commander parse failure, with the command path fluxctl's usage line names. */
export class CommandLineError extends Error {
  constructor(
    readonly error: CommanderError,
    readonly commandPath: string,
  ) {
    super(error.message);
  }
}

function tagged(commandPath: string): (err: CommanderError) => never {
  return (err) => {
    throw new CommandLineError(err, commandPath);
  };
}

/** --k8s-fwd-labels: pflag's map syntax, then Kubernetes' label rules, so the API never sees a bad selector. */
function parseLabels(value: string, previous: Map<string, string> | undefined): Map<string, string> {
  const labels = mergeStringToString(previous, value);
  for (const [k, v] of labels) {
    const problem = validateLabelKey(k) ?? validateLabelValue(v);
    if (problem !== undefined) throw new Error(`label ${JSON.stringify(`${k}=${v}`)}: ${problem}`);
  }
  return labels;
}

/** The global flags, built fresh for the root and for every subcommand (fluxctl's persistent flags). */
function globalOptions(): Option[] {
  return [
    new Option('--context <name>', 'kubeconfig context to use'),
    new Option('--kubeconfig <path>', 'kubeconfig file to use (default: $KUBECONFIG or ~/.kube/config)'),
    new Option('--k8s-fwd-ns <namespace>', 'namespace in which fluxd is running, for creating a port forward to access the API. No port forward will be created if a URL or token is given. On Flux v2, the namespace of the Flux objects (default: FLUX_SYSTEM_NAMESPACE, else flux-system). [FLUX_FORWARD_NAMESPACE] (default "default")'),
    new Option('--k8s-fwd-labels <key=value,...>', 'labels used to select the fluxd pod a port forward is created for. You can also set the environment variable FLUX_FORWARD_LABELS (default app=flux)').argParser(
      (v: string, prev: Map<string, string> | undefined) => parser(() => parseLabels(v, prev))(v),
    ),
    new Option('-u, --url <url>', 'base URL of the flux service; you can also set the environment variable FLUX_URL'),
    new Option('-t, --token <token>', 'Weave Cloud authentication token; you can also set the environment variable WEAVE_CLOUD_TOKEN or FLUX_SERVICE_TOKEN'),
    new Option('--timeout <duration>', 'global command timeout; you can also set the environment variable FLUX_TIMEOUT (default 1m0s)').argParser(parser(parseGoDuration)),
    new Option('--flux-version <version>', 'Flux generation to talk to: auto (the v1 daemon if its pod is found, else the Flux v2 APIs), v1 or v2; you can also set the environment variable FLUXCTL_FLUX_VERSION (default auto)').choices(FLUX_VERSIONS),
    new Option('--git-repository <name>', 'Flux v2: the GitRepository in the Flux namespace that identity, sync and set-interval use (default: the one named like the namespace, else the only one); you can also set the environment variable FLUXCTL_GIT_REPOSITORY'),
    new Option('--no-color', 'disable colour (also NO_COLOR)'),
    new Option('--verbose', 'print diagnostics (and stack traces) to stderr'),
  ];
}

const GLOBAL_KEYS = ['context', 'kubeconfig', 'k8sFwdNs', 'k8sFwdLabels', 'url', 'token', 'timeout', 'fluxVersion', 'gitRepository', 'color', 'verbose'] as const;

/**
 * Global flags may come before or after the command name, as with cobra. A value given on the
 * command wins over one given before it; label maps merge. A command's own `--verbose`
 * (release's result verbosity, a count) is not the global diagnostics switch.
 */
function mergeGlobals(root: Command, action: Command): RawGlobals {
  const given = (cmd: Command, key: string): boolean => {
    const source = cmd.getOptionValueSource(key);
    return source !== undefined && source !== 'default' && source !== 'implied';
  };
  const raw: Record<string, unknown> = {};
  for (const key of GLOBAL_KEYS) {
    const local = action.getOptionValue(key) as unknown;
    const fromAction = given(action, key) && (key !== 'verbose' || typeof local === 'boolean');
    if (fromAction) raw[key] = local;
    else if (given(root, key)) raw[key] = root.getOptionValue(key);
  }
  const rootLabels = given(root, 'k8sFwdLabels') ? (root.getOptionValue('k8sFwdLabels') as Map<string, string>) : undefined;
  if (rootLabels !== undefined && given(action, 'k8sFwdLabels')) {
    raw.k8sFwdLabels = new Map([...rootLabels, ...(action.getOptionValue('k8sFwdLabels') as Map<string, string>)]);
  }
  return raw as RawGlobals;
}

/**
 * The command a command line runs, found the way commander will parse it (global options and
 * their values skipped; `help X` means X), so only that command's module is loaded.
 */
export function targetCommand(argv: readonly string[]): string | undefined {
  const valued = new Set(globalOptions().filter((o) => o.required).flatMap((o) => [o.long, o.short]).filter((f): f is string => f !== undefined));
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a === '--') return undefined;
    if (a.startsWith('-')) {
      if (valued.has(a)) i++;
      continue;
    }
    return a === 'help' ? argv[i + 1] : a;
  }
  return undefined;
}

/**
 * A fresh commander tree per run: the command being run is built in full, the others only
 * named. `registry` is the commands' (tests pass entries whose builders get a recording runner).
 */
export async function buildProgram(ctx: Context, argv: readonly string[], registry: readonly CommandEntry[] = commands): Promise<Command> {
  const program = new Command('fluxctl').description('fluxctl helps you deploy your code.').enablePositionalOptions();
  for (const option of globalOptions()) program.addOption(option);
  program
    .addHelpText('after', GLOBALS_HELP)
    .showHelpAfterError(false)
    .configureOutput({
      writeOut: (s) => ctx.io.stdout.write(s),
      writeErr: (s) => ctx.io.stderr.write(s),
      outputError: () => undefined,
      getOutHelpWidth: () => ctx.io.columns,
      getErrHelpWidth: () => ctx.io.columns,
    })
    // The root help lists every command from the registry, built or not.
    .configureHelp({
      subcommandTerm: (cmd) => {
        const entry = findCommand(cmd.name());
        if (entry === undefined) return new Help().subcommandTerm(cmd);
        return [[cmd.name(), ...(entry.aliases ?? [])].join('|'), '[options]', entry.args ?? ''].filter(Boolean).join(' ');
      },
      subcommandDescription: (cmd) => findCommand(cmd.name())?.summary ?? cmd.description(),
    })
    .exitOverride(tagged('fluxctl'));
  program.hook('preAction', (_root, action) => {
    ctx.commandPath = `fluxctl ${action.name()}`;
    // install and completion work offline and, as in fluxctl, read no FLUX_* environment.
    if (action.name() === 'install' || action.name() === 'completion') return;
    // `version` reads no environment and connects to nothing, as in fluxctl; `version --server` connects.
    if (action.name() !== 'version' || action.getOptionValue('server') === true) ctx.configure(mergeGlobals(program, action));
  });
  const target = findCommand(targetCommand(argv));
  // completion describes the whole tree, so it needs every command built.
  const full = target?.name === 'completion' ? registry : target === undefined ? [] : registry.filter((e) => e.name === target.name);
  const builders = new Map(await Promise.all(full.map(async (e) => [e.name, await e.load()] as const)));
  for (const entry of registry) {
    const make = builders.get(entry.name);
    if (make === undefined) {
      // Not being run: a name for the root help, without the options it would never parse.
      program.addCommand(new Command(entry.name).aliases(entry.aliases ?? []).description(entry.summary));
      continue;
    }
    const cmd = make(ctx);
    for (const option of globalOptions()) if (!cmd.options.some((o) => o.long === option.long || (o.short !== undefined && o.short === option.short))) cmd.addOption(option);
    cmd.copyInheritedSettings(program);
    cmd.exitOverride(tagged(`fluxctl ${cmd.name()}`));
    program.addCommand(cmd);
  }
  return program;
}
