// The resources this API server knows: the built-in ones below, plus custom resources that
// CustomResourceDefinitions register at run time. Built-ins are keyed by plural, custom
// resources by `<plural>.<group>` (kubectl's fully qualified name), so the two never collide.
import type { Resource } from './types.js';

export interface PrinterColumn {
  name: string;
  type: string;
  jsonPath: string;
  description?: string;
  priority?: number;
  format?: string;
}

export interface ResourceVersion {
  name: string;
  served: boolean;
  storage: boolean;
  deprecated?: boolean;
  deprecationWarning?: string;
  /** This version has a status subresource (writes to the main resource ignore `.status`). */
  status: boolean;
  additionalPrinterColumns?: PrinterColumn[];
}

export interface ResourceInfo {
  key: Resource;
  plural: string;
  /** '' for the core group. */
  group: string;
  versions: ResourceVersion[];
  kind: string;
  listKind: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: string[];
  /** The server keeps metadata.generation (workloads, CRDs, custom resources). */
  generation: boolean;
  custom: boolean;
  /** Review APIs that answer a POST and store nothing. */
  virtual?: boolean;
}

const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

interface BuiltinShape {
  group: string;
  kind: string;
  shortNames?: string[];
  namespaced?: boolean;
  all?: boolean;
  status?: boolean;
  generation?: boolean;
  verbs?: string[];
  categories?: string[];
  virtual?: boolean;
}

// Names, short names, categories and subresources as a v1.32 API server's discovery lists them.
const BUILTINS: Record<string, BuiltinShape> = {
  namespaces: { group: '', kind: 'Namespace', shortNames: ['ns'], namespaced: false, status: true, verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'] },
  pods: { group: '', kind: 'Pod', shortNames: ['po'], all: true, status: true },
  secrets: { group: '', kind: 'Secret' },
  configmaps: { group: '', kind: 'ConfigMap', shortNames: ['cm'] },
  services: { group: '', kind: 'Service', shortNames: ['svc'], all: true, status: true, verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'] },
  serviceaccounts: { group: '', kind: 'ServiceAccount', shortNames: ['sa'] },
  deployments: { group: 'apps', kind: 'Deployment', shortNames: ['deploy'], all: true, status: true, generation: true },
  replicasets: { group: 'apps', kind: 'ReplicaSet', shortNames: ['rs'], all: true, status: true, generation: true },
  statefulsets: { group: 'apps', kind: 'StatefulSet', shortNames: ['sts'], all: true, status: true, generation: true },
  daemonsets: { group: 'apps', kind: 'DaemonSet', shortNames: ['ds'], all: true, status: true, generation: true },
  cronjobs: { group: 'batch', kind: 'CronJob', shortNames: ['cj'], all: true, status: true, generation: true },
  customresourcedefinitions: {
    group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition', shortNames: ['crd', 'crds'], namespaced: false,
    status: true, generation: true, categories: ['api-extensions'],
  },
  selfsubjectaccessreviews: { group: 'authorization.k8s.io', kind: 'SelfSubjectAccessReview', namespaced: false, verbs: ['create'], virtual: true },
};

// The order a v1.32 API server lists these groups in /apis.
const BUILTIN_GROUPS = ['', 'apps', 'authorization.k8s.io', 'batch', 'apiextensions.k8s.io'];

function builtin(plural: string, b: BuiltinShape): ResourceInfo {
  return {
    key: plural, plural, group: b.group, kind: b.kind, listKind: `${b.kind}List`, singular: b.kind.toLowerCase(),
    versions: [{ name: 'v1', served: true, storage: true, status: b.status ?? false }],
    namespaced: b.namespaced ?? true, shortNames: b.shortNames ?? [], categories: b.categories ?? (b.all ? ['all'] : []),
    verbs: b.verbs ?? ALL_VERBS, generation: b.generation ?? false, custom: false, ...(b.virtual ? { virtual: true } : {}),
  };
}

/** Kubernetes' version priority: GA before beta before alpha, higher numbers first, others last by name. */
export function compareVersions(a: string, b: string): number {
  const rank = (v: string): [number, number, number] | undefined => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return undefined;
    return [m[2] === undefined ? 3 : m[2] === 'beta' ? 2 : 1, Number(m[1]), Number(m[3] ?? 0)];
  };
  const ra = rank(a);
  const rb = rank(b);
  if (!ra || !rb) return ra ? -1 : rb ? 1 : a.localeCompare(b);
  for (let i = 0; i < 3; i++) if (ra[i] !== rb[i]) return rb[i]! - ra[i]!;
  return 0;
}

export class ResourceRegistry {
  private readonly infos = new Map<Resource, ResourceInfo>();

  constructor() {
    for (const [plural, b] of Object.entries(BUILTINS)) this.infos.set(plural, builtin(plural, b));
  }

  info(key: Resource): ResourceInfo | undefined {
    return this.infos.get(key);
  }

  require(key: Resource): ResourceInfo {
    const info = this.infos.get(key);
    if (!info) throw new Error(`unknown resource ${key}`);
    return info;
  }

  all(): ResourceInfo[] {
    return [...this.infos.values()];
  }

  /** The resource a URL names, if that group serves it at that version. */
  lookup(group: string, version: string, plural: string): ResourceInfo | undefined {
    // A custom resource may reuse a built-in plural in its own group (`services.serving.knative.dev`).
    const info = (group ? this.infos.get(`${plural}.${group}`) : undefined) ?? this.infos.get(plural);
    if (!info || info.group !== group) return undefined;
    return info.versions.some((v) => v.name === version && v.served) ? info : undefined;
  }

  add(info: ResourceInfo): void {
    this.infos.set(info.key, info);
  }

  delete(key: Resource): void {
    if (this.infos.get(key)?.custom) this.infos.delete(key);
  }

  /**
   * Served versions per group, each list in priority order (the first is the preferred one).
   * Groups come in the aggregator's order: built-ins by their fixed priority, then custom
   * groups (all at the same CRD priority) by name.
   */
  groups(): Map<string, string[]> {
    const out = new Map<string, Set<string>>();
    for (const info of this.infos.values()) {
      if (!out.has(info.group)) out.set(info.group, new Set());
      for (const v of info.versions) if (v.served) out.get(info.group)!.add(v.name);
    }
    const rank = (g: string): number => (BUILTIN_GROUPS.includes(g) ? BUILTIN_GROUPS.indexOf(g) : BUILTIN_GROUPS.length);
    const entries = [...out].filter(([, vs]) => vs.size > 0).sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
    return new Map(entries.map(([g, vs]) => [g, [...vs].sort(compareVersions)]));
  }

  storageVersion(key: Resource): string {
    const info = this.require(key);
    return (info.versions.find((v) => v.storage) ?? info.versions[0]!).name;
  }

  version(key: Resource, version?: string): ResourceVersion {
    const info = this.require(key);
    const name = version ?? this.storageVersion(key);
    return info.versions.find((v) => v.name === name) ?? info.versions[0]!;
  }

  apiVersion(key: Resource, version?: string): string {
    const { group } = this.require(key);
    const v = version ?? this.storageVersion(key);
    return group ? `${group}/${v}` : v;
  }

  /** Single objects and watch events carry kind/apiVersion (list items do not). */
  withKind<T extends object>(key: Resource, obj: T, version?: string): T & { kind: string; apiVersion: string } {
    const { kind: _k, apiVersion: _a, ...rest } = obj as Record<string, unknown>;
    return { kind: this.require(key).kind, apiVersion: this.apiVersion(key, version), ...rest } as T & { kind: string; apiVersion: string };
  }
}

/** Group of a resource key without a registry: built-ins from the table, custom ones from the key. */
export function groupOf(key: Resource): string {
  const b = BUILTINS[key];
  if (b) return b.group;
  const dot = key.indexOf('.');
  return dot < 0 ? '' : key.slice(dot + 1);
}

export function pluralOf(key: Resource): string {
  return key in BUILTINS ? key : key.split('.')[0]!;
}
