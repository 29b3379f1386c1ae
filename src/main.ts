import { homedir } from 'node:os';
import { type Command, CommanderError } from 'commander';
import { Context, type Deps } from './context.js';
import { CliError, DaemonApiError, ExitCode, InterruptedError, QuietExit, UsageError } from './errors.js';
import { buildProgram, CommandLineError, helpTopic } from './program.js';

export type { Deps } from './context.js';

const ISSUES_URL = 'https://github.com/fluxctl-ts/fluxctl/issues';

/** pflag's wording for commander's parse errors, so scripts and habits keep working. */
function usageFromCommander(err: CommanderError, commandPath: string): UsageError {
  const m = err.message.replace(/^error: /, '');
  let message = m;
  let hint: string | undefined;
  const suggestion = /\n?\(Did you mean (.+)\?\)$/.exec(m);
  const base = suggestion ? m.slice(0, suggestion.index) : m;
  if (suggestion) hint = `did you mean ${suggestion[1]}?`;
  let match: RegExpExecArray | null;
  if (err.code === 'commander.unknownOption' && (match = /unknown option '(.+)'/.exec(base))) {
    const flag = match[1] ?? '';
    message = /^-\d/.test(flag) ? `negative values are not allowed here: ${flag}` : flag.startsWith('--') ? `unknown flag: ${flag}` : `unknown shorthand flag: '${flag.slice(1, 2)}' in ${flag}`;
  } else if (err.code === 'commander.unknownCommand' && (match = /unknown command '(.+)'/.exec(base))) {
    message = `unknown command "${match[1]}" for "${commandPath}"`;
  } else if (err.code === 'commander.excessArguments') {
    message = /Expected 0 arguments/.test(base) ? 'expected no (non-flag) arguments' : base;
  } else if (err.code === 'commander.optionMissingArgument' && (match = /option '(.+?)' argument missing/.exec(base))) {
    message = `flag needs an argument: ${(match[1] ?? '').split(/[ ,]+/).find((p) => p.startsWith('--')) ?? match[1]}`;
  } else if (err.code === 'commander.invalidArgument' && (match = /^option '(.+?)' argument '(.*)' is invalid\. ([\s\S]*)$/.exec(base))) {
    const long = (match[1] ?? '').split(/[ ,]+/).find((p) => p.startsWith('--')) ?? match[1];
    message = `invalid argument ${JSON.stringify(match[2])} for "${long}" flag: ${match[3]}`;
  } else {
    message = base;
  }
  return new UsageError(message, { hint, commandPath });
}

function report(ctx: Context, e: unknown, commandPath: string): number {
  const { stderr } = ctx.io;
  const red = ctx.io.err.red;
  if (e instanceof DaemonApiError) {
    // fluxctl prints the daemon's help text verbatim under this banner.
    stderr.write(`== Error ==\n\n${e.help}\n`);
    return e.exitCode;
  }
  if (e instanceof QuietExit) return e.exitCode;
  if (e instanceof CliError) {
    stderr.write(`${red('Error:')} ${e.message}\n`);
    if (e instanceof UsageError) stderr.write(`Run '${e.commandPath ?? commandPath} --help' for usage.\n`);
    if (e.hint !== undefined) stderr.write(`${ctx.io.err.dim('hint:')} ${e.hint}\n`);
    if (ctx.globals.debug && e.cause instanceof Error) stderr.write(`${e.cause.stack ?? e.cause.message}\n`);
    return e.exitCode;
  }
  const err = e instanceof Error ? e : new Error(String(e));
  stderr.write(`${red('Error:')} unexpected error: ${err.message}\n`);
  stderr.write(ctx.globals.debug ? `${err.stack ?? ''}\n` : `This is a bug in fluxctl: please report it at ${ISSUES_URL} with the output of --debug.\n`);
  return ExitCode.Failure;
}

/** cobra's suggestions: commands within two edits of the word, or starting with it. */
export function suggest(word: string, names: readonly string[]): string[] {
  const distance = (a: string, b: string): number => {
    let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      const row = [i];
      for (let j = 1; j <= b.length; j++) row[j] = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = row;
    }
    return prev[b.length] ?? 0;
  };
  return names.filter((n) => distance(word.toLowerCase(), n) <= 2 || n.startsWith(word.toLowerCase()));
}

/** `fluxctl help [topic]`: the topic's help on stdout, or a usage error naming what exists. */
function showHelpTopic(program: Command, topic: string): void {
  if (topic === '') {
    program.outputHelp();
    return;
  }
  const cmd = program.commands.find((c) => c.name() === topic || c.aliases().includes(topic));
  if (cmd !== undefined) {
    cmd.outputHelp();
    return;
  }
  const names = program.commands.flatMap((c) => [c.name(), ...c.aliases()]);
  const close = suggest(topic, names);
  throw new UsageError(`unknown help topic ${JSON.stringify(topic)}`, {
    commandPath: 'fluxctl',
    hint: close.length > 0 ? `did you mean ${close.join(' or ')}?` : 'fluxctl --help lists the commands',
  });
}

/** Runs one fluxctl invocation. The only place errors become exit codes; it never exits the process. */
export async function run(argv: readonly string[], deps: Deps): Promise<number> {
  const ctx = new Context(deps);
  let program: Command | undefined;
  try {
    const built = await buildProgram(ctx, argv);
    program = built.command;
    const topic = helpTopic(argv);
    if (topic !== undefined) showHelpTopic(program, topic);
    else await program.parseAsync(built.argv, { from: 'user' });
    return ExitCode.Ok;
  } catch (e) {
    if (e instanceof CommandLineError) {
      const code = e.error.code;
      if (code === 'commander.helpDisplayed' || code === 'commander.help' || code === 'commander.version') return ExitCode.Ok;
      // Global flags fail on the root command; fluxctl's usage line names the subcommand typed.
      const typed = program?.commands.find((c) => argv.includes(c.name()) || c.aliases().some((a) => argv.includes(a)));
      const path = e.commandPath === 'fluxctl' && typed !== undefined && e.error.code !== 'commander.unknownCommand' ? `fluxctl ${typed.name()}` : e.commandPath;
      return report(ctx, usageFromCommander(e.error, path), path);
    }
    // Whatever failed after Ctrl-C failed because of it; keep a command's own interrupt notice.
    if (deps.interrupt?.aborted && !(e instanceof CliError && e.exitCode !== ExitCode.Interrupted)) {
      return report(ctx, e instanceof InterruptedError ? e : new InterruptedError(), ctx.commandPath);
    }
    return report(ctx, e, ctx.commandPath);
  } finally {
    await ctx.dispose();
  }
}

/** Wires the real process to run(): streams, TTYs, SIGINT. Only bin/ calls it. */
export async function main(): Promise<number> {
  const interrupt = new AbortController();
  // `on`, not `once`: ora's signal-exit re-raises SIGINT (killing us before cleanup) when it
  // finds no other listener left. A second Ctrl-C still gets out at once.
  const onSigint = (): void => {
    if (interrupt.signal.aborted) process.exit(ExitCode.Interrupted);
    interrupt.abort(new InterruptedError());
  };
  process.on('SIGINT', onSigint);
  // `fluxctl … | head -1`: a reader that goes away ends our output, quietly.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
  });
  try {
    return await run(process.argv.slice(2), {
      env: process.env,
      stdout: process.stdout,
      stderr: process.stderr,
      stdoutTTY: process.stdout.isTTY === true,
      stderrTTY: process.stderr.isTTY === true,
      columns: process.stdout.columns,
      stderrColumns: process.stderr.columns ?? 0,
      home: homeOrNone(),
      interrupt: interrupt.signal,
      terminalInput: () => process.stdin,
    });
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}

/**
 * os.homedir() throws when there is neither HOME nor a passwd entry (a bare container user).
 * client-go's homedir.HomeDir() gives "" then, so kubectl looks for .kube/config where it runs.
 */
function homeOrNone(): string {
  try {
    return homedir();
  } catch {
    return '';
  }
}
