import { bool, decodeMeta, obj, str, type ObjectMeta } from './decode.js';

/*
 * The Secret a GitRepository authenticates with (spec.secretRef), reduced to what identity
 * needs. A GET returns every data key, the private key included, so only the deploy key fields
 * are decoded and the rest is kept as key names: messages may name keys, never show values.
 */

/** The data keys source-controller reads for SSH (fluxcd/pkg runtime/secrets). */
export const IDENTITY = 'identity';
export const IDENTITY_PUB = 'identity.pub';
export const KNOWN_HOSTS = 'known_hosts';
export const PASSWORD = 'password';
export const USERNAME = 'username';

export interface DeploySecret {
  metadata: ObjectMeta;
  immutable: boolean;
  /** The data key names, sorted. */
  keys: string[];
  /** Decoded texts of the SSH keys, undefined when absent. */
  identityPub: string | undefined;
  identity: string | undefined;
  /** The passphrase of an encrypted `identity` (or, next to `username`, an HTTPS password). */
  password: string | undefined;
  knownHosts: string | undefined;
}

export function decodeDeploySecret(v: unknown, path: string): DeploySecret {
  const o = obj(v, path);
  const data = obj(o.data, `${path}.data`);
  const text = (key: string): string | undefined => {
    const value = data[key];
    if (value === undefined || value === null) return undefined;
    return Buffer.from(str(value, `${path}.data.${key}`), 'base64').toString('utf8');
  };
  return {
    metadata: decodeMeta(o.metadata, path),
    immutable: bool(o.immutable, `${path}.immutable`),
    keys: Object.keys(data).sort(),
    identityPub: text(IDENTITY_PUB),
    identity: text(IDENTITY),
    password: text(PASSWORD),
    knownHosts: text(KNOWN_HOSTS),
  };
}

/** `ssh`, `https` or `http` (the schemes the GitRepository CRD allows), else the text before `:`. */
export function urlScheme(url: string): string {
  const at = url.indexOf('://');
  return at < 0 ? '' : url.slice(0, at).toLowerCase();
}

/**
 * How a repository without a usable SSH deploy key authenticates, in words, from the URL
 * scheme, the provider and the Secret's key names (fluxcd/pkg runtime/secrets,
 * source-controller getAuthOpts). Never quotes a value: the URL may carry credentials, so only
 * its scheme shows.
 */
export function describeAuth(scheme: string, provider: string, secret: DeploySecret | undefined): string {
  const over = scheme === '' ? 'a URL without a scheme' : `an ${scheme}:// URL`;
  if (provider !== '' && provider !== 'generic') return `${over} with ${providerAuth(provider)} (spec.provider: ${provider})`;
  if (secret === undefined) return `${over} with no credentials (no spec.secretRef)`;
  const from = `Secret ${secret.metadata.namespace}/${secret.metadata.name}`;
  const keys = secret.keys.length === 0 ? 'it has no data keys' : `its keys: ${secret.keys.join(', ')}`;
  if (scheme === 'ssh') return `${over} and ${from}, which has no '${IDENTITY}' (${keys})`;
  const has = (key: string): boolean => secret.keys.includes(key);
  if (has('githubAppID')) return `${over} with GitHub App credentials (githubAppID… in ${from})`;
  if (has('bearerToken')) return `${over} with an HTTPS bearer token (bearerToken in ${from})`;
  if (has(USERNAME) || has(PASSWORD)) return `${over} with HTTPS basic auth (username/password in ${from})`;
  if (has('tls.crt') || has('certFile')) return `${over} with a TLS client certificate (tls.crt in ${from})`;
  if (has(IDENTITY) || has(IDENTITY_PUB)) return `${over}, over which source-controller does not use the SSH key in ${from}`;
  return `${over} and ${from}, which holds no credentials source-controller uses (${keys})`;
}

function providerAuth(provider: string): string {
  if (provider === 'azure') return 'Azure workload identity';
  if (provider === 'github') return 'GitHub App credentials';
  return `the ${provider} provider's credentials`;
}
