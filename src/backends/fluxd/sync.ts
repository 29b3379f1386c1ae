import type { DaemonClient } from '../../daemon/client.js';
import type { GitConfig } from '../../daemon/git-config.js';
import { CliError, TimeoutError } from '../../errors.js';
import { goQuote } from '../../util/go-quote.js';
import type { Polling } from '../../wait.js';
import type { Narration, SyncSource } from '../types.js';
import { awaitApplied, awaitJob, JobFailedError } from './jobs.js';

/** fluxctl's checks of the repository state before a sync (fluxcd/flux cmd/fluxctl sync_cmd.go), with its texts. */
export function syncSource(config: GitConfig): SyncSource {
  const detail = config.errors === '' ? '' : `\n\nFull error message: ${config.errors}`;
  switch (config.status) {
    case 'ready':
      return { url: config.remote.url, ref: config.remote.branch };
    case 'unconfigured':
      throw new CliError('no git repository is configured', { hint: 'the daemon runs without --git-url' });
    case 'unreachable':
      throw new CliError(`can not connect to git repository with URL ${config.remote.url}\n\nFull error message: ${config.errors}`);
    default:
      throw new CliError(`git repository ${config.remote.url} is not ready to sync${detail}`, {
        hint: `the daemon reports status "${config.status}": wait a little, or check its deploy key (fluxctl identity)`,
      });
  }
}

/** Waits for the sync job; returns the revision it synced. */
export async function awaitSyncJob(poll: Polling, daemon: DaemonClient, jobId: string, narrate: Narration): Promise<string> {
  let revision: string;
  try {
    revision = (await awaitJob(poll, daemon, jobId)).revision ?? '';
  } catch (e) {
    // An unverified HEAD still names the last verified commit: fluxctl warns and syncs that.
    if (e instanceof JobFailedError && e.message.includes('branch HEAD in the git repo is not verified') && e.message.includes('last verified commit was')) {
      narrate.warn(e.message);
      revision = e.result.revision ?? '';
    } else {
      narrate.line(`Failed to complete sync job (ID ${goQuote(jobId)})`);
      if (e instanceof TimeoutError) {
        throw new TimeoutError(`${e.message} waiting for the sync job; its outcome is unknown`, {
          hint: 'the daemon may still be fetching git: run fluxctl sync again, or check its logs',
        });
      }
      throw e;
    }
  }
  if (revision.length < 7) throw new CliError(`the sync job ${goQuote(jobId)} finished without a revision`);
  return revision;
}

/** Waits until the daemon reports no commit up to `revision` left to apply (GET /v6/sync). */
export async function awaitRevisionApplied(poll: Polling, daemon: DaemonClient, revision: string): Promise<void> {
  const rev = revision.slice(0, 7);
  try {
    await awaitApplied(poll, daemon, rev);
  } catch (e) {
    if (e instanceof TimeoutError) {
      throw new TimeoutError(`${e.message} waiting for ${rev} to be applied; the outcome is unknown`, {
        hint: 'the daemon applies it on its own schedule: run fluxctl sync again later, or check the daemon logs',
      });
    }
    throw e;
  }
}
