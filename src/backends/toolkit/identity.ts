import type { IdentityResult } from '../types.js';
import { fingerprints } from './fingerprint.js';
import { currentKey } from './identity-key.js';
import { regenerate } from './identity-regenerate.js';
import { urlScheme } from './identity-secret.js';
import { noDeployKey, readDeploySecret } from './identity-source.js';
import { Session } from './session.js';

/**
 * `fluxctl identity` on Flux v2: the deploy key of the root GitRepository, i.e. the public key
 * in the Secret its spec.secretRef names (what `flux bootstrap` wrote as `identity.pub`). After
 * discovery that is two requests, the GitRepository and the Secret; the fingerprints and
 * randomart are computed here, as ssh-keygen does.
 */
export async function identity(s: Session, regenerateKey: boolean): Promise<IdentityResult> {
  const repo = await s.root();
  const secret = repo.spec.secretRefName === '' ? undefined : await readDeploySecret(s, repo);
  if (regenerateKey) return regenerate(s, repo, secret);
  const current = secret === undefined ? undefined : currentKey(secret, s.tk.debug);
  if (current === undefined) throw await noDeployKey(s, repo, secret);
  const warnings = [...current.warnings];
  const scheme = urlScheme(repo.spec.url);
  if (scheme !== 'ssh') {
    warnings.push(`${Session.describe('GitRepository', repo)} uses an ${scheme}:// URL, so source-controller does not use this SSH key`);
  }
  return { key: { key: `${current.line}\n`, fingerprints: fingerprints(current.key) }, warnings };
}
