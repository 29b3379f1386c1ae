import fs from 'node:fs';
import type http from 'node:http';
import type https from 'node:https';
import { UnreachableError } from '../errors.js';
import type { KubeCluster, KubeUser, LoadedKubeconfig } from './kubeconfig.js';

/** What every request to the API server carries: TLS material and auth headers. */
export interface TlsOptions {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  rejectUnauthorized?: boolean;
  servername?: string;
  headers: Record<string, string>;
}

export interface Credentials {
  tls: TlsOptions;
  /** Set only for proxied clusters: client-node's agent speaks the proxy protocol. */
  agent?: http.Agent;
}

function read(file: string, what: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (e) {
    throw new UnreachableError(`cannot read the ${what} ${file} named in the kubeconfig: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

const material = (data: string | undefined, file: string | undefined, what: string): Buffer | undefined =>
  data !== undefined ? Buffer.from(data, 'base64') : file !== undefined ? read(file, what) : undefined;

/**
 * The common kubeconfig credentials (CA, client certificate, token or token-file, basic auth,
 * impersonation, exec plugins) are applied here; only auth providers (oidc, gcp, azure) and
 * proxies load client-node, which knows those. Loading client-node costs ~50 ms per command.
 */
export async function resolveCredentials(loaded: LoadedKubeconfig, options: { signal: AbortSignal; env: Readonly<Record<string, string | undefined>> }): Promise<Credentials> {
  const { cluster, user } = loaded;
  // Loaded only for an exec user: node:child_process brings net's siblings and dgram with it.
  const exec = user.exec ? await (await import('./exec-credential.js')).runExecPlugin(user.exec, options) : undefined;
  const effective: KubeUser = exec ? { ...user, exec: undefined, token: exec.token, certData: exec.certData, keyData: exec.keyData, certFile: undefined, keyFile: undefined } : user;
  if (effective.authProvider !== undefined || cluster.proxyUrl !== undefined) return viaClientNode(cluster, effective);
  const headers: Record<string, string> = {};
  const token = effective.token ?? (effective.tokenFile !== undefined ? read(effective.tokenFile, 'token file').toString('utf8').trim() : undefined);
  if (token) headers.Authorization = `Bearer ${token}`;
  else if (effective.username !== undefined) headers.Authorization = `Basic ${Buffer.from(`${effective.username}:${effective.password ?? ''}`).toString('base64')}`;
  if (effective.impersonate !== undefined) headers['Impersonate-User'] = effective.impersonate;
  return {
    tls: {
      ca: material(cluster.caData, cluster.caFile, 'certificate authority'),
      cert: material(effective.certData, effective.certFile, 'client certificate'),
      key: material(effective.keyData, effective.keyFile, 'client key'),
      rejectUnauthorized: cluster.insecure ? false : undefined,
      servername: cluster.tlsServerName,
      headers,
    },
  };
}

async function viaClientNode(cluster: KubeCluster, user: KubeUser): Promise<Credentials> {
  const { KubeConfig } = await import('./k8s.js');
  const kc = new KubeConfig();
  const name = 'fluxctl';
  kc.loadFromOptions({
    clusters: [{ name, server: cluster.server, caData: cluster.caData, caFile: cluster.caFile, skipTLSVerify: cluster.insecure, tlsServerName: cluster.tlsServerName, proxyUrl: cluster.proxyUrl }],
    users: [{ name, token: user.token, certData: user.certData, certFile: user.certFile, keyData: user.keyData, keyFile: user.keyFile, username: user.username, password: user.password, authProvider: user.authProvider, impersonateUser: user.impersonate }],
    contexts: [{ name, cluster: name, user: name }],
    currentContext: name,
  });
  const raw: https.RequestOptions & { headers?: Record<string, string>; auth?: string } = {};
  await kc.applyToHTTPSOptions(raw);
  const headers: Record<string, string> = { ...(raw.headers ?? {}) };
  if (raw.auth !== undefined) headers.Authorization = `Basic ${Buffer.from(raw.auth).toString('base64')}`;
  return {
    tls: { ca: raw.ca as Buffer | undefined, cert: raw.cert as Buffer | undefined, key: raw.key as Buffer | undefined, rejectUnauthorized: raw.rejectUnauthorized, servername: raw.servername, headers },
    agent: cluster.proxyUrl !== undefined ? (raw.agent as http.Agent) : undefined,
  };
}
