import { Command, Option } from 'commander';
import type { Context } from '../context.js';
import type { PublicSSHKey } from '../model/identity.js';
import { UsageError } from '../errors.js';
import { jsonDocument, parseOutputFormat, yamlDocument, type OutputFormat } from '../output/render.js';

export interface IdentityOptions {
  regenerate: boolean;
  fingerprint: boolean;
  visual: boolean;
  hash: 'md5' | 'sha256';
  format: OutputFormat;
}

export function identityCommand(ctx: Context, run = runIdentity): Command {
  return new Command('identity')
    .description('Display SSH public key')
    .option('-r, --regenerate', 'Generate a new identity', false)
    .option('-l, --fingerprint', 'Show fingerprint of public key', false)
    .option('-v, --visual', 'Show ASCII art representation with fingerprint (implies -l)', false)
    .addOption(new Option('-E, --fingerprint-hash <alg>', 'fingerprint hash to show with -l/-v: md5 (as fluxctl) or sha256 (as GitHub shows)').default('md5'))
    .option('-o, --output-format <format>', 'Output format: tab (the key, as fluxctl) or json/yaml (key and both fingerprints)', 'tab')
    .addHelpText('after', '\nExamples:\n  fluxctl identity --k8s-fwd-ns flux\n  fluxctl identity --k8s-fwd-ns flux -l -E sha256')
    .action((opts: { regenerate: boolean; fingerprint: boolean; visual: boolean; fingerprintHash: string; outputFormat: string }, cmd: Command) => {
      const hash = opts.fingerprintHash;
      if (hash !== 'md5' && hash !== 'sha256') {
        throw new UsageError(`invalid fingerprint hash ${JSON.stringify(hash)}`, { hint: 'use md5 or sha256' });
      }
      // -E alone would be silently ignored: the key is printed without any fingerprint.
      if (cmd.getOptionValueSource('fingerprintHash') === 'cli' && !opts.fingerprint && !opts.visual) {
        throw new UsageError('-E/--fingerprint-hash goes with -l/--fingerprint or -v/--visual', { hint: `e.g. fluxctl identity -l -E ${hash}` });
      }
      return run(ctx, { ...opts, hash, format: parseOutputFormat(opts.outputFormat) });
    });
}

export async function runIdentity(ctx: Context, opts: IdentityOptions): Promise<void> {
  const backend = await ctx.backend();
  const { key, warnings } = await backend.identity(opts.regenerate);
  ctx.io.stdout.write(await render(key, opts));
  // Warnings go to stderr in every format: after -r they say what to do with the new key.
  const narrator = ctx.narrator(opts.format !== 'tab');
  for (const w of warnings) narrator.warn(w);
}

async function render(key: PublicSSHKey, opts: IdentityOptions): Promise<string> {
  if (opts.format === 'json') return jsonDocument(key);
  if (opts.format === 'yaml') return yamlDocument(key);
  if (!opts.fingerprint && !opts.visual) return key.key;
  const fp = key.fingerprints?.get(opts.hash);
  const hash = fp === undefined ? '' : opts.hash === 'sha256' ? `SHA256:${fp.hash}` : fp.hash;
  return `${hash}\n${opts.visual ? (fp?.randomart ?? '') : ''}`;
}
