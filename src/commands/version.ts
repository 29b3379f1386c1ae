import { Command } from 'commander';
import type { Context } from '../context.js';
import { jsonDocument, parseOutputFormat, yamlDocument, type OutputFormat } from '../output/render.js';
import { VERSION } from '../version.js';

export interface VersionOptions {
  /** Also ask the daemon (our addition); only then does the command connect. */
  server: boolean;
  format: OutputFormat;
}

export function versionCommand(ctx: Context, run = runVersion): Command {
  return new Command('version')
    .description('Output the version of fluxctl')
    .option('--server', 'also print the version of the Flux daemon (connects, like other commands)', false)
    .option('-o, --output-format <format>', 'Output format: tab (`fluxctl version` alone prints just the version), json or yaml', 'tab')
    .addHelpText('after', '\nExamples:\n  fluxctl version\n  fluxctl version --server --k8s-fwd-ns flux\n  fluxctl version --server -o json')
    .action((opts: { server: boolean; outputFormat: string }) => run(ctx, { server: opts.server, format: parseOutputFormat(opts.outputFormat) }));
}

export async function runVersion(ctx: Context, opts: VersionOptions): Promise<void> {
  const out = ctx.io.stdout;
  // Ask the daemon first, so a failure leaves no half-written output.
  const server = opts.server ? await serverVersion(ctx) : undefined;
  if (opts.format === 'tab') {
    // Without --server this is fluxctl's output byte for byte; with it, `key: value` lines for awk.
    out.write(server === undefined ? `${VERSION}\n` : `client: ${VERSION}\nserver: ${server}\n`);
    return;
  }
  const doc: { client: string; server?: string } = { client: VERSION, server };
  out.write(opts.format === 'json' ? jsonDocument(doc) : await yamlDocument(doc));
}

async function serverVersion(ctx: Context): Promise<string> {
  return (await ctx.backend()).serverVersion();
}
