import fs from 'node:fs';
import path from 'node:path';
import { load as loadYaml, dump as dumpYaml } from 'js-yaml';
import { UnreachableError } from '../errors.js';
import type { Cluster, Context, KubeConfig, User } from './k8s.js';

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

export interface LoadedKubeconfig {
  kc: KubeConfig;
  contextName: string;
  /** The context's namespace, or in-cluster POD_NAMESPACE; undefined when unset. */
  namespace: string | undefined;
  server: string;
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
  clusters: Cluster[];
  users: User[];
  contexts: Context[];
  currentContext: string;
}

async function readOne(file: string, K: typeof KubeConfig): Promise<FileConfig> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new UnreachableError(`cannot read kubeconfig ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, {
      hint: 'check the path given to --kubeconfig or KUBECONFIG',
    });
  }
  const dir = path.dirname(path.resolve(file));
  const kc = new K();
  try {
    kc.loadFromString(inlineTokenFiles(text, dir));
  } catch (e) {
    const reason = (e as Error).message.split('\n')[0] ?? '';
    throw new UnreachableError(`kubeconfig ${file} is not valid: ${reason}`, {
      hint: 'fix the file, or point KUBECONFIG/--kubeconfig at a working one (kubectl config view checks it)',
    });
  }
  kc.makePathsAbsolute(dir);
  return { clusters: kc.clusters, users: kc.users, contexts: kc.contexts, currentContext: kc.currentContext };
}

/**
 * client-node reads `token-file` relative to the process's cwd and keeps its trailing newline
 * (which breaks the header); kubectl resolves it next to the kubeconfig and trims it.
 */
function inlineTokenFiles(text: string, dir: string): string {
  if (!text.includes('token-file')) return text;
  const doc = loadYaml(text) as { users?: Array<{ user?: Record<string, unknown> }> } | null;
  for (const entry of doc?.users ?? []) {
    const tokenFile = entry.user?.['token-file'];
    if (entry.user === undefined || typeof tokenFile !== 'string') continue;
    const resolved = path.resolve(dir, tokenFile);
    try {
      entry.user.token = fs.readFileSync(resolved, 'utf8').trim();
    } catch (e) {
      throw new Error(`token-file ${resolved}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    delete entry.user['token-file'];
  }
  return dumpYaml(doc);
}

/** kubectl's merge: for each name the first file wins; current-context from the first file that sets it. */
function merge(configs: FileConfig[]): FileConfig {
  const firstByName = <T extends { name: string }>(lists: T[][]): T[] => {
    const seen = new Map<string, T>();
    for (const list of lists) for (const item of list) if (!seen.has(item.name)) seen.set(item.name, item);
    return [...seen.values()];
  };
  return {
    clusters: firstByName(configs.map((c) => c.clusters)),
    users: firstByName(configs.map((c) => c.users)),
    contexts: firstByName(configs.map((c) => c.contexts)),
    currentContext: configs.find((c) => c.currentContext)?.currentContext ?? '',
  };
}

/**
 * The pod's service account, used (as by kubectl) only when no kubeconfig file exists. Built
 * here rather than by client-node's loadFromCluster, which reads process.env behind our back.
 */
function inClusterConfig(req: KubeconfigRequest, kc: KubeConfig): LoadedKubeconfig | undefined {
  const dir = req.serviceAccountDir ?? SA_DIR;
  const { KUBERNETES_SERVICE_HOST: host, KUBERNETES_SERVICE_PORT: port } = req.env;
  if (!host || !port || !fs.existsSync(`${dir}/token`)) return undefined;
  const server = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const nsFile = `${dir}/namespace`;
  const namespace = req.env.POD_NAMESPACE || (fs.existsSync(nsFile) ? fs.readFileSync(nsFile, 'utf8').trim() : undefined);
  const name = 'in-cluster';
  kc.loadFromOptions({
    clusters: [{ name, server, caFile: `${dir}/ca.crt`, skipTLSVerify: false }],
    users: [{ name, token: fs.readFileSync(`${dir}/token`, 'utf8').trim() }],
    contexts: [{ name, cluster: name, user: name, namespace }],
    currentContext: name,
  });
  return { kc, contextName: name, namespace: namespace || undefined, server, source: 'in-cluster service account' };
}

/** Loads kubeconfig the way kubectl does (reference kubernetes.md §1.3) and selects the context. */
export async function loadKubeconfig(req: KubeconfigRequest): Promise<LoadedKubeconfig> {
  const { KubeConfig: K } = await import('./k8s.js');
  const candidates = kubeconfigCandidates(req);
  const explicit = req.file !== undefined && req.file !== '';
  const existing = explicit ? candidates : candidates.filter((f) => fs.existsSync(f));
  const kc = new K();
  if (existing.length === 0) {
    const inCluster = inClusterConfig(req, kc);
    if (inCluster !== undefined) return inCluster;
    throw new UnreachableError(`no kubeconfig found (looked at ${candidates.join(', ')})`, {
      hint: 'set KUBECONFIG or --kubeconfig, or pass --url to reach the daemon directly',
    });
  }
  const merged = merge(await Promise.all(existing.map((f) => readOne(f, K))));
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
  // client-node skips the cluster CA entirely when a context has no user; give it an empty one.
  const users = merged.users.some((u) => u.name === context.user)
    ? merged.users
    : [...merged.users, { name: context.user } as User];
  kc.loadFromOptions({ clusters: merged.clusters, users, contexts: merged.contexts, currentContext: contextName });
  return { kc, contextName, namespace: context.namespace || undefined, server: cluster.server, source };
}
