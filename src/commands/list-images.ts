import { Command, Option } from 'commander';
import type { Context } from '../context.js';
import type { ImageTableWorkload } from '../model/image-table.js';
import { UsageError } from '../errors.js';
import { IMAGES_HEADER, imageRows, limitAvailable, type ImageRowKind } from '../output/images.js';
import type { IO } from '../output/io.js';
import { jsonDocument, parseOutputFormat, yamlDocument, type OutputFormat } from '../output/render.js';
import { renderTable, TABLE_NOTE } from '../output/table.js';
import { parser } from '../program.js';
import { parseWorkloadId } from './shared/resource-id.js';
import { workloadNamespace } from './shared/flags.js';

export interface ListImagesOptions {
  namespace: string | undefined;
  /** Our addition: every namespace (fluxctl always confined the listing to one). */
  allNamespaces: boolean;
  /** As typed: `ns:kind/name` or `kind/name`. */
  workload: string | undefined;
  limit: number;
  noHeaders: boolean;
  format: OutputFormat;
}

interface RawOptions {
  namespace?: string;
  allNamespaces: boolean;
  workload?: string;
  controller?: string;
  limit: number;
  headers: boolean;
  outputFormat: string;
}

const DEPRECATED_CONTROLLER = 'Flag --controller has been deprecated, changed to --workload, use that instead\n';

export function listImagesCommand(ctx: Context, run = runListImages): Command {
  return new Command('list-images')
    .description('Show deployed and available images.')
    .option('-n, --namespace <namespace>', 'Namespace (default: the kubeconfig context\'s namespace, else "default")')
    .option('-a, --all-namespaces', 'Query across all namespaces (not in fluxctl)', false)
    .option('-w, --workload <id>', 'Show images for this workload (<namespace>:<kind>/<name>, or <kind>/<name> in --namespace)')
    .option('-l, --limit <n>', 'Number of images to show (0 for all)', parser(parseGoInt), 10)
    .option('--no-headers', "Don't print headers (default print headers)")
    .option('-o, --output-format <format>', 'Output format (tab, json or yaml)', 'tab')
    .addOption(new Option('-c, --controller <id>', 'Show images for this controller').hideHelp())
    .addHelpText('after', `\nExamples:\n  fluxctl list-images --k8s-fwd-ns flux -n default\n  fluxctl list-images -w default:deployment/podinfo -l 0 -o json\n\n${TABLE_NOTE}`)
    .action((opts: RawOptions) => {
      // pflag announces a deprecated flag as it parses it, before anything else happens.
      if (opts.controller !== undefined) ctx.io.stderr.write(DEPRECATED_CONTROLLER);
      return run(ctx, toOptions(opts));
    });
}

function toOptions(opts: RawOptions): ListImagesOptions {
  const format = parseOutputFormat(opts.outputFormat);
  let workload = opts.workload || undefined;
  if (opts.controller) {
    if (workload !== undefined) throw new UsageError("can't specify both the controller and image", { hint: 'use --workload alone; --controller is its deprecated name' });
    workload = opts.controller;
  }
  if (format !== 'tab' && opts.limit < 0) throw new UsageError('opts.limit cannot be less than 0', { hint: 'use --limit 0 to show every image' });
  if (opts.allNamespaces && workload !== undefined) {
    throw new UsageError('--all-namespaces cannot be combined with --workload', { hint: 'a workload ID names its namespace: <namespace>:<kind>/<name>' });
  }
  return { namespace: opts.namespace || undefined, allNamespaces: opts.allNamespaces, workload, limit: opts.limit, noHeaders: !opts.headers, format };
}

export async function runListImages(ctx: Context, opts: ListImagesOptions): Promise<void> {
  const query = { service: '<all>', namespace: '' };
  if (opts.workload !== undefined) query.service = parseWorkloadId(opts.workload, await workloadNamespace(ctx, opts.namespace));
  else if (!opts.allNamespaces) query.namespace = await workloadNamespace(ctx, opts.namespace);
  const backend = await ctx.backend();
  const images = { workload: query.service === '<all>' ? undefined : query.service, namespace: query.namespace };
  if (opts.format !== 'tab') {
    const full = ((await backend.listImages(images)) ?? []).sort(byId);
    const limited = full.length === 0 ? null : limitAvailable(full, opts.limit);
    ctx.io.stdout.write(opts.format === 'json' ? jsonDocument(limited) : await yamlDocument(limited));
    return;
  }
  // The table reads a few fields of each image record; a backend that can read just those
  // (the Flux v1 daemon's large answers) gives the same bytes.
  const sorted = ((await (backend.listImageTable ?? backend.listImages).call(backend, images)) ?? []).sort(byId);
  ctx.io.stdout.write(await renderTab(ctx.io, sorted, opts));
  if (sorted.length === 0 && ctx.io.stdoutTTY) {
    // On a terminal an empty table is easy to misread; pipes keep fluxctl's bare header.
    ctx.io.stderr.write(query.service !== '<all>' ? `No workload ${query.service} found.\n` : query.namespace === '' ? 'No workloads found.\n' : `No workloads found in namespace "${query.namespace}".\n`);
  }
}

const byId = (a: { ID: string }, b: { ID: string }): number => (a.ID < b.ID ? -1 : a.ID > b.ID ? 1 : 0);

function renderTab(io: IO, workloads: readonly ImageTableWorkload[], opts: ListImagesOptions): Promise<string> {
  const { rows, kinds } = imageRows(workloads, opts.limit);
  // Only the no-data message (in CREATED) is free text a narrow terminal may shorten.
  return renderTable(io, opts.noHeaders ? undefined : IMAGES_HEADER, rows, (_col, value, row) => paint(io, kinds[row], value), (col, _v, row) => col === 3 && kinds[row] === 'no-data');
}

function paint(io: IO, kind: ImageRowKind | undefined, value: string): string {
  switch (kind) {
    case 'current':
      return io.out.green(value);
    case 'unknown-current':
    case 'no-data':
      return io.out.yellow(value);
    case 'omitted':
      return io.out.dim(value);
    default:
      return value;
  }
}

/** pflag's int flags: strconv.ParseInt(s, 0, 64) (0x/0o/0b/0 prefixes, `_` separators), with its error text. */
export function parseGoInt(s: string): number {
  const fail = (why: string): Error => new Error(`strconv.ParseInt: parsing ${JSON.stringify(s)}: ${why}`);
  const negative = s.startsWith('-');
  const body = negative || s.startsWith('+') ? s.slice(1) : s;
  const prefix = /^0[box]./i.test(body) ? body.slice(0, 2).toLowerCase() : /^0./.test(body) ? '0' : '';
  const base = { '0b': 2, '0o': 8, '0x': 16, '0': 8, '': 10 }[prefix] ?? 10;
  const digits = body.slice(prefix.length);
  const valid = base === 16 ? /^[0-9a-f_]+$/i : base === 10 ? /^[0-9_]+$/ : base === 8 ? /^[0-7_]+$/ : /^[01_]+$/;
  // Go's underscoreOK: `_` only between digits, or between a base prefix and a digit.
  const underscores = !digits.includes('_') || (!/__|_$/.test(digits) && (!digits.startsWith('_') || prefix !== ''));
  if (digits === '' || !valid.test(digits) || !underscores) throw fail('invalid syntax');
  const clean = digits.replace(/_/g, '');
  const magnitude = clean === '' ? 0n : BigInt(base === 10 ? clean : `0${'box'[[2, 8, 16].indexOf(base)]}${clean}`);
  const value = negative ? -magnitude : magnitude;
  if (value > 9223372036854775807n || value < -9223372036854775808n) throw fail('value out of range');
  return Number(value);
}
