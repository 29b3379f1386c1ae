import type { Context } from '../context.js';
import type { DaemonClient } from '../daemon/client.js';
import type { Workload } from '../model/workload.js';
import { CliError, TimeoutError } from '../errors.js';
import type { IO } from '../output/io.js';
import { renderTable } from '../output/table.js';
import { paintStatus } from '../output/workload-status.js';
import { rolloutFailed } from './shared/watch-rollouts.js';
import { pollUntil } from '../wait.js';

/** fluxctl looks again every 2 s. */
export const WATCH_INTERVAL_MS = 2000;

const HEADER = ['WORKLOAD', 'CONTAINER', 'IMAGE', 'RELEASE', 'REPLICAS'];

/** fluxctl's rollout table for one workload, ending with an empty line; -v adds the counters. */
export async function rolloutTable(io: IO, w: Workload, verbosity: number): Promise<string> {
  const r = w.Rollout;
  const replicas = `${r.Updated}/${r.Desired}${verbosity > 0 ? ` (${r.Outdated} outdated, ${r.Ready} ready)` : ''}`;
  const [first, ...rest] = w.Containers ?? [];
  const rows =
    first === undefined
      ? [[w.ID, '', '', w.Status, replicas]]
      : [[w.ID, first.Name ?? '', first.Current.ID, w.Status, replicas], ...rest.map((c) => ['', c.Name ?? '', c.Current.ID, '', ''])];
  const paint = (col: number, v: string): string => (col !== 3 ? v : paintStatus(io.out, v));
  return `${await renderTable(io, HEADER, rows, paint)}\n`;
}

function problem(io: IO, w: Workload): CliError {
  io.stderr.write(`There was a problem releasing ${w.ID}:\n${(w.Rollout.Messages ?? []).map((m) => `${m}\n`).join('')}`);
  // fluxctl exits 0 here; a failed rollout is a failed release, so scripts can tell.
  return new CliError(`the rollout of ${w.ID} failed`, { hint: `inspect it with: kubectl -n ${w.ID.split(':')[0] ?? ''} describe ${w.ID.split(':')[1] ?? ''}` });
}

/**
 * `release --watch` (fluxcd/flux cmd/fluxctl/release_cmd.go): a rollout table per workload on every poll of the v11
 * services route until all are ready. Unlike fluxctl it is bounded by --timeout (exit 4 naming
 * the workloads not ready), a failing rollout exits 1, and with no released workload there is
 * nothing to watch (fluxctl would watch the whole cluster).
 */
export async function watchRelease(ctx: Context, daemon: DaemonClient, ids: readonly string[], verbosity: number, intervalMs = WATCH_INTERVAL_MS): Promise<void> {
  const say = ctx.narrator();
  if (ids.length === 0) {
    say.info('Nothing to watch: no workload was released.');
    return;
  }
  say.info('Monitoring rollout ...');
  let waiting = [...ids];
  try {
    await pollUntil(
      async () => {
        const workloads = (await daemon.listServicesWithOptions('', ids)) ?? [];
        for (const w of workloads) {
          ctx.io.stdout.write(await rolloutTable(ctx.io, w, verbosity));
          if (rolloutFailed(w)) throw problem(ctx.io, w);
        }
        waiting = workloads.filter((w) => w.Status !== 'ready').map((w) => w.ID);
        return waiting.length === 0 ? true : undefined;
      },
      ctx.polling(() => intervalMs),
    );
  } catch (e) {
    if (!(e instanceof TimeoutError)) throw e;
    throw new TimeoutError(`${e.message} waiting for the rollout of ${waiting.join(', ')}; it may still complete`, {
      hint: 'check it with fluxctl list-workloads, or watch longer with a larger --timeout',
    });
  }
  say.success('All workloads ready.');
}
