import { execFile } from 'node:child_process';
import type { UpdateCause } from '../../daemon/client.js';

type Env = Readonly<Record<string, string | undefined>>;

function gitConfig(key: string, signal: AbortSignal, env: Env | undefined): Promise<string> {
  return new Promise((resolve) => {
    execFile('git', ['config', '--get', '--null', key], { signal, timeout: 5000, env }, (err, stdout) => {
      resolve(err ? '' : stdout.replace(/\0/g, ''));
    });
  });
}

/**
 * The cause fluxctl sends with updates: --message, and --user or else git's user.name and
 * user.email as `Name <email>` (either alone when only one is set). Git is asked only when
 * --user is absent, and any failure just means an empty user. Pass ctx.env so git sees the
 * run's environment (HOME, GIT_CONFIG_*), not the process's.
 */
export async function resolveCause(opts: { message?: string; user?: string }, signal: AbortSignal, env?: Env): Promise<UpdateCause> {
  let user = opts.user;
  if (user === undefined) {
    const [name, email] = await Promise.all([gitConfig('user.name', signal, env), gitConfig('user.email', signal, env)]);
    user = name && email ? `${name} <${email}>` : name || email;
  }
  return { Message: opts.message ?? '', User: user };
}
