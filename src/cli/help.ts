import type { Command, Option } from 'commander';
import { goQuote } from '../util/go-quote.js';
import { HELP_WIDTH, wrapProse, wrapWords } from './wrap.js';

/** What a help page shows besides the command itself: cobra's sections, in cobra's order. */
export interface HelpExtras {
  /** "fluxctl release". */
  path: string;
  /** Indented example lines (without the `Examples:` title). */
  examples: string;
  /** Free text shown after the flags (notes that were written for the help's end). */
  notes: string;
  /** The root's command list: name and one-line summary. */
  commands: ReadonlyArray<readonly [string, string]>;
  isGlobal: (o: Option) => boolean;
  /** Whether a global flag does anything for this command (offline commands ignore most). */
  globalApplies: (o: Option) => boolean;
}

const FOOTER = 'Use "fluxctl [command] --help" for more information about a command.';

/** The value name pflag prints after a flag: the argument commander declared, unbracketed. */
function valueName(o: Option): string {
  const m = /[<[]([^>\]]+)[>\]]/.exec(o.flags);
  return m === null ? '' : ` ${o.variadic ? (m[1] ?? '').replace(/\.\.\.$/, '') : (m[1] ?? '')}`;
}

function term(o: Option): string {
  const names = o.short !== undefined ? `  ${o.short}, ${o.long ?? ''}` : `      ${o.long ?? ''}`;
  return `${names}${valueName(o)}`;
}

/** pflag's default note: only a non-zero default, strings quoted the Go way, never twice. */
function defaultNote(o: Option, description: string): string {
  if (/\(default[ :]/.test(description) || o.negate) return '';
  if (o.defaultValueDescription !== undefined) return ` (default ${o.defaultValueDescription})`;
  const v: unknown = o.defaultValue;
  if (v === undefined || v === false || v === '' || v === 0 || (Array.isArray(v) && v.length === 0)) return '';
  return ` (default ${typeof v === 'string' ? goQuote(v) : String(v)})`;
}

/** Descriptions read one way: a capital first letter, no final full stop. */
function sentence(text: string): string {
  const trimmed = text.trim().replace(/\.$/, '');
  return trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
}

/** pflag's FlagUsages layout: names, then every description at one column, wrapped at 80. */
export function flagLines(options: readonly Option[]): string {
  const rows = options.map((o) => [term(o), `${sentence(o.description)}${defaultNote(o, o.description)}`] as const);
  const column = Math.max(0, ...rows.map(([t]) => t.length)) + 3;
  return rows.map(([t, d]) => `${t.padEnd(column)}${wrapWords(d, Math.max(30, HELP_WIDTH - column), column)}`).join('\n');
}

function section(title: string, body: string): string {
  return body === '' ? '' : `${title}:\n${body}\n\n`;
}

function usageLine(cmd: Command, extras: HelpExtras): string {
  if (extras.commands.length > 0) return `  ${extras.path} [command]`;
  const args = cmd.registeredArguments.map((a) => (a.required ? `<${a.name()}>` : `[${a.name()}${a.variadic ? '...' : ''}]`));
  return `  ${[extras.path, ...args, '[flags]'].join(' ')}`;
}

function commandList(extras: HelpExtras): string {
  const width = Math.max(11, ...extras.commands.map(([n]) => n.length)) + 3;
  return extras.commands.map(([n, s]) => `  ${n.padEnd(width)}${wrapWords(s, HELP_WIDTH - width - 2, width + 2)}`).join('\n');
}

const byName = (a: Option, b: Option): number => (a.long ?? a.short ?? '').replace(/^-+/, '').localeCompare((b.long ?? b.short ?? '').replace(/^-+/, ''));

/** A command's help in cobra's layout, the same text piped and on a terminal. */
export function formatHelp(cmd: Command, extras: HelpExtras): string {
  const visible = cmd.options.filter((o) => !o.hidden);
  const help = { flags: '-h, --help', short: '-h', long: '--help', description: `help for ${cmd.name()}`, negate: false, hidden: false } as Option;
  const root = extras.commands.length > 0;
  const own = [...visible.filter((o) => root || !extras.isGlobal(o)), help].sort(byName);
  const globals = root ? [] : visible.filter((o) => extras.isGlobal(o) && extras.globalApplies(o)).sort(byName);
  const aliases = cmd.aliases().length > 0 ? `  ${[cmd.name(), ...cmd.aliases()].join(', ')}` : '';
  return [
    `${wrapProse(cmd.description()).trimEnd()}\n\n`,
    section('Usage', usageLine(cmd, extras)),
    section('Aliases', aliases),
    section('Examples', extras.examples.replace(/^\n+|\s+$/g, '')),
    section('Available Commands', root ? commandList(extras) : ''),
    section('Flags', flagLines(own)),
    section('Global Flags', globals.length > 0 ? flagLines(globals) : ''),
    extras.notes.trim() === '' ? '' : `${wrapProse(extras.notes.trim())}\n\n`,
    `${FOOTER}\n`,
  ].join('');
}

/**
 * Splits text a command appended to its help (`Examples:` blocks and notes) so the examples
 * can sit where cobra puts them, before the flags.
 */
export function splitAfterText(text: string): { examples: string; notes: string } {
  const examples: string[] = [];
  const notes: string[] = [];
  for (const block of text.split(/\n\s*\n/)) {
    const m = /^\s*Examples?:\n([\s\S]*)$/.exec(block);
    if (m !== null) examples.push((m[1] ?? '').replace(/\s+$/, ''));
    else if (block.trim() !== '') notes.push(block.trim());
  }
  return { examples: examples.join('\n'), notes: notes.join('\n\n') };
}
