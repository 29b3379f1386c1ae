import { CliError } from '../../errors.js';
import { ForbiddenError } from '../../kubernetes/api.js';
import type { IdentityResult } from '../types.js';
import { isConflict } from './client.js';
import type { GitRepository } from './decode-flux.js';
import { toPublicSSHKey } from './fingerprint.js';
import { currentKey } from './identity-key.js';
import { IDENTITY, IDENTITY_PUB, KNOWN_HOSTS, PASSWORD, USERNAME, urlScheme, type DeploySecret } from './identity-secret.js';
import { noDeployKey } from './identity-source.js';
import { keyUsers, type KeyUsers } from './identity-users.js';
import { FLUX_DEFAULT_KEY_SPEC, generateDeployKey, keySpecOf, type DeployKeyPair, type KeySpec } from './keygen.js';
import { KUSTOMIZE_NAME, KUSTOMIZE_NAMESPACE } from './ownership.js';
import { Session } from './session.js';
import { SshKeyError } from './ssh-key.js';

/**
 * `identity -r` on Flux v2. The flux CLI has no rotate command (its documented way is to delete
 * the Secret and run `flux create secret git`), so this replaces the key in place: a new pair of
 * the same algorithm and size, written with one merge patch guarded by the Secret's
 * resourceVersion. It refuses, changing nothing, when the edit could not last or work.
 */
export async function regenerate(s: Session, repo: GitRepository, secret: DeploySecret | undefined): Promise<IdentityResult> {
  if (urlScheme(repo.spec.url) !== 'ssh' || secret === undefined) throw await noDeployKey(s, repo, secret, ' to regenerate');
  refuseUnsafe(repo, secret);
  const { spec, notes } = newKeySpec(secret, s.tk.debug);
  // Read everything before writing: a failure after the patch would leave the user unsure.
  const users = await keyUsers(s.tk, repo);
  const pair = await generateDeployKey(spec);
  await writeKey(s, secret, pair);
  return { key: toPublicSSHKey(pair.publicKey), warnings: [...notes, ...afterRotation(repo, secret, users)] };
}

/** Cases where a new key in the Secret would be reverted, or could never authenticate. */
function refuseUnsafe(repo: GitRepository, secret: DeploySecret): void {
  const { namespace, name } = secret.metadata;
  const what = `Secret ${namespace}/${name}`;
  const recreate = `flux create secret git ${name} --url=${repo.spec.url} --namespace ${namespace}`;
  const owner = secret.metadata.labels?.get(KUSTOMIZE_NAME);
  if (owner !== undefined && owner !== '') {
    const ownerNs = secret.metadata.labels?.get(KUSTOMIZE_NAMESPACE) || namespace;
    throw new CliError(`${what} is applied from git by Kustomization ${ownerNs}/${owner}: kustomize-controller would put the old key back at its next reconciliation, so nothing was changed`, {
      hint: `rotate the key in git: ${recreate} --export > secret.yaml, encrypt it as the repository does (e.g. sops --encrypt --in-place secret.yaml), commit it, and add its identity.pub to the git host`,
    });
  }
  if (secret.knownHosts === undefined || secret.knownHosts.trim() === '') {
    throw new CliError(`${what} has no ${KNOWN_HOSTS}: source-controller needs it to trust the git host, and fluxctl cannot scan the host's key, so nothing was changed`, {
      hint: `recreate the Secret with: ${recreate} (it scans the host key and prints a new deploy key)`,
    });
  }
  if (secret.immutable) {
    throw new CliError(`${what} is immutable, so its key cannot be replaced in place; nothing was changed`, {
      hint: `delete it and recreate it with: kubectl delete secret ${name} --namespace ${namespace} && ${recreate}`,
    });
  }
}

/** The current key's algorithm and size; Flux's default when there is none Flux could make. */
function newKeySpec(secret: DeploySecret, debug: (message: string) => void): { spec: KeySpec; notes: string[] } {
  const fallback = (why: string): { spec: KeySpec; notes: string[] } => ({ spec: FLUX_DEFAULT_KEY_SPEC, notes: [`${why}; the new key is ECDSA P-384, Flux's default`] });
  let current;
  try {
    current = currentKey(secret, debug);
  } catch (e) {
    if (!(e instanceof SshKeyError)) throw e;
    return fallback(`the current key cannot be read (${e.message})`);
  }
  if (current === undefined) return fallback(`Secret ${secret.metadata.namespace}/${secret.metadata.name} held no key`);
  if (current.key.type === 'ssh-dss') return fallback('the current key is DSA, which Flux cannot generate');
  return { spec: keySpecOf(current.key), notes: [] };
}

/**
 * One merge patch: the new `identity` (PKCS#8 PEM) and `identity.pub`, guarded by the
 * resourceVersion read, so a concurrent edit fails with 409 instead of being lost. A `password`
 * is the old key's passphrase unless a `username` goes with it (HTTPS basic auth): the new key
 * is not encrypted, so the passphrase is removed. Every other key is left alone.
 */
async function writeKey(s: Session, secret: DeploySecret, pair: DeployKeyPair): Promise<void> {
  const { namespace, name, resourceVersion } = secret.metadata;
  const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');
  const data: Record<string, string | null> = { [IDENTITY]: b64(pair.privateKeyPem()), [IDENTITY_PUB]: b64(pair.publicKeyLine) };
  if (secret.keys.includes(PASSWORD) && !secret.keys.includes(USERNAME)) data[PASSWORD] = null;
  try {
    await s.tk.patch('Secret', namespace, name, { metadata: { resourceVersion }, data });
  } catch (e) {
    if (isConflict(e)) {
      throw new CliError(`Secret ${namespace}/${name} changed while the new key was made (409 Conflict), so nothing was changed`, { cause: e, hint: 'run fluxctl identity -r again' });
    }
    if (e instanceof ForbiddenError) {
      throw new ForbiddenError(e.message, { cause: e, hint: `identity -r needs "patch" on secrets in namespace "${namespace}" (the built-in edit role grants it); nothing was changed` });
    }
    throw e;
  }
}

/** What the user must do now, and who else the change affects. */
function afterRotation(repo: GitRepository, secret: DeploySecret, users: KeyUsers): string[] {
  const access = users.pushers.length > 0 ? `with write access (${users.pushers.join(', ')} pushes with it)` : '(read-only is enough)';
  const interval = repo.spec.interval === '' ? '' : ` (within ${repo.spec.interval})`;
  return [
    `the old key no longer works: add the new one to the git host of ${repo.spec.url} as a deploy key ${access}, and remove the old one`,
    ...users.repositories.map((r) => `${r} also uses Secret ${secret.metadata.namespace}/${secret.metadata.name}: it switches to the new key too`),
    `${Session.describe('GitRepository', repo)} fetches with the new key from its next reconciliation${interval} and fails until the host accepts it: run fluxctl sync once it does`,
  ];
}
