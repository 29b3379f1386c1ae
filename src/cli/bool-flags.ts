import type { Command, Option } from 'commander';
import { UsageError } from '../errors.js';
import { goQuote } from '../util/go-quote.js';

/** Go's strconv.ParseBool, which pflag uses for `--flag=value`; undefined for anything else. */
export function parseGoBool(value: string): boolean | undefined {
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(value)) return false;
  return undefined;
}

/** A boolean flag's final value, set after commander has parsed the rest. */
export interface BoolOverride {
  command: Command;
  attribute: string;
  value: boolean;
}

export interface NormalisedArgv {
  argv: string[];
  overrides: BoolOverride[];
}

/** A plain on/off flag: no argument, and no parser (count flags such as -v/--verbose have one). */
export function isBoolean(o: Option): boolean {
  return !o.required && !o.optional && o.parseArg === undefined;
}

/** pflag names a flag with its shorthand in errors: "-a, --all-namespaces". */
export function flagName(o: Option): string {
  return o.short !== undefined && o.long !== undefined ? `${o.short}, ${o.long}` : (o.long ?? o.short ?? '');
}

function commandPath(cmd: Command): string {
  return cmd.parent ? `${commandPath(cmd.parent)} ${cmd.name()}` : cmd.name();
}

class Walk {
  readonly out: string[] = [];
  /** Per command and attribute: the value each occurrence set, last one wins (as in pflag). */
  private readonly seen = new Map<Command, Map<string, { value: boolean; explicit: boolean }>>();

  constructor(public current: Command) {}

  record(o: Option, value: boolean, explicit: boolean): void {
    const attribute = o.attributeName();
    const forCommand = this.seen.get(this.current) ?? new Map<string, { value: boolean; explicit: boolean }>();
    this.seen.set(this.current, forCommand);
    const before = forCommand.get(attribute);
    // `--no-x` stores false under x, so the value is the flag's meaning, not its spelling.
    forCommand.set(attribute, { value: o.negate ? !value : value, explicit: explicit || before?.explicit === true });
  }

  /** `--flag=value` of a boolean: pflag's ParseBool and its exact error. */
  explicit(o: Option, raw: string): void {
    const value = parseGoBool(raw);
    if (value === undefined) {
      throw new UsageError(`invalid argument ${goQuote(raw)} for ${goQuote(flagName(o))} flag: strconv.ParseBool: parsing ${goQuote(raw)}: invalid syntax`, {
        commandPath: commandPath(this.current),
      });
    }
    this.record(o, value, true);
  }

  overrides(): BoolOverride[] {
    const out: BoolOverride[] = [];
    for (const [command, values] of this.seen) for (const [attribute, v] of values) if (v.explicit) out.push({ command, attribute, value: v.value });
    return out;
  }
}

const findLong = (cmd: Command, long: string): Option | undefined => cmd.options.find((o) => o.long === long);
const findShort = (cmd: Command, short: string): Option | undefined => cmd.options.find((o) => o.short === short);

/** `--name[=value]`; returns how many following tokens the flag consumed. */
function longToken(w: Walk, token: string): number {
  const eq = token.indexOf('=');
  const o = findLong(w.current, eq < 0 ? token : token.slice(0, eq));
  if (o === undefined || !isBoolean(o)) {
    w.out.push(token);
    return o !== undefined && o.required && eq < 0 ? 1 : 0;
  }
  if (eq < 0) {
    w.out.push(token);
    w.record(o, true, false);
  } else {
    w.explicit(o, token.slice(eq + 1));
  }
  return 0;
}

/** `-abc`, `-a=value` or `-nvalue`; returns how many following tokens the last flag consumed. */
function shortToken(w: Walk, token: string): number {
  const first = findShort(w.current, token.slice(0, 2));
  if (first !== undefined && isBoolean(first) && token[2] === '=') {
    w.explicit(first, token.slice(3));
    return 0;
  }
  w.out.push(token);
  for (let i = 1; i < token.length; i++) {
    const o = findShort(w.current, `-${token[i] ?? ''}`);
    if (o === undefined) return 0;
    if (!isBoolean(o)) return o.required && i === token.length - 1 ? 1 : 0;
    w.record(o, true, false);
  }
  return 0;
}

/**
 * pflag lets every boolean flag take a value (`--dry-run=true`, `--no-headers=false`, `-a=1`);
 * commander does not. The command line is rewritten for commander: each `=value` form is taken
 * out and its flag's final value (the last occurrence wins, as in pflag) is set after parsing.
 * Values of flags that take one are never mistaken for flags.
 */
export function normaliseBooleans(root: Command, argv: readonly string[]): NormalisedArgv {
  const w = new Walk(root);
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] ?? '';
    let consumed = 0;
    if (token === '--') {
      w.out.push(...argv.slice(i));
      break;
    } else if (token.startsWith('--')) {
      consumed = longToken(w, token);
    } else if (token.startsWith('-') && token.length > 1) {
      consumed = shortToken(w, token);
    } else {
      w.out.push(token);
      const sub = w.current === root ? root.commands.find((c) => c.name() === token || c.aliases().includes(token)) : undefined;
      if (sub !== undefined) w.current = sub;
    }
    for (let k = 0; k < consumed && i + 1 < argv.length; k++) w.out.push(argv[++i] ?? '');
  }
  return { argv: w.out, overrides: w.overrides() };
}

/** Sets the values the `=value` forms asked for, on the command each was given to. */
export function applyOverrides(overrides: readonly BoolOverride[]): void {
  for (const o of overrides) o.command.setOptionValueWithSource(o.attribute, o.value, 'cli');
}
