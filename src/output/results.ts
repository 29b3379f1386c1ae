import type { WorkloadResult } from '../daemon/jobs.js';
import type { IO } from './io.js';
import { renderTable } from './table.js';

/** The tag of an image ref (`…:tag`), empty for a digest or no tag. */
function tagOf(ref: string): string {
  if (ref.includes('@')) return '';
  const last = ref.slice(ref.lastIndexOf('/') + 1);
  const colon = last.indexOf(':');
  return colon < 0 ? '' : last.slice(colon + 1);
}

/**
 * fluxctl's job result table (fluxcd/flux pkg/update/print.go): sorted by ID; `skipped` shown from -v,
 * `ignored` from -vv; an error row, then one row per container change.
 */
export function resultRows(results: ReadonlyMap<string, WorkloadResult>, verbosity: number): string[][] {
  const rows: string[][] = [];
  for (const id of [...results.keys()].sort()) {
    const r = results.get(id);
    if (r === undefined) continue;
    if ((r.Status === 'skipped' && verbosity < 1) || (r.Status === 'ignored' && verbosity < 2)) continue;
    const updates = [
      ...(r.Error !== undefined ? [r.Error] : []),
      ...(r.PerContainer ?? []).map((c) => `${c.Container}: ${c.Current} -> ${tagOf(c.Target)}`),
    ];
    if (updates.length === 0) updates.push('');
    updates.forEach((u, i) => rows.push(i === 0 ? [id, r.Status, u] : ['', '', u]));
  }
  return rows;
}

/** The table on stdout: fluxctl's header has a space before each TAB, kept when piped. */
export async function renderResults(io: IO, results: ReadonlyMap<string, WorkloadResult>, verbosity: number): Promise<string> {
  return renderResultRows(io, resultRows(results, verbosity));
}

/** The WORKLOAD STATUS UPDATES table of rows already made (Flux v2's automation outcomes print this way too). */
export async function renderResultRows(io: IO, rows: string[][]): Promise<string> {
  if (io.stdoutTTY) {
    const paint = (col: number, v: string): string => (col !== 1 ? v : v === 'success' ? io.out.green(v) : v === 'failed' ? io.out.red(v) : io.out.yellow(v));
    // An update `container: from -> to` is shown whole; only an error or a reason may be shortened.
    const shorten = (col: number, v: string): boolean => col === 2 && !v.includes(' -> ');
    return (await renderTable(io, ['WORKLOAD', 'STATUS', 'UPDATES'], rows, paint, shorten)) || `${io.out.bold('WORKLOAD   STATUS   UPDATES')}\n`;
  }
  return renderTable(io, ['WORKLOAD ', 'STATUS ', 'UPDATES'], rows);
}
