import type { JobResult } from '../daemon/jobs.js';
import { CliError } from '../errors.js';

/**
 * The workloads named with --workload that the daemon does not know: reported `skipped` with
 * `not found in repository` (update/filter.go), `skipped` with no reason, or left out. fluxctl
 * exits 0 for them, so a typo in a CI job passed; we fail instead, after the results.
 */
export function unknownWorkloads(named: readonly string[], result: JobResult): Array<{ id: string; reason: string }> {
  if (named.includes('<all>')) return [];
  const out: Array<{ id: string; reason: string }> = [];
  for (const id of [...new Set(named)].sort()) {
    const r = result.result?.get(id);
    if (r === undefined) out.push({ id, reason: 'not in the results' });
    else if (r.Status === 'skipped' && (r.Error === undefined || r.Error === '' || r.Error === 'not found in repository')) out.push({ id, reason: `skipped${r.Error ? `: ${r.Error}` : ''}` });
  }
  return out;
}

/** The error for them: each ID with the daemon's reason, and what happened to the others. */
export function unknownWorkloadsError(unknown: ReadonlyArray<{ id: string; reason: string }>, releasedOthers: boolean): CliError {
  const list = unknown.map((u) => `${u.id} (${u.reason})`).join(', ');
  const what = unknown.length === 1 ? `workload ${list} is` : `workloads ${list} are`;
  const rest = releasedOthers ? 'the other workloads were released; ' : '';
  return new CliError(`${what} not known to the daemon`, { hint: `${rest}check the IDs with: fluxctl list-workloads --all-namespaces` });
}
