import { Command, type Option } from 'commander';
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';
import { bashScript, fishScript, powershellScript, zshScript, type CommandSpec, type CompletionModel, type FlagSpec } from './completion-scripts.js';

const SHELLS = ['bash', 'fish', 'powershell', 'zsh'] as const;
type Shell = (typeof SHELLS)[number];

const GENERATORS: Record<Shell, (m: CompletionModel) => string> = { bash: bashScript, fish: fishScript, powershell: powershellScript, zsh: zshScript };
const FORMATS = ['tab', 'json', 'yaml'];

export function completionCommand(ctx: Context, run = runCompletion): Command {
  return new Command('completion')
    .description('Output shell completion code for the specified shell (bash, zsh, fish, or powershell)')
    .argument('[shell...]', `one of: ${SHELLS.join(', ')}`)
    .addHelpText(
      'after',
      '\nExamples:\n  source <(fluxctl completion bash)          # bash, this shell\n  fluxctl completion zsh > "${fpath[1]}/_fluxctl"\n  fluxctl completion fish | source',
    )
    .action((shells: string[], _opts: unknown, cmd: Command) => {
      if (shells.length === 0) throw new UsageError('please specify a shell', { hint: `one of: ${SHELLS.join(' ')}` });
      if (shells.length > 1) throw new UsageError(`please specify one of the following shells: ${SHELLS.join(' ')}`);
      const shell = shells[0] ?? '';
      if (!(SHELLS as readonly string[]).includes(shell)) throw new UsageError(`unsupported shell type ${JSON.stringify(shell)}`, { hint: `one of: ${SHELLS.join(' ')}` });
      run(ctx, { shell: shell as Shell, root: cmd.parent ?? cmd });
    });
}

export function runCompletion(ctx: Context, opts: { shell: Shell; root: Command }): void {
  ctx.io.stdout.write(GENERATORS[opts.shell](completionModel(opts.root)));
}

function flagSpec(o: Option, command: string): FlagSpec {
  // An optional value (`--git-readonly[=bool]`) is completed as a switch.
  const valueName = o.required ? (/[<[]([^>\]]+)[>\]]/.exec(o.flags)?.[1] ?? 'value').replace(/\.\.\.$/, '') : undefined;
  let values: FlagSpec['values'];
  if (o.argChoices !== undefined) values = o.argChoices;
  else if (o.long === '--output-format') values = FORMATS.filter((f) => new RegExp(`\\b${f}\\b`).test(o.description));
  else if ((command === 'save' && o.long === '--out') || o.long === '--output-dir') values = 'dirs';
  return { long: o.long, short: o.short, valueName, values, description: o.description };
}

const HELP: FlagSpec = { long: '--help', short: '-h', valueName: undefined, values: undefined, description: 'display help for command' };

/** Commands with every flag they accept (the global ones included), read from the commander tree. */
export function completionModel(root: Command): CompletionModel {
  const globals = root.options.filter((o) => !o.hidden).map((o) => flagSpec(o, ''));
  const commands: CommandSpec[] = root.commands.map((c) => ({
    name: c.name(),
    aliases: c.aliases(),
    description: c.description(),
    flags: [...c.options.filter((o) => !o.hidden).map((o) => flagSpec(o, c.name())), HELP],
    args: c.name() === 'completion' ? [...SHELLS] : undefined,
  }));
  return { program: root.name(), commands, globals: [...globals, HELP] };
}
