// What source-controller's clone of a GitRepository runs into: the auth Secret
// (gitrepository_controller.go getAuthOpts, fluxcd/pkg git/options.go), the host's verdict on
// the key or credentials, and the reference lookup, with the upstream error texts.
import type { Cluster } from '../kube/cluster.js';
import type { GenericObject } from '../kube/types.js';
import type { GitRepo, GitServer } from './git.js';
import { authorizedKey, knownHostsHost } from './ssh-keys.js';
import type { GitRepository } from './types.js';

export type Checkout = { repo: GitRepo; sha: string; revision: string } | { reason: 'AuthenticationFailed' | 'GitOperationFailed'; message: string };

const decode = (secret: GenericObject, key: string): string | undefined => {
  const data = secret.data as Record<string, string> | undefined;
  return data?.[key] === undefined ? undefined : Buffer.from(data[key]!, 'base64').toString();
};

export function checkout(cluster: Cluster, git: GitServer, obj: GitRepository): Checkout {
  const { url } = obj.spec;
  const ns = obj.metadata.namespace!;
  const secretName = obj.spec.secretRef?.name;
  let secret: GenericObject | undefined;
  if (secretName) {
    secret = cluster.get<GenericObject>('secrets', ns, secretName);
    if (!secret) return { reason: 'AuthenticationFailed', message: `failed to get secret '${ns}/${secretName}': secrets "${secretName}" not found` };
  }
  const scheme = url.startsWith('ssh://') ? 'ssh' : url.startsWith('https://') ? 'https' : 'http';
  const optionError = secret && scheme === 'ssh' ? sshOptionError(secret) : undefined;
  if (optionError) return { reason: 'AuthenticationFailed', message: `failed to configure authentication options: invalid 'ssh' auth option: ${optionError}` };
  const cloneError = (detail: string): Checkout => ({ reason: 'GitOperationFailed', message: `failed to checkout and determine revision: unable to clone '${url}': ${detail}` });
  const repo = git.find(url);
  if (!repo) return cloneError('repository not found');
  const denied = scheme === 'ssh' ? sshDenied(git, repo, secret) : httpsDenied(repo, secret);
  if (denied) return cloneError(denied);
  const resolved = repo.resolve(obj.spec.ref);
  if ('error' in resolved) return cloneError(resolved.error);
  return { repo, ...resolved };
}

function sshOptionError(secret: GenericObject): string | undefined {
  if (decode(secret, 'identity') === undefined) return `'identity' is required`;
  if (decode(secret, 'known_hosts') === undefined) return `'known_hosts' is required`;
  return undefined;
}

/** Why the SSH handshake fails, as golang.org/x/crypto/ssh words it; undefined when it succeeds. */
function sshDenied(git: GitServer, repo: GitRepo, secret: GenericObject | undefined): string | undefined {
  const methods = 'ssh: handshake failed: ssh: unable to authenticate, attempted methods';
  if (!secret) return `${methods} [none], no supported methods remain`;
  const host = knownHostsHost(repo.url);
  const known = decode(secret, 'known_hosts')!.split('\n').map((l) => l.trim().split(/\s+/));
  const hostKey = git.hostKey(repo.url);
  if (!known.some(([h, type, key]) => h === host && `${type} ${key}` === hostKey)) return 'ssh: handshake failed: knownhosts: key mismatch';
  let offered: string;
  try {
    offered = authorizedKey(decode(secret, 'identity')!);
  } catch {
    return 'ssh: handshake failed: ssh: no key found';
  }
  if (repo.deployKeys.size > 0 && !repo.deployKeys.has(offered)) return `${methods} [none publickey], no supported methods remain`;
  return undefined;
}

function httpsDenied(repo: GitRepo, secret: GenericObject | undefined): string | undefined {
  const want = repo.credentials;
  if (!want) return undefined;
  const ok = secret && decode(secret, 'username') === want.username && decode(secret, 'password') === want.password;
  return ok ? undefined : 'authentication required';
}
