import type { Context } from '../../context.js';
import type { Backend } from '../../backends/types.js';
import type { Workload } from '../../model/workload.js';
import { CliError, TimeoutError } from '../../errors.js';
import { spinnerShown, withProgress } from '../../output/progress.js';
import { renderTabRows } from '../../output/table.js';
import { pollUntil } from '../../wait.js';

// Workload statuses that mean "still rolling out" (fluxd's Deployment/DaemonSet/StatefulSet
// vocabulary); HelmRelease statuses are free text and CronJobs are always ready.
const IN_PROGRESS = new Set(['started', 'updating']);
const POLL_MS = 1000;

/**
 * The one rule for a failed rollout, for release --watch and sync --watch alike: fluxd reports
 * problem messages (an empty list is none), or the status is `error`. fluxctl's release --watch
 * failed on any non-null Messages, so `[]` from a daemon counted as a problem there.
 */
export const rolloutFailed = (w: Workload): boolean => (w.Rollout.Messages?.length ?? 0) > 0 || w.Status === 'error';

/** A workload that has not settled: rolling out, or failing. */
export const unsettled = (w: Workload): boolean => IN_PROGRESS.has(w.Status) || rolloutFailed(w);

const progressOf = (w: Workload): string => {
  const r = w.Rollout;
  return `${r.Updated}/${r.Desired} updated, ${r.Ready} ready${r.Outdated > 0 ? `, ${r.Outdated} outdated` : ''}`;
};

function failure(w: Workload): CliError | undefined {
  if (!rolloutFailed(w)) return undefined;
  const messages = w.Rollout.Messages ?? [];
  const detail = messages.length > 0 ? `:\n${messages.map((m) => `  ${m}`).join('\n')}` : '';
  return new CliError(`rollout of ${w.ID} failed${detail}`, { hint: `inspect it with: fluxctl list-workloads -n ${w.ID.split(':')[0] ?? ''}, or kubectl describe` });
}

/**
 * Follows rollouts until every watched workload is ready (v11 services route, at most once a
 * second). A failing workload ends the wait with exit 1 naming it; --timeout names the rest.
 * TTY: a live table in the spinner; otherwise one plain line per change.
 */
export async function watchRollouts(ctx: Context, backend: Backend, ids: readonly string[], quiet: boolean): Promise<Workload[]> {
  const pending = new Set(ids);
  const latest = new Map<string, Workload>();
  const said = new Map<string, string>();
  const fancy = spinnerShown(ctx.io);
  const poll = async (): Promise<Workload[] | undefined> => {
    for (const w of (await backend.workloadsById([...pending])) ?? []) latest.set(w.ID, w);
    for (const id of [...pending]) {
      const w = latest.get(id);
      if (w === undefined) continue;
      const failed = failure(w);
      if (failed) throw failed;
      if (!unsettled(w)) pending.delete(id);
      const line = unsettled(w) ? `Rollout of ${id}: ${w.Status}, ${progressOf(w)}` : `${id} is ready`;
      if (!fancy && !quiet && said.get(id) !== line) ctx.io.stderr.write(`${line}\n`);
      said.set(id, line);
    }
    return pending.size === 0 ? [...latest.values()] : undefined;
  };
  try {
    return await withProgress(ctx.io, { tty: `Watching ${ids.length} rollout(s)` }, { quiet }, (progress) =>
      pollUntil(
        async () => {
          const done = await poll();
          if (!done) progress.update(`Watching rollouts\n${table(ids, latest)}`);
          return done;
        },
        ctx.polling(() => POLL_MS),
      ),
    );
  } catch (e) {
    if (!(e instanceof TimeoutError)) throw e;
    throw new TimeoutError(`${e.message} waiting for rollouts; not ready yet: ${[...pending].join(', ')}`, { hint: 'they may still finish: check with fluxctl list-workloads' });
  }
}

function table(ids: readonly string[], latest: Map<string, Workload>): string {
  const rows = ids.map((id) => {
    const w = latest.get(id);
    return w === undefined ? [id, '?', ''] : [id, w.Status, progressOf(w)];
  });
  return renderTabRows([['WORKLOAD', 'STATUS', 'REPLICAS'], ...rows]).trimEnd();
}
