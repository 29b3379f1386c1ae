import { Option, type Command } from 'commander';
import type { Context } from '../../context.js';
import { collectSlice } from './resource-id.js';

/** `-v`, `-vv` or repeated `--verbose`: fluxctl's result verbosity count. */
export function verbosityOption(): Option {
  return new Option('-v, --verbose', 'include skipped (and ignored, with -vv) workloads in output').argParser((_v: string, prev: number) => prev + 1).default(0);
}

/** `-m/--message` and `--user`: the cause sent with an update (AddCauseFlags in fluxcd/flux cmd/fluxctl/args.go). */
export function addCauseOptions(cmd: Command): Command {
  return cmd
    .option('-m, --message <text>', 'attach a message to the update')
    .option('--user <name>', 'override the user reported as initiating the update (default: git config user.name and user.email)');
}

/** A pflag string-slice option: comma-separated values, repeatable. */
export function sliceOption(flags: string, description: string): Option {
  return new Option(flags, description).argParser((v: string, prev: string[] | undefined) => collectSlice(v, prev));
}

/** The namespace that qualifies `kind/name` IDs: -n, else the kubeconfig context's, else default. */
export async function workloadNamespace(ctx: Context, flag: string | undefined): Promise<string> {
  return flag !== undefined && flag !== '' ? flag : ctx.defaultNamespace();
}
