import { Command } from 'commander';
import type { Context } from '../context.js';
import { VERSION } from '../version.js';

export function versionCommand(ctx: Context): Command {
  return new Command('version')
    .description('Output the version of fluxctl')
    .addHelpText('after', '\nExample:\n  fluxctl version')
    .action(() => {
      ctx.io.stdout.write(`${VERSION}\n`);
    });
}
