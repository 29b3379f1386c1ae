// The handle a test gets from installFlux2: the emulated git host, chart repositories and
// registry, scripting (failures, freeze/thaw), a `flux reconcile`-like helper, and the log
// of every reconcile the controllers ran.
import type { BackendTarget, Cluster } from '../kube/cluster.js';
import type { GenericObject, Labels } from '../kube/types.js';
import { ArtifactStore } from './artifacts.js';
import { getCondition } from './conditions.js';
import { Engine, type ReconcileRecord, type ScriptedFailure, type World } from './engine.js';
import { GitServer, type GitRepo } from './git.js';
import { GitRepositoryReconciler } from './source-controller.js';
import { HelmChartReconciler, HelmRepositoryReconciler } from './helm-sources.js';
import { HelmReleaseReconciler } from './helm-controller.js';
import { ImagePolicyReconciler, ImageRepositoryReconciler, ImageUpdateAutomationReconciler } from './image-controllers.js';
import { installCrds, installControllers, type InstallLayout } from './install.js';
import { resourceOf, type FluxKindName } from './kinds.js';
import { KustomizationReconciler } from './kustomize-controller.js';
import type { Controller } from './reconciler.js';
import { ChartRepositories, ImageRegistry, type ChartRepository } from './registries.js';
import { DEFAULT_COMPONENTS, LATEST_FLUX, type Component, type FluxVersion } from './releases.js';
import { basicAuthSecret, deployKeySecret } from './secrets.js';
import type { KeyAlgorithm } from './ssh-keys.js';
import { REQUESTED_AT, type FluxObject } from './types.js';

export interface Flux2Options {
  /** Default v2.9.4. */
  version?: FluxVersion;
  /** Default flux-system. */
  namespace?: string;
  /** Default: the four `flux install` installs without --components-extra. */
  components?: readonly Component[];
  /** Default true (as `flux install`/`flux bootstrap`); false mimics the static install.yaml. */
  versionLabel?: boolean;
  /** Pause between a reconcile's status writes, ms. Default 5. */
  stepMs?: number;
  /** spec.interval × this = periodic reconcile delay. Default 0: no periodic reconciles. */
  intervalScale?: number;
  /** Longest health check / chart wait, ms. Default 5000. */
  healthTimeoutMs?: number;
}

export interface DeployKeyOptions {
  /** The GitRepository URL (ssh://…): the host's key goes in known_hosts and the key is authorized there. */
  url: string;
  namespace?: string;
  name?: string;
  algorithm?: KeyAlgorithm;
  rsaBits?: number;
  /** Register the public key with the repository (default true), as a provider bootstrap does. */
  authorize?: boolean;
}

const ID = /^([^/]+)\/([^/]+)$/;

export class Flux2 {
  readonly version: FluxVersion;
  readonly namespace: string;
  readonly components: readonly Component[];
  readonly engine: Engine;
  readonly gitServer = new GitServer();
  readonly charts = new ChartRepositories();
  readonly registry = new ImageRegistry();
  readonly artifacts = new ArtifactStore();
  private readonly controllers: Controller[] = [];
  private artifactPort: number | undefined;
  private tokens = 0;

  constructor(readonly cluster: Cluster, o: Flux2Options = {}) {
    this.version = o.version ?? LATEST_FLUX;
    this.namespace = o.namespace ?? 'flux-system';
    this.components = o.components ?? DEFAULT_COMPONENTS;
    this.engine = new Engine(cluster, { version: this.version, namespace: this.namespace, stepMs: o.stepMs ?? 5, intervalScale: o.intervalScale ?? 0, healthTimeoutMs: o.healthTimeoutMs ?? 5000 });
  }

  /** The layout installFlux2 used. */
  layout(versionLabel = true): InstallLayout {
    return { version: this.version, namespace: this.namespace, components: this.components, versionLabel };
  }

  /** Starts the controllers of the installed components. */
  start(): void {
    const w: World = { engine: this.engine, git: this.gitServer, artifacts: this.artifacts, charts: this.charts, registry: this.registry };
    const has = (c: Component) => this.components.includes(c);
    const list: Controller[] = [
      ...(has('source-controller') ? [new GitRepositoryReconciler(w), new HelmRepositoryReconciler(w), new HelmChartReconciler(w)] : []),
      ...(has('kustomize-controller') ? [new KustomizationReconciler(w)] : []),
      ...(has('helm-controller') ? [new HelmReleaseReconciler(w)] : []),
      ...(has('image-reflector-controller') ? [new ImageRepositoryReconciler(w), new ImagePolicyReconciler(w)] : []),
      ...(has('image-automation-controller') ? [new ImageUpdateAutomationReconciler(w)] : []),
    ];
    for (const c of list) {
      this.controllers.push(c);
      c.start();
    }
  }

  /** A repository on the emulated git host (created empty on first use). */
  git(url: string): GitRepo {
    return this.gitServer.repo(url);
  }

  /** A Helm chart repository at a URL, to publish charts into. */
  helmRepository(url: string): ChartRepository {
    return this.charts.repo(url);
  }

  get reconciles(): ReconcileRecord[] {
    return this.engine.reconciles;
  }

  /** Unexpected errors inside reconciles; a healthy test leaves this empty. */
  get errors(): unknown[] {
    return this.engine.errors;
  }

  /** From the next reconcile on, `kind ns/name` fails this way (until clearFailure). */
  fail(kind: FluxKindName, id: string, failure: ScriptedFailure): void {
    this.engine.fail(kind, parseId(id).join('/'), failure);
  }

  /** Stops the scripted failure; an object left retrying (ProgressingWithRetry) is retried at once, as its backoff would. */
  clearFailure(kind: FluxKindName, id: string): void {
    const [ns, name] = parseId(id);
    this.engine.clearFailure(kind, `${ns}/${name}`);
    const obj = this.get(kind, id);
    if (getCondition(obj?.status?.conditions, 'Reconciling')?.reason === 'ProgressingWithRetry') this.controller(kind)?.enqueue(ns, name, 'retry');
  }

  /** Controllers stop answering (queued work waits) until thaw(). */
  freeze(): void {
    this.engine.freeze();
  }

  thaw(): void {
    this.engine.thaw();
  }

  get(kind: FluxKindName, id: string): FluxObject | undefined {
    const [ns, name] = parseId(id);
    return this.cluster.get<FluxObject>(resourceOf(kind), ns, name);
  }

  /** A client-side write of the whole object (fieldManager `flux`), e.g. to patch spec or annotations. */
  update(kind: FluxKindName, id: string, change: (obj: FluxObject) => void): FluxObject {
    const obj = this.get(kind, id);
    if (!obj) throw new Error(`${kind} ${id} not found`);
    const next = structuredClone(obj);
    change(next);
    delete (next.metadata as Record<string, unknown>).resourceVersion;
    return this.cluster.write<FluxObject>(resourceOf(kind), next, { fieldManager: 'flux' }).object;
  }

  /** `flux reconcile`: a fresh requestedAt token, then the object once lastHandledReconcileAt carries it. */
  async reconcile(kind: FluxKindName, id: string, timeoutMs = 10_000): Promise<FluxObject> {
    const token = this.token();
    this.update(kind, id, (o) => (o.metadata.annotations = { ...o.metadata.annotations, [REQUESTED_AT]: token }));
    return this.waitFor(kind, id, (o) => o.status?.lastHandledReconcileAt === token, timeoutMs);
  }

  /** Polls until the predicate holds for the object. */
  async waitFor(kind: FluxKindName, id: string, ok: (obj: FluxObject) => boolean, timeoutMs = 10_000): Promise<FluxObject> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const obj = this.get(kind, id);
      if (obj && ok(obj)) return obj;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${kind} ${id}: ${JSON.stringify(obj?.status ?? null)}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  /** Resolves once no reconcile has been running for a few milliseconds. */
  async settled(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let quiet = 0;
    while (quiet < 3) {
      if (Date.now() > deadline) throw new Error('Flux controllers did not settle in time');
      await new Promise((r) => setTimeout(r, 5));
      quiet = this.engine.idle && !this.engine.isFrozen ? quiet + 1 : 0;
    }
  }

  /** A unique token in the flux CLI's RFC 3339 nanosecond style. */
  token(): string {
    return new Date().toISOString().replace('Z', `${String(++this.tokens).padStart(6, '0')}Z`);
  }

  /** Creates the SSH deploy key Secret (default `<namespace>/<namespace>`) and registers its key with the repository. */
  deployKey(o: DeployKeyOptions): { publicKey: string; secret: GenericObject } {
    const ns = o.namespace ?? this.namespace;
    const { secret, publicKey } = deployKeySecret({ namespace: ns, name: o.name ?? this.namespace, url: o.url, hostKey: this.gitServer.hostKey(o.url), algorithm: o.algorithm, rsaBits: o.rsaBits });
    this.cluster.addNamespace(ns);
    const stored = this.cluster.write<GenericObject>('secrets', secret).object;
    if (o.authorize !== false) this.git(o.url).authorize(publicKey);
    return { publicKey, secret: stored };
  }

  /** An HTTPS basic-auth Secret; the repository then requires these credentials. */
  basicAuth(o: { url: string; username: string; password: string; namespace?: string; name?: string }): GenericObject {
    const ns = o.namespace ?? this.namespace;
    this.git(o.url).credentials = { username: o.username, password: o.password };
    this.cluster.addNamespace(ns);
    return this.cluster.write<GenericObject>('secrets', basicAuthSecret(ns, o.name ?? this.namespace, o.username, o.password)).object;
  }

  /** Serves artifacts for port-forwards to source-controller:9090 (see backend()). */
  async serveArtifacts(): Promise<number> {
    this.artifactPort = await this.artifacts.listen();
    return this.artifactPort;
  }

  /** Where a port-forward to a Flux pod connects: source-controller's artifact port once serveArtifacts() ran. */
  backend(pod: { namespace: string; labels: Labels }, port: number): BackendTarget | null {
    const ok = pod.namespace === this.namespace && pod.labels.app === 'source-controller' && port === 9090 && this.artifactPort !== undefined;
    return ok ? { host: '127.0.0.1', port: this.artifactPort! } : null;
  }

  private controller(kind: FluxKindName): Controller | undefined {
    return this.controllers.find((c) => c.kind === kind);
  }

  async close(): Promise<void> {
    for (const c of this.controllers) c.stop();
    this.engine.close();
    await this.artifacts.close();
  }
}

function parseId(id: string): [string, string] {
  const m = ID.exec(id);
  if (!m) throw new Error(`expected <namespace>/<name>, got ${id}`);
  return [m[1]!, m[2]!];
}

/** Installs Flux v2 in the cluster (namespace, CRDs, controller Deployments) and starts its controllers. */
export function installFlux2(cluster: Cluster, o: Flux2Options = {}): Flux2 {
  const flux = new Flux2(cluster, o);
  const layout = flux.layout(o.versionLabel ?? true);
  installCrds(cluster, layout);
  installControllers(cluster, layout);
  flux.start();
  return flux;
}

