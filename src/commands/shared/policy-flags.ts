import { Option, type Command } from 'commander';
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import { addCauseOptions, verbosityOption, workloadNamespace } from './flags.js';
import { parseWorkloadId } from './resource-id.js';

/** What `policy` and its four shortcuts change on one workload (fluxcd/flux cmd/fluxctl/policy_cmd.go). */
export interface PolicyOptions {
  /** The canonical `<namespace>:<kind>/<name>`. */
  workload: string;
  automate: boolean;
  deautomate: boolean;
  lock: boolean;
  unlock: boolean;
  /** The --tag-all pattern as typed; empty means none. */
  tagAll: string;
  /** --tag pairs as [container, pattern as typed]. */
  tags: Array<[string, string]>;
  verbosity: number;
  message: string | undefined;
  user: string | undefined;
}

/** The flags as commander parsed them, shared by all five commands. */
export interface RawPolicyFlags {
  namespace?: string;
  workload?: string;
  controller?: string;
  tagAll?: string;
  tag?: string[];
  automate?: boolean;
  deautomate?: boolean;
  lock?: boolean;
  unlock?: boolean;
  verbose: number;
  message?: string;
  user?: string;
}

const DEPRECATED_CONTROLLER = 'Flag --controller has been deprecated, changed to --workload, use that instead\n';

/**
 * -n, -w, -v, -m, --user and the hidden, deprecated -c. `lock` wired -c to the workload
 * itself in fluxctl (cmd/fluxctl/lock_cmd.go), so there the last of -w/-c simply wins.
 */
export function addWorkloadOptions(ctx: Context, cmd: Command, workloadHelp: string, controllerIsWorkload = false): Command {
  cmd
    .option('-n, --namespace <namespace>', 'Workload namespace (default: the kubeconfig context\'s namespace, else "default")')
    .option('-w, --workload <workload>', workloadHelp)
    .addOption(verbosityOption())
    .addOption(new Option('-c, --controller <controller>', 'deprecated: use --workload').hideHelp());
  // pflag prints the deprecation as the flag is parsed, before any validation error.
  cmd.on('option:controller', (value: string) => {
    ctx.io.stderr.write(DEPRECATED_CONTROLLER);
    if (controllerIsWorkload) cmd.setOptionValueWithSource('workload', value, 'cli');
  });
  return addCauseOptions(cmd);
}

/**
 * fluxctl's validation, in its order and with its texts (policy_cmd.go's RunE).
 * `conflict` is the command's -w/-c message, or null where -c just sets the workload.
 */
export async function parsePolicyFlags(ctx: Context, raw: RawPolicyFlags, conflict: string | null): Promise<PolicyOptions> {
  const workload = raw.workload ?? '';
  const controller = conflict === null ? '' : (raw.controller ?? '');
  if (workload === '' && controller === '') throw new UsageError('-w, --workload is required', { hint: 'name the workload, e.g. -w default:deployment/podinfo' });
  if (workload !== '' && controller !== '') throw new UsageError(conflict ?? '');
  if (raw.automate === true && raw.deautomate === true) throw new UsageError('automate and deautomate both specified');
  if (raw.lock === true && raw.unlock === true) throw new UsageError('lock and unlock both specified');
  const id = parseWorkloadId(workload || controller, await workloadNamespace(ctx, raw.namespace));
  return {
    workload: id,
    automate: raw.automate === true,
    deautomate: raw.deautomate === true,
    lock: raw.lock === true,
    unlock: raw.unlock === true,
    tagAll: raw.tagAll ?? '',
    tags: (raw.tag ?? []).map(parseTagPair),
    verbosity: raw.verbose,
    message: raw.message,
    user: raw.user,
  };
}

function parseTagPair(pair: string): [string, string] {
  const parts = pair.split('=');
  if (parts.length !== 2) {
    throw new UsageError(`invalid container/tag pair: ${JSON.stringify(pair)}. Expected format is 'container=filter'`, {
      hint: "a pattern containing '=' or ',' can only be given with --tag-all",
    });
  }
  return [parts[0] ?? '', parts[1] ?? ''];
}
