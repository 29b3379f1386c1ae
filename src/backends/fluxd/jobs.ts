import type { DaemonClient } from '../../daemon/client.js';
import type { JobResult } from '../../daemon/jobs.js';
import { CliError } from '../../errors.js';
import { pollUntil, type Polling } from '../../wait.js';

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
export function awaitJob(poll: Polling, daemon: DaemonClient, jobId: string): Promise<JobResult> {
  return pollUntil(
    async () => {
      const job = await daemon.jobStatus(jobId);
      if (job.StatusString === 'failed' || (job.StatusString === 'succeeded' && job.Err !== '')) throw new JobFailedError(job.Err, job.Result);
      return job.StatusString === 'succeeded' ? job.Result : undefined;
    },
    poll((n) => JOB_DELAYS[Math.min(n, JOB_DELAYS.length) - 1] ?? APPLY_DELAY_MS),
  );
}

/** Polls GET /v6/sync until no commit up to `ref` is left to apply. */
export async function awaitApplied(poll: Polling, daemon: DaemonClient, ref: string): Promise<void> {
  await pollUntil(async () => ((await daemon.syncStatus(ref))?.length ? undefined : true), poll(() => APPLY_DELAY_MS));
}
