import { Command } from 'commander';
import type { Context } from '../context.js';
import { CliError, DaemonApiError } from '../errors.js';
import { jsonDocument, parseOutputFormat, yamlDocument, type OutputFormat } from '../output/render.js';
import { VERSION } from '../version.js';

export interface VersionOptions {
  /** Also ask the daemon (our addition); only then does the command connect. */
  server: boolean;
  format: OutputFormat;
}

export function versionCommand(ctx: Context): Command {
  return new Command('version')
    .description('Output the version of fluxctl')
    .option('--server', 'also print the version of the Flux daemon (connects, like other commands)', false)
    .option('-o, --output-format <format>', 'Output format: tab (`fluxctl version` alone prints just the version), json or yaml', 'tab')
    .addHelpText('after', '\nExamples:\n  fluxctl version\n  fluxctl version --server --k8s-fwd-ns flux\n  fluxctl version --server -o json')
    .action((opts: { server: boolean; outputFormat: string }) => runVersion(ctx, { server: opts.server, format: parseOutputFormat(opts.outputFormat) }));
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
  const daemon = await ctx.daemon();
  try {
    return await daemon.version();
  } catch (e) {
    // fluxctl never called /v11/version: the API's own 404 means a daemon too old to answer it
    // (a non-API 404, i.e. a wrong --url, already carries the transport's hint).
    if (e instanceof DaemonApiError && e.status === 404) {
      throw new CliError('the Flux daemon does not report its version (GET /v11/version: API endpoint not found)', {
        hint: "this fluxd predates the /v11 API: upgrade it (its image tag shows its version: kubectl get deployment -o wide in the daemon's namespace)",
        cause: e,
      });
    }
    throw e;
  }
}
