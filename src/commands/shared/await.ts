import type { Context } from '../../context.js';
import type { DaemonClient } from '../../daemon/client.js';
import type { JobResult } from '../../daemon/jobs.js';
import { CliError, TimeoutError } from '../../errors.js';
import { renderResults } from '../../output/results.js';
import { pollUntil } from '../../wait.js';

/** A job that ended `failed` (or succeeded with an error): its Err text, and the result it carried. */
export class JobFailedError extends CliError {
  constructor(
    message: string,
    readonly result: JobResult,
  ) {
    super(message);
  }
}

// Jobs usually finish within a second, so look often at first. Applying is then checked four
// times a second at most: the CLI notices within ~0.25 s without loading the daemon.
const JOB_DELAYS = [100, 150, 250];
const APPLY_DELAY_MS = 250;

/** Polls GET /v6/jobs until the job succeeds; a failed job rejects with JobFailedError. */
export function awaitJob(ctx: Context, daemon: DaemonClient, jobId: string): Promise<JobResult> {
  return pollUntil(
    async () => {
      const job = await daemon.jobStatus(jobId);
      if (job.StatusString === 'failed' || (job.StatusString === 'succeeded' && job.Err !== '')) throw new JobFailedError(job.Err, job.Result);
      return job.StatusString === 'succeeded' ? job.Result : undefined;
    },
    ctx.polling((n) => JOB_DELAYS[Math.min(n, JOB_DELAYS.length) - 1] ?? APPLY_DELAY_MS),
  );
}

/** Polls GET /v6/sync until no commit up to `ref` is left to apply. */
export async function awaitApplied(ctx: Context, daemon: DaemonClient, ref: string): Promise<void> {
  await pollUntil(async () => ((await daemon.syncStatus(ref))?.length ? undefined : true), ctx.polling(() => APPLY_DELAY_MS));
}

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
 * fluxctl's `await` for release and policy jobs (reference §4.0.4): wait for the job, print
 * the result table, `Commit pushed`, then (with `apply`) wait for it to be applied.
 */
export async function awaitUpdate(ctx: Context, daemon: DaemonClient, jobId: string, opts: { apply: boolean; verbosity: number }): Promise<JobResult> {
  const { stderr, stdout } = ctx.io;
  let result: JobResult;
  try {
    result = await awaitJob(ctx, daemon, jobId);
  } catch (e) {
    if (!(e instanceof TimeoutError)) throw e;
    stderr.write(JOB_TIMEOUT_TEXT);
    throw new TimeoutError(`${e.message} waiting for job ${jobId}; its outcome is unknown`, { hint: 'check the cluster or the git log; retrying is safe' });
  }
  if (result.result !== undefined) stdout.write(await renderResults(ctx.io, result.result, opts.verbosity));
  const revision = result.revision ?? '';
  if (revision !== '') stderr.write(`Commit pushed:\t${revision.slice(0, 7)}\n`);
  if (result.result === undefined) {
    stderr.write('Nothing to do\n');
    return result;
  }
  if (!opts.apply || revision === '') return result;
  try {
    await awaitApplied(ctx, daemon, revision);
  } catch (e) {
    if (!(e instanceof TimeoutError)) throw e;
    // fluxctl exits 0 here: the change is committed; applying it is the daemon's business.
    stderr.write(APPLY_TIMEOUT_TEXT);
    return result;
  }
  stderr.write(`Commit applied:\t${revision.slice(0, 7)}\n`);
  return result;
}
