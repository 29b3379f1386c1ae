import type { Context } from '../../context.js';
import type { DaemonClient, UpdateCause } from '../../daemon/client.js';
import type { JobResult } from '../../daemon/jobs.js';
import { policySpec, type PolicyChange } from '../../daemon/spec.js';
import { CliError, TimeoutError } from '../../errors.js';
import { withProgress } from '../../output/progress.js';
import { awaitJob, JobFailedError } from '../../backends/fluxd/jobs.js';
import { awaitUpdate } from './await.js';
import { resolveCause } from './cause.js';
import type { PolicyOptions } from './policy-flags.js';

/** Flux v2 keeps these settings in git: ImagePolicy objects, not workload annotations. */
const POLICY_ON_V2 = "change the ImagePolicy's spec.policy or spec.filterTags in git and run fluxctl sync (flux create image policy <name> --export prints a new ImagePolicy)";

/** policy.NewPattern(p).String(): glob: is the default, and regex: is spelt regexp:. */
export function normalisePattern(pattern: string): string {
  if (pattern.startsWith('semver:') || pattern.startsWith('regexp:')) return pattern;
  if (pattern.startsWith('regex:')) return `regexp:${pattern.slice('regex:'.length)}`;
  return `glob:${pattern.startsWith('glob:') ? pattern.slice('glob:'.length) : pattern}`;
}

/** fluxctl's calculatePolicyChanges; Maps, so the body's keys come out sorted as Go sends them. */
export function policyChange(opts: PolicyOptions, cause: UpdateCause): PolicyChange {
  const add = new Map<string, string>();
  const remove = new Map<string, string>();
  if (opts.automate) add.set('automated', 'true');
  if (opts.lock) {
    add.set('locked', 'true');
    if (cause.User !== '') add.set('locked_user', cause.User).set('locked_msg', cause.Message);
  }
  if (opts.deautomate) remove.set('automated', 'true');
  if (opts.unlock) for (const p of ['locked', 'locked_msg', 'locked_user']) remove.set(p, 'true');
  if (opts.tagAll !== '') add.set('tag_all', normalisePattern(opts.tagAll));
  for (const [container, pattern] of opts.tags) {
    if (pattern === '*') remove.set(`tag.${container}`, 'true');
    else add.set(`tag.${container}`, normalisePattern(pattern));
  }
  return { add, remove };
}

/** Sends the change, then fluxctl's await without the sync wait: table, `Commit pushed`. */
export async function runPolicyUpdate(ctx: Context, opts: PolicyOptions): Promise<void> {
  const cause = await resolveCause(opts, ctx.signal, ctx.env);
  const spec = policySpec(cause, new Map([[opts.workload, policyChange(opts, cause)]]));
  const daemon = await ctx.fluxd(POLICY_ON_V2);
  const jobId = await daemon.updateManifests(spec);
  try {
    await spinWhileQueued(ctx, daemon, jobId);
    await awaitUpdate(ctx, daemon, jobId, { apply: false, verbosity: opts.verbosity, verify: (result) => checkWorkloadExists(daemon, opts.workload, result) });
  } catch (e) {
    if (e instanceof JobFailedError && e.message.startsWith('invalid tag pattern:')) {
      throw new CliError(e.message, { hint: 'patterns are glob:<glob> (the default), semver:<constraint> or regexp:<regular expression>' });
    }
    throw e;
  }
}

/** On a terminal only: piped runs keep fluxctl's requests and texts exactly. */
async function spinWhileQueued(ctx: Context, daemon: DaemonClient, jobId: string): Promise<void> {
  if (!ctx.io.stderrTTY || ctx.io.ci) return;
  try {
    await withProgress(ctx.io, { tty: 'Waiting for the daemon to commit the change' }, {}, () => awaitJob((d) => ctx.polling(d), daemon, jobId));
  } catch (e) {
    // awaitUpdate reports a timeout with fluxctl's explanation.
    if (!(e instanceof TimeoutError)) throw e;
  }
}

/**
 * The daemon reports a workload it cannot find in git as a bare `skipped`, the same as a
 * change that was already in place (daemon.updatePolicies). Only then do we ask which one it
 * was, so a mistyped ID fails instead of exiting 0 having done nothing.
 */
async function checkWorkloadExists(daemon: DaemonClient, id: string, result: JobResult): Promise<void> {
  const outcome = result.result?.get(id);
  if (outcome?.Status === 'failed') throw new CliError(`the daemon could not change the policies of ${id}${outcome.Error ? `: ${outcome.Error}` : ''}`);
  if (outcome !== undefined && outcome.Status !== 'skipped') return;
  const found = (await daemon.listServicesWithOptions('', [id]))?.find((w) => w.ID === id);
  if (found === undefined) {
    throw new CliError(`workload ${id} not found`, { hint: 'nothing was changed; list the workloads with: fluxctl list-workloads --all-namespaces' });
  }
  if (found.ReadOnly === 'NotInRepo') {
    throw new CliError(`workload ${id} is not defined in the git repo, so its policies cannot be changed`, {
      hint: 'policies are annotations on the manifest in git: add the workload to the repo first',
    });
  }
}
