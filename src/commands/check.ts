import { Command } from 'commander';
import type { Backend, Diagnosis, Diagnostics } from '../backends/types.js';
import type { Context } from '../context.js';
import { CliError, QuietExit } from '../errors.js';
import { renderCheck } from '../output/checks.js';
import { jsonDocument, parseOutputFormat, type OutputFormat } from '../output/render.js';
import { reviewAccess } from './check/access.js';
import { apiServerCheck, kubeconfigCheck } from './check/cluster.js';
import { exitCodeOf, runChecks, type Check, type CheckResult } from './check/engine.js';

export interface CheckOptions {
  format: OutputFormat;
}

export function checkCommand(ctx: Context, run = runCheck): Command {
  return new Command('check')
    .description('Check, layer by layer, that fluxctl can reach and use Flux (v1 or v2)')
    .option('-o, --output-format <format>', 'Output format: tab (a line per check) or json (an array of {name, status, message, hint})', 'tab')
    .addHelpText(
      'after',
      '\nChecks, in order: kubeconfig, api-server, flux (which generation, and why), permissions,\ndaemon-api (Flux v1), git, sync. A check whose layer below failed is skipped.\nExit code: 0 when everything needed holds (warnings included), else the first failure\'s.\n\nExamples:\n  fluxctl check --k8s-fwd-ns flux\n  fluxctl check && fluxctl sync',
    )
    .action((opts: { outputFormat: string }) => run(ctx, { format: parseOutputFormat(opts.outputFormat, ['tab', 'json']) }));
}

export async function runCheck(ctx: Context, opts: CheckOptions): Promise<void> {
  const json = opts.format === 'json';
  const results = await runChecks(checks(ctx), ctx.signal, (r) => {
    if (!json) ctx.io.stdout.write(renderCheck(ctx.io, r));
  });
  if (json) ctx.io.stdout.write(jsonDocument(results.map(toJson)));
  const code = exitCodeOf(results);
  // The lines already say what failed; the exit code is what a CI gate needs.
  if (code !== 0) throw new QuietExit(code);
}

const toJson = (r: CheckResult): { name: string; status: string; message: string; hint: string | undefined; details: string[] | undefined; seconds: number } => ({
  name: r.name,
  status: r.status,
  message: r.message,
  hint: r.hint,
  details: r.details.length > 0 ? r.details : undefined,
  seconds: Math.round(r.ms) / 1000,
});

/** The layers in order; which ones follow `flux` depends on the generation it finds. */
async function* checks(ctx: Context): AsyncGenerator<Check> {
  yield kubeconfigCheck(ctx);
  yield apiServerCheck(ctx);
  let backend: Backend | undefined;
  yield {
    name: 'flux',
    needs: ['api-server'],
    run: async () => {
      backend = await ctx.backend();
      return backend.diagnostics().found();
    },
  };
  const d: Diagnostics | undefined = backend?.diagnostics();
  const step = (name: string, needs: string, run: (x: Diagnostics) => Promise<Diagnosis>): Check => ({
    name,
    needs: [needs],
    run: async () => {
      if (d === undefined) throw new CliError('Flux was not found');
      return run(d);
    },
  });
  yield step('permissions', 'flux', async (x) => {
    const rules = await x.permissions();
    if (rules.length === 0) return { status: 'ok', message: 'not needed: --url names the daemon' };
    return reviewAccess(await ctx.kube(), rules);
  });
  const api = d?.api?.bind(d);
  if (api !== undefined) yield step('daemon-api', 'flux', api);
  yield step('git', api !== undefined ? 'daemon-api' : 'flux', (x) => x.git());
  yield step('sync', 'git', (x) => x.sync());
}
