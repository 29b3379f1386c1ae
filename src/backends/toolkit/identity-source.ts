import { CliError } from '../../errors.js';
import { ForbiddenError, KubeApiError } from '../../kubernetes/api.js';
import type { GitRepository } from './decode-flux.js';
import { obj, str } from './decode.js';
import { decodeDeploySecret, describeAuth, urlScheme, type DeploySecret } from './identity-secret.js';
import { Session } from './session.js';

/**
 * The Secret named by the GitRepository's spec.secretRef (one GET). A 403 keeps the API
 * server's message, which names the verb and resource, and says why `view` is not enough.
 */
export async function readDeploySecret(s: Session, repo: GitRepository): Promise<DeploySecret> {
  const { namespace } = repo.metadata;
  const name = repo.spec.secretRefName;
  const what = `Secret ${namespace}/${name}`;
  let raw: unknown;
  try {
    raw = await s.tk.api.request('GET', await s.tk.path('Secret', namespace, name));
  } catch (e) {
    if (e instanceof ForbiddenError) {
      throw new ForbiddenError(e.message, {
        cause: e,
        hint: `reading the deploy key needs "get" on secrets in namespace "${namespace}": the built-in view role (and Flux's flux-view) excludes Secrets, so use edit or a Role granting get on the secret "${name}"`,
      });
    }
    if (e instanceof KubeApiError && e.status === 404) {
      throw new CliError(`${what} not found: ${Session.describe('GitRepository', repo)} names it in spec.secretRef`, {
        cause: e,
        hint: `source-controller cannot fetch without it either; create it with: flux create secret git ${name} --url=<ssh://… URL> --namespace ${namespace}`,
      });
    }
    throw e;
  }
  return decodeDeploySecret(raw, what);
}

/**
 * "GitRepository ns/name has no SSH deploy key: it uses an https:// URL with HTTPS basic auth
 * (…)". Without a secretRef the object is read again for spec.provider (not in the decoded
 * view), so this path too stays at two requests.
 */
export async function noDeployKey(s: Session, repo: GitRepository, secret: DeploySecret | undefined, purpose = ''): Promise<CliError> {
  const provider = secret === undefined ? await providerOf(s, repo) : '';
  const how = describeAuth(urlScheme(repo.spec.url), provider, secret);
  const name = repo.spec.secretRefName || repo.metadata.name;
  return new CliError(`${Session.describe('GitRepository', repo)} has no SSH deploy key${purpose}: it uses ${how}`, {
    hint: `a deploy key needs an ssh:// URL and a Secret with identity and known_hosts: flux create secret git ${name} --url=ssh://… --namespace ${repo.metadata.namespace} makes one (then point spec.secretRef at it)`,
  });
}

async function providerOf(s: Session, repo: GitRepository): Promise<string> {
  const what = Session.describe('GitRepository', repo);
  const raw = obj(await s.tk.get('GitRepository', repo.metadata.namespace, repo.metadata.name), what);
  return str(obj(raw.spec, `${what}.spec`).provider, `${what}.spec.provider`);
}
