// The object store behind the emulated API server: one map per resource, one global
// resourceVersion counter, a bounded event history (so watches can resume from a list's
// resourceVersion), live watchers, in-process subscribers and the resource registry.
import { admitCreate, admitUpdate, changedFields, recordManager } from './admission.js';
import { applyDefaults } from './defaults.js';
import { crdInfo, crdInputFromObject, crdObject, type CustomResourceDefinitionInput } from './crd.js';
import { ResourceRegistry } from './resources.js';
import type { EventType, GenericObject, KubeObject, Resource } from './types.js';
import { deepEqual, uidFor } from './util.js';

export type WireObject = KubeObject & { kind: string; apiVersion: string };

export interface WatchEvent {
  type: EventType;
  object: WireObject;
}
interface HistoryEntry extends WatchEvent {
  rv: number;
  resource: Resource;
}
export interface Watcher {
  resource: Resource;
  send(ev: WatchEvent, raw: KubeObject): void;
}
export type Subscriber = (type: EventType, obj: WireObject) => void;

export interface WriteOptions {
  /** Recorded in metadata.managedFields (no entry without one). */
  fieldManager?: string;
  /** 'status': only `.status` of the proposal counts. */
  subresource?: 'status';
  /** The version the client wrote through (status subresource and managedFields follow it). */
  version?: string;
  /** Compute the result but store nothing. */
  dryRun?: boolean;
}

export interface WriteResult<T> {
  object: T;
  created: boolean;
  /** metadata.generation moved (or the object is new). */
  generationChanged: boolean;
}

const HISTORY_LIMIT = 5000;
const key = (ns: string | undefined, name: string): string => `${ns ?? ''}/${name}`;

export class Store {
  protected rv = 1000;
  protected seq = 0;
  readonly resources = new ResourceRegistry();
  private readonly stores = new Map<Resource, Map<string, KubeObject>>();
  private history: HistoryEntry[] = [];
  private historyFloor = 0; // events with rv > floor are all retained
  protected readonly watchers = new Set<Watcher>();
  // resource + owner uid → keys of the objects it owns, so controllers need not scan 10,000 pods.
  private readonly owned = new Map<string, Set<string>>();

  get resourceVersion(): string {
    return String(this.rv);
  }

  /** A deterministic UID for a new object. */
  newUid(seed: string): string {
    return uidFor(`${seed}#${++this.seq}`);
  }

  private storeOf(resource: Resource, create: boolean): Map<string, KubeObject> | undefined {
    let s = this.stores.get(resource);
    if (!s && create) {
      this.resources.require(resource);
      s = new Map();
      this.stores.set(resource, s);
    }
    return s;
  }

  get<T extends KubeObject>(resource: Resource, ns: string | undefined, name: string): T | undefined {
    return this.storeOf(resource, false)?.get(key(ns, name)) as T | undefined;
  }

  /** Objects sorted by namespace then name, as etcd's key order gives them. */
  list<T extends KubeObject>(resource: Resource, ns?: string): T[] {
    const out: T[] = [];
    for (const obj of this.storeOf(resource, false)?.values() ?? []) {
      if (ns === undefined || obj.metadata.namespace === ns) out.push(obj as T);
    }
    return out.sort((a, b) => key(a.metadata.namespace, a.metadata.name).localeCompare(key(b.metadata.namespace, b.metadata.name)));
  }

  /**
   * Stores (a new version of) an object as given: bumps resourceVersion and tells watchers.
   * A new object without uid or creationTimestamp gets them (and generation 1 where kept).
   */
  save<T extends KubeObject>(resource: Resource, obj: T, opts: { quiet?: boolean } = {}): T {
    const store = this.storeOf(resource, true)!;
    const k = key(obj.metadata.namespace, obj.metadata.name);
    const type: EventType = store.has(k) ? 'MODIFIED' : 'ADDED';
    const loose = obj as unknown as Record<string, unknown>;
    delete loose.kind;
    delete loose.apiVersion;
    if (type === 'ADDED') this.fillIdentity(resource, obj);
    obj.metadata.resourceVersion = String(++this.rv);
    store.set(k, obj);
    for (const o of obj.metadata.ownerReferences ?? []) {
      const ok = `${resource}:${o.uid}`;
      if (!this.owned.has(ok)) this.owned.set(ok, new Set());
      this.owned.get(ok)!.add(k);
    }
    if (!opts.quiet) this.emit(resource, type, obj);
    return obj;
  }

  private fillIdentity(resource: Resource, obj: KubeObject): void {
    const m = obj.metadata;
    m.uid ||= this.newUid(`${resource}/${m.namespace ?? ''}/${m.name}`);
    m.creationTimestamp ||= new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    if (m.generation === undefined && this.resources.require(resource).generation) m.generation = 1;
  }

  /** Deletes an object now; with `cascade`, also everything it owns (the garbage collector's foreground). */
  remove(resource: Resource, ns: string | undefined, name: string, opts: { cascade?: boolean } = {}): KubeObject | undefined {
    const store = this.storeOf(resource, false);
    const obj = store?.get(key(ns, name));
    if (!store || !obj) return undefined;
    store.delete(key(ns, name));
    for (const o of obj.metadata.ownerReferences ?? []) this.owned.get(`${resource}:${o.uid}`)?.delete(key(ns, name));
    obj.metadata.resourceVersion = String(++this.rv);
    this.emit(resource, 'DELETED', obj);
    if (opts.cascade) this.removeOwnedBy(obj.metadata.uid);
    if (resource === 'customresourcedefinitions') this.dropCustomResource(name);
    return obj;
  }

  private removeOwnedBy(uid: string): void {
    for (const [ok, keys] of [...this.owned]) {
      if (!ok.endsWith(`:${uid}`)) continue;
      const resource = ok.slice(0, -uid.length - 1);
      for (const k of [...keys]) {
        const [ns, name] = k.split('/') as [string, string];
        this.remove(resource, ns || undefined, name, { cascade: true });
      }
    }
  }

  private dropCustomResource(key: Resource): void {
    if (!this.resources.info(key)?.custom) return;
    for (const o of this.list(key)) this.remove(key, o.metadata.namespace, o.metadata.name);
    this.resources.delete(key);
    this.stores.delete(key);
  }

  /**
   * A client's write: create or update `proposed` with the API server's rules (server-owned
   * metadata, status subresource, generation, managedFields). Unchanged objects are not re-saved.
   */
  write<T extends KubeObject>(resource: Resource, proposed: Record<string, unknown>, opts: WriteOptions = {}): WriteResult<T> {
    const info = this.resources.require(resource);
    const version = this.resources.version(resource, opts.version);
    const meta = (proposed.metadata ?? {}) as { name?: string; namespace?: string };
    const ns = info.namespaced ? meta.namespace : undefined;
    if (!meta.name || (info.namespaced && !ns)) throw new Error(`${resource}: metadata.name${info.namespaced ? ' and metadata.namespace are' : ' is'} required`);
    const current = this.get<T>(resource, ns, meta.name ?? '');
    const admit = { statusSubresource: version.status, generation: info.generation, ...(opts.subresource ? { subresource: opts.subresource } : {}) };
    // Defaults first, so a manifest that leaves them out does not look like a spec change.
    const body = opts.subresource ? proposed : applyDefaults(resource, structuredClone(proposed));
    const next = current
      ? admitUpdate(current, body, admit)
      : admitCreate(body, { ...admit, uid: this.newUid(`${resource}/${ns ?? ''}/${meta.name}`), ...(ns !== undefined ? { namespace: ns } : {}) });
    // Built-in objects always carry a status, if only an empty one.
    if (!current && !info.custom && version.status && next.status === undefined) (next as GenericObject).status = {};
    if (opts.fieldManager) {
      const w = { manager: opts.fieldManager, operation: 'Update' as const, apiVersion: this.resources.apiVersion(resource, version.name), ...(opts.subresource ? { subresource: opts.subresource } : {}) };
      recordManager(next.metadata, w, changedFields(current ?? {}, next));
    }
    const generationChanged = !current || next.metadata.generation !== current.metadata.generation;
    if (current && deepEqual(withoutManaged(next), withoutManaged(current))) return { object: current, created: false, generationChanged: false };
    if (opts.dryRun) return { object: { ...next, metadata: { ...next.metadata, resourceVersion: current?.metadata.resourceVersion ?? '' } } as T, created: !current, generationChanged };
    const object = this.save(resource, next as T);
    this.afterWrite(resource, object, !current, generationChanged);
    // The last finalizer of an object being deleted is gone: now it goes.
    if (object.metadata.deletionTimestamp && !(object.metadata.finalizers as unknown[] | undefined)?.length) {
      this.remove(resource, object.metadata.namespace, object.metadata.name, { cascade: true });
    }
    return { object, created: !current, generationChanged };
  }

  /**
   * An API DELETE: an object with finalizers only gets its deletionTimestamp (its controller
   * removes the finalizers, then it goes); others go at once with what they own.
   */
  delete<T extends KubeObject>(resource: Resource, ns: string | undefined, name: string): T {
    const obj = this.get<T>(resource, ns, name);
    if (!obj) throw new Error(`no ${resource} ${ns ?? ''}/${name}`);
    if (!(obj.metadata.finalizers as unknown[] | undefined)?.length) return this.remove(resource, ns, name, { cascade: true }) as T;
    if (!obj.metadata.deletionTimestamp) {
      Object.assign(obj.metadata, { deletionTimestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'), deletionGracePeriodSeconds: 0 });
      this.save(resource, obj);
    }
    return obj;
  }

  /** Hook for controllers that react to client writes (Cluster kicks Deployment rollouts). */
  protected afterWrite(_resource: Resource, _obj: KubeObject, _created: boolean, _generationChanged: boolean): void {}

  /** Create-or-replace a whole object (PUT semantics; status kept behind a subresource). */
  apply<T extends KubeObject>(resource: Resource, obj: Record<string, unknown>, opts: { fieldManager?: string } = {}): T {
    return this.write<T>(resource, obj, opts).object;
  }

  /** A /status write: replaces `.status`, bumps resourceVersion, never generation. */
  saveStatus<T extends KubeObject>(resource: Resource, ns: string | undefined, name: string, status: unknown, opts: { fieldManager?: string } = {}): T {
    const current = this.get<T>(resource, ns, name);
    if (!current) throw new Error(`no ${resource} ${ns ?? ''}/${name}`);
    return this.write<T>(resource, { metadata: current.metadata, status }, { ...opts, subresource: 'status' }).object;
  }

  /** Registers a CRD: its resource (`<plural>.<group>`) and the stored CustomResourceDefinition. Re-registering replaces it. */
  registerCustomResource(def: CustomResourceDefinitionInput): Resource {
    const info = crdInfo(def);
    this.resources.add(info);
    const existing = this.get<GenericObject>('customresourcedefinitions', undefined, info.key);
    const obj = crdObject(def, info, existing?.metadata.uid ?? this.newUid(`crd/${info.key}`));
    if (existing) {
      obj.metadata = { ...obj.metadata, creationTimestamp: existing.metadata.creationTimestamp, generation: (existing.metadata.generation ?? 1) + 1 };
    }
    this.save('customresourcedefinitions', obj);
    return info.key;
  }

  /** Registers a CRD from a CustomResourceDefinition object (a POST of one); returns the resource key. */
  registerObject(crd: Record<string, unknown>): Resource {
    return this.registerCustomResource(crdInputFromObject(crd));
  }

  /** In-process watch: events for one resource, delivered in order on a later microtask, as a watch would. */
  subscribe(resource: Resource, fn: Subscriber): () => void {
    const pending: WatchEvent[] = [];
    let scheduled = false;
    let stopped = false;
    const drain = (): void => {
      scheduled = false;
      for (let ev = pending.shift(); ev && !stopped; ev = pending.shift()) fn(ev.type, structuredClone(ev.object));
    };
    const stop = this.addWatcher({
      resource,
      send: (ev) => {
        pending.push(ev);
        if (!scheduled) {
          scheduled = true;
          queueMicrotask(drain);
        }
      },
    });
    return () => {
      stopped = true;
      stop();
    };
  }

  private emit(resource: Resource, type: EventType, obj: KubeObject): void {
    const ev: HistoryEntry = { rv: this.rv, resource, type, object: this.resources.withKind(resource, structuredClone(obj)) };
    this.history.push(ev);
    if (this.history.length > HISTORY_LIMIT) this.historyFloor = this.history.shift()!.rv;
    for (const w of this.watchers) if (w.resource === resource) w.send(ev, obj);
  }

  /** Events after `rv` for a resource, or undefined when they are no longer retained (410). */
  eventsSince(resource: Resource, rv: number): WatchEvent[] | undefined {
    if (rv < this.historyFloor) return undefined;
    return this.history.filter((e) => e.rv > rv && e.resource === resource);
  }

  /** Objects of a resource whose ownerReferences name the given owner uid. */
  ownedBy<T extends KubeObject>(resource: Resource, ownerUid: string): T[] {
    const store = this.storeOf(resource, false);
    if (!store) return [];
    return [...(this.owned.get(`${resource}:${ownerUid}`) ?? [])].map((k) => store.get(k) as T).filter(Boolean);
  }

  addWatcher(w: Watcher): () => void {
    this.watchers.add(w);
    return () => this.watchers.delete(w);
  }
}

function withoutManaged(o: KubeObject): unknown {
  const { managedFields: _m, ...meta } = o.metadata;
  return { ...o, metadata: meta };
}
