import type { EventEmitter } from 'node:events';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { applyOverrides, normaliseBooleans, type BoolOverride } from './cli/bool-flags.js';
import { formatHelp, splitAfterText } from './cli/help.js';
import { validateLabelKey, validateLabelValue } from './kubernetes/label-selector.js';
import { commands, findCommand, type CommandEntry } from './commands/index.js';
import type { Context, RawGlobals } from './context.js';
import { FLUX_VERSIONS } from './context/globals.js';
import { parseGoDuration } from './util/go-duration.js';
import { mergeStringToString } from './util/string-to-string.js';
import { VERSION } from './version.js';

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

/** fluxctl's root help, with its "Connecting:" and "Workflow:" examples (cmd/fluxctl root_cmd.go). */
const ROOT_LONG = `fluxctl helps you deploy your code.

Connecting:

  # To a fluxd running in namespace "default" in your current kubectl context
  fluxctl list-workloads

  # To a fluxd running in namespace "weave" in your current kubectl context
  fluxctl --k8s-fwd-ns=weave list-workloads

  # To a Weave Cloud instance, with your instance token in $TOKEN
  fluxctl --token $TOKEN list-workloads

  # To Flux v2 (the controllers in namespace flux-system), through the Kubernetes API
  fluxctl --flux-version v2 list-workloads

Workflow:
  fluxctl list-workloads                                                   # Which workloads are running?
  fluxctl list-images --workload=default:deployment/foo                    # Which images are running/available?
  fluxctl release --workload=default:deployment/foo --update-image=bar:v2  # Release new version.
  fluxctl policy --workload=default:deployment/foo --automate              # Turn on automatic deployment.
  fluxctl sync                                                             # Apply git now.`;

const GLOBALS_HELP = `Global flags take precedence over their environment variables, which take precedence over defaults. Without --url, fluxctl finds the Flux daemon pod in --k8s-fwd-ns and tunnels to its port 3030 through the Kubernetes API (no local port is opened). When no daemon pod is found and the cluster serves the Flux v2 APIs, the same commands work on Flux v2 through the Kubernetes API (--flux-version picks one generation).`;

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

const ENV = (names: string): string => `; you can also set the environment variable ${names}`;

/** The global options, so help can list them apart (cobra's "Global Flags"). */
const globalSet = new WeakSet<Option>();

/** The global flags, built fresh for the root and for every subcommand (fluxctl's persistent flags). */
function globalOptions(): Option[] {
  const options = [
    new Option('--context <name>', 'The kubeconfig context to use (default: the current context)'),
    new Option('--kubeconfig <path>', `The kubeconfig file to use${ENV('KUBECONFIG')} (default: ~/.kube/config)`),
    new Option(
      '--k8s-fwd-ns <namespace>',
      `Namespace in which fluxd is running, for creating a port forward to access the API. No port forward will be created if a URL or token is given. On Flux v2, the namespace of the Flux objects${ENV('FLUX_FORWARD_NAMESPACE')} (default "default"; on Flux v2 FLUX_SYSTEM_NAMESPACE, else "flux-system")`,
    ),
    new Option('--k8s-fwd-labels <key=value>', `Labels (comma-separated, repeatable) used to select the fluxd pod a port forward is created for${ENV('FLUX_FORWARD_LABELS')} (default app=flux)`).argParser(
      (v: string, prev: Map<string, string> | undefined) => parser(() => parseLabels(v, prev))(v),
    ),
    new Option('-u, --url <url>', `Base URL of the Flux API (defaults to "https://cloud.weave.works/api/flux" if a token is provided)${ENV('FLUX_URL')}`),
    new Option('-t, --token <token>', `Weave Cloud authentication token${ENV('WEAVE_CLOUD_TOKEN or FLUX_SERVICE_TOKEN')}`),
    new Option('--timeout <duration>', `Global command timeout, a positive Go duration${ENV('FLUX_TIMEOUT')} (default 1m0s)`).argParser(parser(parseGoDuration)),
    new Option('--flux-version <version>', `Flux generation to talk to: auto (the v1 daemon if its pod is found, else the Flux v2 APIs), v1 or v2${ENV('FLUXCTL_FLUX_VERSION')} (default "auto")`).choices(FLUX_VERSIONS),
    new Option('--git-repository <name>', `Flux v2: the GitRepository in the Flux namespace that identity, sync and set-interval use${ENV('FLUXCTL_GIT_REPOSITORY')} (default: the one named like the namespace, else the only one)`),
    new Option('--no-color', `Disable colour${ENV('NO_COLOR')}`),
    new Option('--debug', `Print diagnostics (connections, requests, stack traces) to stderr${ENV('FLUXCTL_DEBUG=1')}`),
    new Option('--verbose', 'The same as --debug, where the command has no -v/--verbose of its own'),
  ];
  for (const o of options) globalSet.add(o);
  return options;
}

export const isGlobalOption = (o: Option): boolean => globalSet.has(o);

const GLOBAL_KEYS = ['context', 'kubeconfig', 'k8sFwdNs', 'k8sFwdLabels', 'url', 'token', 'timeout', 'fluxVersion', 'gitRepository', 'color', 'debug', 'verbose'] as const;

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

/** Where the first word that is not a global option (or its value) is, or -1. */
function firstWord(argv: readonly string[]): number {
  const valued = new Set(globalOptions().filter((o) => o.required).flatMap((o) => [o.long, o.short]).filter((f): f is string => f !== undefined));
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a === '--') return -1;
    if (!a.startsWith('-')) return i;
    if (valued.has(a)) i++;
  }
  return -1;
}

/**
 * The command a command line runs, found the way commander will parse it (global options and
 * their values skipped; `help X` means X), so only that command's module is loaded.
 */
export function targetCommand(argv: readonly string[]): string | undefined {
  const i = firstWord(argv);
  if (i < 0) return undefined;
  return argv[i] === 'help' ? argv[i + 1] : argv[i];
}

/** `fluxctl help [topic]`: undefined when the command line is not a help request, '' for the root. */
export function helpTopic(argv: readonly string[]): string | undefined {
  const i = firstWord(argv);
  if (i < 0 || argv[i] !== 'help') return undefined;
  return argv.slice(i + 1).find((a) => !a.startsWith('-')) ?? '';
}

/** Help texts a command appended (`addHelpText('after', …)`), taken so help can place its examples as cobra does. */
function takeAfterText(cmd: Command): string {
  // commander's Command is an EventEmitter at run time; its typings leave that out.
  const events = cmd as unknown as EventEmitter;
  let text = '';
  const context = { error: false, command: cmd, write: (s: string) => (text += s) };
  for (const listener of events.listeners('afterHelp')) (listener as (c: typeof context) => void)(context);
  events.removeAllListeners('afterHelp');
  return text;
}

/** Commands that work offline read only these global flags (install: for the kubeconfig's namespace). */
const OFFLINE_GLOBALS: Readonly<Record<string, readonly string[]>> = { install: ['--context', '--kubeconfig'], completion: [] };

/** cobra's layout for every help page; the root's lists the registry, built or not. */
function configureHelp(program: Command): void {
  const after = new Map<Command, { examples: string; notes: string }>();
  // Sorted when help is shown, not per run: the first localeCompare sets up ICU's collator (~5 ms).
  let list: ReadonlyArray<readonly [string, string]> | undefined;
  const commandList = (): ReadonlyArray<readonly [string, string]> =>
    (list ??= [...commands.map((c) => [c.name, c.summary] as const), ['help', 'Help about any command'] as const].sort(([a], [b]) => a.localeCompare(b)));
  program.configureHelp({
    formatHelp: (cmd) => {
      if (!after.has(cmd)) after.set(cmd, splitAfterText(takeAfterText(cmd)));
      const { examples, notes } = after.get(cmd) ?? { examples: '', notes: '' };
      const path = cmd === program ? 'fluxctl' : `fluxctl ${cmd.name()}`;
      const offline = OFFLINE_GLOBALS[cmd.name()];
      const globalApplies = (o: Option): boolean => offline === undefined || offline.includes(o.long ?? '');
      return formatHelp(cmd, { path, examples, notes, commands: cmd === program ? commandList() : [], isGlobal: isGlobalOption, globalApplies });
    },
  });
}

/** The commander tree for one run, and the command line rewritten for it (see bool-flags.ts). */
export interface Program {
  command: Command;
  argv: string[];
}

/**
 * A fresh commander tree per run: the command being run is built in full, the others only
 * named. `registry` is the commands' (tests pass entries whose builders get a recording runner).
 */
export async function buildProgram(ctx: Context, argv: readonly string[], registry: readonly CommandEntry[] = commands): Promise<Program> {
  const program = new Command('fluxctl').description(ROOT_LONG).enablePositionalOptions().helpCommand(false);
  for (const option of globalOptions()) program.addOption(option);
  program
    .version(VERSION, '-V, --version', 'Print the version of fluxctl (the same as fluxctl version)')
    .addHelpText('after', GLOBALS_HELP)
    .showHelpAfterError(false)
    .configureOutput({
      writeOut: (s) => ctx.io.stdout.write(s),
      // With output errors silenced, commander writes here only the help it shows for a bare
      // `fluxctl`, which cobra prints on stdout (and exits 0).
      writeErr: (s) => ctx.io.stdout.write(s),
      outputError: () => undefined,
    })
    .exitOverride(tagged('fluxctl'));
  configureHelp(program);
  const overrides: BoolOverride[] = [];
  program.hook('preAction', (_root, action) => {
    applyOverrides(overrides);
    ctx.commandPath = `fluxctl ${action.name()}`;
    // install and completion work offline and, as in fluxctl, read no FLUX_* environment.
    if (action.name() === 'install' || action.name() === 'completion') return;
    // `version` reads no environment and connects to nothing, as in fluxctl; `version --server` connects.
    if (action.name() !== 'version' || action.getOptionValue('server') === true) ctx.configure(mergeGlobals(program, action));
  });
  await addCommands(ctx, program, registry, findCommand(targetCommand(argv)));
  const normalised = normaliseBooleans(program, argv);
  overrides.push(...normalised.overrides);
  return { command: program, argv: normalised.argv };
}

/** Every command of the registry: the one being run built in full, the others only named. */
async function addCommands(ctx: Context, program: Command, registry: readonly CommandEntry[], target: CommandEntry | undefined): Promise<void> {
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
}
