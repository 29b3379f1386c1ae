import fs from 'node:fs';
import path from 'node:path';
import { UnreachableError } from '../errors.js';
import type { ExecConfig } from './exec-credential.js';

export interface KubeconfigRequest {
  /** --kubeconfig: exactly one file, never merged. */
  file?: string;
  /** --context: replaces current-context. */
  context?: string;
  env: Readonly<Record<string, string | undefined>>;
  home: string;
  /** The service account folder mounted in pods (tests point it elsewhere). */
  serviceAccountDir?: string;
}

/** A kubeconfig cluster, with file paths already made absolute. */
export interface KubeCluster {
  name: string;
  server: string;
  caData?: string;
  caFile?: string;
  insecure: boolean;
  tlsServerName?: string;
  proxyUrl?: string;
}

/** A kubeconfig user (its credentials), with file paths already made absolute. */
export interface KubeUser {
  name: string;
  token?: string;
  tokenFile?: string;
  certData?: string;
  certFile?: string;
  keyData?: string;
  keyFile?: string;
  username?: string;
  password?: string;
  exec?: ExecConfig;
  /** oidc, gcp, azure: handled by client-node, loaded only for such users. */
  authProvider?: unknown;
  impersonate?: string;
}

export interface KubeContext {
  name: string;
  cluster: string;
  user: string;
  namespace?: string;
}

export interface LoadedKubeconfig {
  contextName: string;
  /** The context's namespace, or in-cluster POD_NAMESPACE; undefined when unset. */
  namespace: string | undefined;
  server: string;
  cluster: KubeCluster;
  user: KubeUser;
  /** Where it came from, for messages: file paths or "in-cluster". */
  source: string;
}

const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** The files kubectl would read, in precedence order (KUBECONFIG split, deduplicated). */
export function kubeconfigCandidates(req: KubeconfigRequest): string[] {
  if (req.file !== undefined && req.file !== '') return [req.file];
  const list = req.env.KUBECONFIG ?? '';
  if (list !== '') return [...new Set(list.split(path.delimiter).filter((p) => p !== ''))];
  return [path.join(req.home, '.kube', 'config')];
}

interface FileConfig {
  clusters: KubeCluster[];
  users: KubeUser[];
  contexts: KubeContext[];
  currentContext: string;
}

type Raw = Record<string, unknown>;
const obj = (v: unknown): Raw => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Raw) : {});
const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const list = (v: unknown): Raw[] => (Array.isArray(v) ? v.map(obj) : []);

/** Parses one file's entries, naming the first invalid one as client-node and kubectl do. */
function parseEntries(doc: Raw, dir: string): FileConfig {
  // kubectl resolves relative paths against the file that names them (not the cwd).
  const abs = (p: string | undefined): string | undefined => (p === undefined ? undefined : path.resolve(dir, p));
  const clusters = list(doc.clusters).map((e, i): KubeCluster => {
    const c = obj(e.cluster);
    const name = text(e.name);
    const server = text(c.server);
    if (name === undefined) throw new Error(`clusters[${i}].name is missing`);
    if (server === undefined) throw new Error(`clusters[${i}].cluster.server is missing`);
    return {
      name,
      server: server.replace(/\/+$/, ''),
      caData: text(c['certificate-authority-data']),
      caFile: abs(text(c['certificate-authority'])),
      insecure: c['insecure-skip-tls-verify'] === true,
      tlsServerName: text(c['tls-server-name']),
      proxyUrl: text(c['proxy-url']),
    };
  });
  const users = list(doc.users).map((e, i): KubeUser => {
    const u = obj(e.user);
    const name = text(e.name);
    if (name === undefined) throw new Error(`users[${i}].name is missing`);
    const exec = u.exec === undefined || u.exec === null ? undefined : (obj(u.exec) as ExecConfig);
    // A command with a path separator is relative to the kubeconfig; a bare name is looked up in PATH.
    if (exec?.command !== undefined && exec.command.includes('/')) exec.command = path.resolve(dir, exec.command);
    return {
      name,
      token: text(u.token),
      tokenFile: abs(text(u['token-file'])),
      certData: text(u['client-certificate-data']),
      certFile: abs(text(u['client-certificate'])),
      keyData: text(u['client-key-data']),
      keyFile: abs(text(u['client-key'])),
      username: text(u.username),
      password: text(u.password),
      exec,
      authProvider: u['auth-provider'] ?? undefined,
      impersonate: text(u.as),
    };
  });
  const contexts = list(doc.contexts).map((e, i): KubeContext => {
    const c = obj(e.context);
    const name = text(e.name);
    if (name === undefined) throw new Error(`contexts[${i}].name is missing`);
    return { name, cluster: text(c.cluster) ?? '', user: text(c.user) ?? '', namespace: text(c.namespace) };
  });
  return { clusters, users, contexts, currentContext: text(doc['current-context']) ?? '' };
}

async function readOne(file: string): Promise<FileConfig> {
  let content: string;
  try {
    content = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new UnreachableError(`cannot read kubeconfig ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, {
      hint: 'check the path given to --kubeconfig or KUBECONFIG',
    });
  }
  const { load } = await import('js-yaml');
  try {
    return parseEntries(obj(load(content)), path.dirname(path.resolve(file)));
  } catch (e) {
    const reason = (e as Error).message.split('\n')[0] ?? '';
    throw new UnreachableError(`kubeconfig ${file} is not valid: ${reason}`, {
      hint: 'fix the file, or point KUBECONFIG/--kubeconfig at a working one (kubectl config view checks it)',
    });
  }
}

/** kubectl's merge: for each name the first file wins; current-context from the first file that sets it. */
function merge(configs: FileConfig[]): FileConfig {
  const firstByName = <T extends { name: string }>(lists: T[][]): T[] => {
    const seen = new Map<string, T>();
    for (const entries of lists) for (const item of entries) if (!seen.has(item.name)) seen.set(item.name, item);
    return [...seen.values()];
  };
  return {
    clusters: firstByName(configs.map((c) => c.clusters)),
    users: firstByName(configs.map((c) => c.users)),
    contexts: firstByName(configs.map((c) => c.contexts)),
    currentContext: configs.find((c) => c.currentContext)?.currentContext ?? '',
  };
}

/** The pod's service account, used (as by kubectl) only when no kubeconfig file exists. */
function inClusterConfig(req: KubeconfigRequest): LoadedKubeconfig | undefined {
  const dir = req.serviceAccountDir ?? SA_DIR;
  const { KUBERNETES_SERVICE_HOST: host, KUBERNETES_SERVICE_PORT: port } = req.env;
  if (!host || !port || !fs.existsSync(`${dir}/token`)) return undefined;
  const server = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const nsFile = `${dir}/namespace`;
  const namespace = req.env.POD_NAMESPACE || (fs.existsSync(nsFile) ? fs.readFileSync(nsFile, 'utf8').trim() : undefined);
  const name = 'in-cluster';
  return {
    contextName: name,
    namespace: namespace || undefined,
    server,
    cluster: { name, server, caFile: `${dir}/ca.crt`, insecure: false },
    user: { name, tokenFile: `${dir}/token` },
    source: 'in-cluster service account',
  };
}

/**
 * The current context's namespace from the merged files, without requiring that its cluster
 * or user resolve (clientcmd's raw config, as fluxctl install reads it). Undefined when unset.
 */
export async function rawContextNamespace(req: KubeconfigRequest): Promise<string | undefined> {
  const existing = kubeconfigCandidates(req).filter((f) => fs.existsSync(f));
  const merged = merge(await Promise.all(existing.map(readOne)));
  return merged.contexts.find((c) => c.name === merged.currentContext)?.namespace;
}

/** Loads kubeconfig the way kubectl does (client-go tools/clientcmd: loader.go, client_config.go) and selects the context. */
export async function loadKubeconfig(req: KubeconfigRequest): Promise<LoadedKubeconfig> {
  const candidates = kubeconfigCandidates(req);
  const explicit = req.file !== undefined && req.file !== '';
  const existing = explicit ? candidates : candidates.filter((f) => fs.existsSync(f));
  if (existing.length === 0) {
    const inCluster = inClusterConfig(req);
    if (inCluster !== undefined) return inCluster;
    throw new UnreachableError(`no kubeconfig found (looked at ${candidates.join(', ')})`, {
      hint: 'set KUBECONFIG or --kubeconfig, or pass --url to reach the daemon directly',
    });
  }
  const merged = merge(await Promise.all(existing.map(readOne)));
  const source = existing.join(path.delimiter);
  const contextName = req.context !== undefined && req.context !== '' ? req.context : merged.currentContext;
  const names = merged.contexts.map((c) => c.name);
  const available = names.length > 0 ? `available contexts: ${names.join(', ')}` : 'the kubeconfig defines no contexts';
  if (contextName === '') {
    throw new UnreachableError(`kubeconfig ${source} has no current-context`, { hint: `pass --context (${available})` });
  }
  const context = merged.contexts.find((c) => c.name === contextName);
  if (context === undefined) {
    throw new UnreachableError(`context "${contextName}" not found in kubeconfig ${source}`, { hint: available });
  }
  const cluster = merged.clusters.find((c) => c.name === context.cluster);
  if (cluster === undefined) {
    throw new UnreachableError(`context "${contextName}" refers to cluster "${context.cluster}", which kubeconfig ${source} does not define`);
  }
  // A context without a (known) user connects anonymously, as with kubectl.
  const user = merged.users.find((u) => u.name === context.user) ?? { name: context.user };
  return { contextName, namespace: context.namespace, server: cluster.server, cluster, user, source };
}
