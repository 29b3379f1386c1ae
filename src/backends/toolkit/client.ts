import { CliError, UnreachableError } from '../../errors.js';
import { KubeApiError, type KubeApi } from '../../kubernetes/api.js';
import type { Polling } from '../../wait.js';
import { discoverFluxKinds, FLUX_KINDS, type FluxKind, type ServedKind, type ServedKinds } from './discovery.js';
import { objectPath } from './decode.js';

/** Kubernetes kinds the toolkit backend reads besides Flux's own, with their fixed API paths. */
export type CoreKind = 'Secret' | 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'CronJob';
const CORE: Readonly<Record<CoreKind, { prefix: string; plural: string }>> = {
  Secret: { prefix: '/api/v1', plural: 'secrets' },
  Deployment: { prefix: '/apis/apps/v1', plural: 'deployments' },
  StatefulSet: { prefix: '/apis/apps/v1', plural: 'statefulsets' },
  DaemonSet: { prefix: '/apis/apps/v1', plural: 'daemonsets' },
  CronJob: { prefix: '/apis/batch/v1', plural: 'cronjobs' },
};
export type AnyKind = FluxKind | CoreKind;

/** Our writes are owned by this field manager: kustomize-controller strips fields of managers named kubectl… */
export const FIELD_MANAGER = 'fluxctl';

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
}

/**
 * One run's access to Flux v2 objects: the served version of each kind (one discovery call),
 * and GET/LIST/merge-PATCH that name the object in their errors.
 */
export class Toolkit {
  private served?: Promise<ServedKinds>;

  constructor(
    readonly api: KubeApi,
    /** The Flux namespace: where the root GitRepository and the controllers live. */
    readonly namespace: string,
    readonly signal: AbortSignal,
    readonly debug: (message: string) => void,
    /** Every wait's pace, bounded by `signal` (tests scale it down). */
    readonly polling: Polling = (delay) => ({ signal, delay }),
  ) {}

  /** Served versions of every Flux kind, from one `GET /apis` (aggregated discovery when offered). */
  kinds(): Promise<ServedKinds> {
    this.served ??= discoverFluxKinds((path, accept) => this.api.request('GET', path, accept === undefined ? {} : { accept })).then((kinds) => {
      this.debug(`Flux v2 kinds served: ${[...kinds].map(([k, v]) => `${k} ${v.version}`).join(', ') || 'none'}`);
      return kinds;
    });
    return this.served;
  }

  /** The served version of `kind`, or undefined when its controller is not installed. */
  async servedKind(kind: FluxKind): Promise<ServedKind | undefined> {
    return (await this.kinds()).get(kind);
  }

  /** Like servedKind, but a missing kind is an error naming the controller to install. */
  async requireKind(kind: FluxKind): Promise<ServedKind> {
    const served = await this.servedKind(kind);
    if (served !== undefined) return served;
    const { group, plural } = FLUX_KINDS[kind];
    throw new UnreachableError(`the cluster does not serve ${plural}.${group} (${kind}): that Flux v2 component is not installed`, {
      hint: `check what is installed with: kubectl get crds | grep fluxcd.io`,
    });
  }

  /** `/apis/<group>/<version>[/namespaces/<ns>]/<plural>[/<name>]`; namespace '' = all namespaces. */
  async path(kind: AnyKind, namespace: string, name?: string): Promise<string> {
    const base = isCore(kind) ? CORE[kind].prefix : await this.requireKind(kind).then((s) => `/apis/${s.group}/${s.version}`);
    const plural = isCore(kind) ? CORE[kind].plural : FLUX_KINDS[kind].plural;
    const ns = namespace === '' ? '' : `/namespaces/${encodeURIComponent(namespace)}`;
    return `${base}${ns}/${plural}${name === undefined ? '' : `/${encodeURIComponent(name)}`}`;
  }

  async get(kind: AnyKind, namespace: string, name: string): Promise<unknown> {
    try {
      return await this.api.request('GET', await this.path(kind, namespace, name));
    } catch (e) {
      throw notFound(e, kind, namespace, name);
    }
  }

  /** The items of a list (namespace '' = across all namespaces). */
  async list(kind: AnyKind, namespace: string, options: ListOptions = {}): Promise<unknown[]> {
    return itemsOf(await this.api.request('GET', await this.path(kind, namespace), { query: listQuery(options) }));
  }

  /**
   * The items of a list, each decoded as the answer arrives (`decode` gets decodeItems' paths),
   * so a large list is never held raw: 10,000 Deployments are 24 MB of JSON.
   */
  async listDecoded<T>(kind: AnyKind, namespace: string, decode: (v: unknown, path: string) => T, options: ListOptions = {}): Promise<T[]> {
    const eachItem = (v: unknown, i: number): T => decode(v, objectPath(kind, v, `${kind} items[${i}]`));
    return itemsOf(await this.api.request('GET', await this.path(kind, namespace), { query: listQuery(options), eachItem })) as T[];
  }

  /**
   * A JSON merge patch (never client-node's default JSON patch, never strategic merge, which
   * custom resources refuse) under our field manager. Put `metadata.resourceVersion` in the body
   * to make it conditional.
   */
  async patch(kind: AnyKind, namespace: string, name: string, body: unknown, options: { dryRun?: boolean } = {}): Promise<unknown> {
    const query: Record<string, string> = { fieldManager: FIELD_MANAGER };
    if (options.dryRun === true) query.dryRun = 'All';
    try {
      return await this.api.request('PATCH', await this.path(kind, namespace, name), { query, body, contentType: 'application/merge-patch+json' });
    } catch (e) {
      throw notFound(e, kind, namespace, name);
    }
  }
}

const isCore = (kind: AnyKind): kind is CoreKind => kind in CORE;

function listQuery(options: ListOptions): Record<string, string> {
  const query: Record<string, string> = {};
  if (options.labelSelector !== undefined) query.labelSelector = options.labelSelector;
  if (options.fieldSelector !== undefined) query.fieldSelector = options.fieldSelector;
  return query;
}

/** A list answer's items; none when it has no list of them (decodeItems' rule for a missing list). */
function itemsOf(list: unknown): unknown[] {
  const items = typeof list === 'object' && list !== null ? (list as { items?: unknown }).items : undefined;
  return Array.isArray(items) ? items : [];
}

/** A 404 for a named object becomes "<Kind> <ns>/<name> not found" (exit 1), naming the context's view. */
function notFound(e: unknown, kind: AnyKind, namespace: string, name: string): unknown {
  if (!(e instanceof KubeApiError) || e.status !== 404) return e;
  return new CliError(`${kind} ${namespace}/${name} not found`, { hint: `list what exists with: kubectl get ${isCore(kind) ? CORE[kind].plural : FLUX_KINDS[kind].plural} -n ${namespace}` });
}

/** True for the API server's 409 answer to a stale resourceVersion. */
export const isConflict = (e: unknown): boolean => e instanceof KubeApiError && e.status === 409;
