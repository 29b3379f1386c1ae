import { Command } from 'commander';
import type { Context } from '../context.js';
import type { Workload } from '../model/workload.js';
import type { WorkloadRow } from '../model/workload-row.js';
import type { IO } from '../output/io.js';
import { jsonDocument, parseOutputFormat, yamlDocument, type OutputFormat } from '../output/render.js';
import { renderTable, TABLE_NOTE } from '../output/table.js';
import { renderWorkloadTab } from '../output/workload-table.js';
import { paintStatus } from '../output/workload-status.js';

export interface ListWorkloadsOptions {
  namespace: string | undefined;
  allNamespaces: boolean;
  container: string | undefined;
  noHeaders: boolean;
  format: OutputFormat;
}

const HEADER = ['WORKLOAD', 'CONTAINER', 'IMAGE', 'RELEASE', 'POLICY'];

export function listWorkloadsCommand(ctx: Context, run = runListWorkloads): Command {
  return new Command('list-workloads')
    .alias('list-controllers')
    .description('List workloads currently running in the cluster.')
    .option('-n, --namespace <namespace>', 'Confine query to namespace (default: the kubeconfig context\'s namespace, else "default")')
    .option('-a, --all-namespaces', 'Query across all namespaces', false)
    .option('-c, --container <name>', 'Filter workloads by container name')
    .option('--no-headers', "Don't print headers (default print headers)")
    .option('-o, --output-format <format>', 'Output format (tab, json or yaml)', 'tab')
    .addHelpText('after', `\nExamples:\n  fluxctl list-workloads --k8s-fwd-ns flux -a\n  fluxctl list-workloads -n podinfo -o json\n\n${TABLE_NOTE}`)
    .action((opts: { namespace?: string; allNamespaces: boolean; container?: string; headers: boolean; outputFormat: string }) =>
      run(ctx, {
        namespace: opts.namespace || undefined,
        allNamespaces: opts.allNamespaces,
        container: opts.container || undefined,
        noHeaders: !opts.headers,
        format: parseOutputFormat(opts.outputFormat),
      }),
    );
}

export async function runListWorkloads(ctx: Context, opts: ListWorkloadsOptions): Promise<void> {
  const namespace = opts.allNamespaces ? '' : (opts.namespace ?? (await ctx.defaultNamespace()));
  const backend = await ctx.backend();
  if (opts.format === 'tab' && !ctx.io.stdoutTTY && backend.listWorkloadRows !== undefined) {
    // Piped: only the table's fields are read, and the bytes are the same as the full model's.
    const rows = await backend.listWorkloadRows(namespace);
    ctx.io.stdout.write(renderWorkloadTab(opts.noHeaders ? undefined : HEADER, sortedRows(rows, opts.container)));
    return;
  }
  let workloads = await backend.listWorkloads(namespace);
  if (workloads !== null && opts.container !== undefined) {
    workloads = workloads.filter((w) => (w.Containers ?? []).some((c) => c.Name === opts.container));
  }
  const sorted = workloads === null || workloads.length === 0 ? null : [...workloads].sort(byId);
  ctx.io.stdout.write(await render(ctx.io, sorted, opts));
  if (sorted === null && opts.format === 'tab' && ctx.io.stdoutTTY) {
    // On a terminal an empty table is easy to misread; pipes keep fluxctl's bare header.
    ctx.io.stderr.write(namespace === '' ? 'No workloads found.\n' : `No workloads found in namespace "${namespace}".\n`);
  }
}

async function render(io: IO, workloads: Workload[] | null, opts: ListWorkloadsOptions): Promise<string> {
  if (opts.format === 'json') return jsonDocument(workloads);
  if (opts.format === 'yaml') return yamlDocument(workloads);
  // Only POLICY is free text a narrow terminal may shorten; IDs, containers, images and statuses stay whole.
  return renderTable(io, opts.noHeaders ? undefined : HEADER, (workloads ?? []).flatMap(rowsFor), (col, value) => paint(io, col, value), (col) => col === 4);
}

const byId = (a: { ID: string }, b: { ID: string }): number => (a.ID < b.ID ? -1 : a.ID > b.ID ? 1 : 0);

function sortedRows(rows: WorkloadRow[] | null, container: string | undefined): WorkloadRow[] {
  const kept = rows === null || container === undefined ? (rows ?? []) : rows.filter((w) => w.containers.some((name, i) => i % 2 === 0 && name === container));
  return kept.sort(byId);
}

/** fluxctl's rows: the first container on the workload's line, further ones on their own lines. */
export function rowsFor(w: Workload): string[][] {
  const policies = [w.Automated && 'automated', w.Ignore && 'ignore', w.Locked && 'locked'].filter(Boolean).join(',');
  const containers = w.Containers ?? [];
  const [first, ...rest] = containers;
  if (first === undefined) return [[w.ID, '', '', w.Status, policies]];
  return [
    [w.ID, first.Name ?? '', first.Current.ID, w.Status, policies],
    ...rest.map((c) => ['', c.Name ?? '', c.Current.ID, '', '']),
  ];
}

function paint(io: IO, column: number, value: string): string {
  if (column === 3) return paintStatus(io.out, value);
  if (column === 4 && value.includes('locked')) return io.out.yellow(value);
  return value;
}
