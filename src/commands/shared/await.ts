import type { Context } from '../../context.js';
import type { DaemonClient } from '../../daemon/client.js';
import type { JobResult } from '../../daemon/jobs.js';
import { TimeoutError } from '../../errors.js';
import { withProgress } from '../../output/progress.js';
import { renderResults } from '../../output/results.js';
import { awaitApplied, awaitJob } from '../../backends/fluxd/jobs.js';

const JOB_TIMEOUT_TEXT = `
We timed out waiting for the result of the operation. This does not
necessarily mean it has failed. You can check the state of the
cluster, or commit logs, to see if there was a result. In general, it
is safe to retry operations.
`;

const APPLY_TIMEOUT_TEXT = `
The operation succeeded, but we timed out waiting for the commit to be
applied. This does not necessarily mean there is a problem. Use

    fluxctl sync

to run a sync interactively.
`;

/**
 * fluxctl's `await` for release and policy jobs (fluxcd/flux cmd/fluxctl/await.go): wait for the
 * job, check it with `verify`, print the result table, `Commit pushed`, then (with `apply`) wait
 * for it to be applied.
 */
export async function awaitUpdate(
  ctx: Context,
  daemon: DaemonClient,
  jobId: string,
  opts: { apply: boolean; verbosity: number; verify?: (result: JobResult) => Promise<void> },
): Promise<JobResult> {
  const { stderr, stdout } = ctx.io;
  let result: JobResult;
  try {
    result = await awaitJob((d) => ctx.polling(d), daemon, jobId);
  } catch (e) {
    if (!(e instanceof TimeoutError)) throw e;
    stderr.write(JOB_TIMEOUT_TEXT);
    throw new TimeoutError(`${e.message} waiting for job ${jobId}; its outcome is unknown`, { hint: 'check the cluster or the git log; retrying is safe' });
  }
  // A result that is an error (policy's missing workload) prints no table: stdout stays empty.
  await opts.verify?.(result);
  if (result.result !== undefined) stdout.write(await renderResults(ctx.io, result.result, opts.verbosity));
  const revision = result.revision ?? '';
  if (revision !== '') stderr.write(`Commit pushed:\t${revision.slice(0, 7)}\n`);
  if (result.result === undefined) {
    stderr.write('Nothing to do\n');
    return result;
  }
  if (!opts.apply || revision === '') return result;
  try {
    // A spinner on a terminal only (as sync's): piped output keeps fluxctl's lines exactly.
    await withProgress(ctx.io, { tty: `Waiting for ${revision.slice(0, 7)} to be applied` }, {}, () => awaitApplied((d) => ctx.polling(d), daemon, revision));
  } catch (e) {
    if (!(e instanceof TimeoutError)) throw e;
    // fluxctl exits 0 here: the change is committed; applying it is the daemon's business.
    stderr.write(APPLY_TIMEOUT_TEXT);
    return result;
  }
  stderr.write(`Commit applied:\t${revision.slice(0, 7)}\n`);
  return result;
}
