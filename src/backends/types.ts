import type { PublicSSHKey } from '../model/identity.js';
import type { ImageStatus, Workload } from '../model/workload.js';
import type { WorkloadRow } from '../model/workload-row.js';
import type { ImageTableWorkload } from '../model/image-table.js';

/*
 * The seam between commands and the two Flux generations. Commands narrate and render; a
 * backend speaks the protocol: fluxd's HTTP API through a tunnel (v1), or custom resources
 * through the Kubernetes API (v2, the GitOps Toolkit). The models are Flux v1's shapes
 * (src/model), so both generations print the same tables and JSON.
 */

export type FluxGeneration = 'v1' | 'v2';

/** Plain JSON a backend hands a command to print (field order is kept). */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | JsonObject;
export interface JsonObject {
  readonly [field: string]: JsonValue | undefined;
}

/** What a command tells the user while a backend works: stderr narration stays the command's. */
export interface Narration {
  /** A plain stderr line, the same on a terminal and in logs (fluxctl's own texts). */
  line(text: string): void;
  warn(text: string): void;
  /** A transient state for the spinner on a terminal (e.g. "DependencyNotReady: …"). */
  progress(text: string): void;
}

export interface IdentityResult {
  key: PublicSSHKey;
  /** What the user should know, e.g. that the new key must be added to the git host. */
  warnings: string[];
}

/** The repository a sync fetches: `Synchronizing with <url>`, `Revision of <ref> to apply is …`. */
export interface SyncSource {
  url: string;
  ref: string;
}

/** A sync in flight: a fluxd job ID, or the reconcile token written on the v2 objects. */
export interface SyncRequest {
  readonly id: string;
}

export interface ImagesQuery {
  /** `<ns>:<kind>/<name>`, or undefined for every workload in `namespace`. */
  workload?: string;
  /** '' = all namespaces. */
  namespace: string;
}

/** One interval a backend can show or set, e.g. the git poll interval. */
export interface IntervalSetting {
  /** `git-poll-interval` or `sync-interval`. */
  setting: IntervalName;
  /** Where it lives, e.g. `GitRepository flux-system/flux-system` or `Deployment flux/flux`. */
  object: string;
  value: string;
  /** `args`/`default` on v1; `spec` on v2. */
  source: string;
}

export type IntervalName = 'git-poll-interval' | 'sync-interval';

export interface IntervalQuery {
  /** v1: the daemon Deployment and container (default: found from the pod). */
  deployment?: string;
  container?: string;
  /** v2: the Kustomization whose sync interval to show or set (default: every root one). */
  kustomization?: string;
}

/** The objects whose intervals a set-interval run reads and changes. */
export interface IntervalTarget {
  /** What is changed, e.g. `Deployment flux/flux` ("… already uses these intervals"). */
  object: string;
  /** One line for the narration, e.g. `Deployment flux/flux, container flux`. */
  subject: string;
  settings: IntervalSetting[];
  /** E.g. "applied from git: the next sync reverts this" (with how to make it last). */
  warnings: string[];
  /** JSON fields describing the target, merged into `-o json`'s object. */
  summary: JsonObject;
  /** True when every setting already has the value asked for (nothing to patch). */
  unchanged(changes: ReadonlyMap<IntervalName, string>): boolean;
  /** Writes the change guarded by resourceVersion (dryRun=All for a dry run). */
  apply(changes: ReadonlyMap<IntervalName, string>, dryRun: boolean): Promise<IntervalChange>;
}

export interface IntervalChange {
  /** Why the change is not live yet, if so (e.g. a paused Deployment). */
  notice?: string;
  /** The spinner text while settle() waits. */
  waiting: string;
  /** Waits until the change is in effect; returns the success line. */
  settle(narrate: Narration): Promise<string>;
  /** How to follow it when the user passed --no-wait. */
  followHint: string;
}

export type AutomationAction = 'automate' | 'deautomate' | 'lock' | 'unlock';

/** One object a policy change touched, for the WORKLOAD STATUS UPDATES table. */
export interface AutomationOutcome {
  workload: string;
  status: 'success' | 'skipped';
  updates: string[];
}

/** One layer of `fluxctl check`: what holds, or what does not and the fix. */
export interface Diagnosis {
  status: 'ok' | 'warn' | 'fail';
  message: string;
  hint?: string;
  details?: string[];
  /** For a failure: the exit code it stands for (default 1). */
  exitCode?: 1 | 3 | 4;
}

/** A permission a command needs, checked with a SelfSubjectAccessReview. */
export interface AccessRule {
  verb: string;
  resource: string;
  group?: string;
  subresource?: string;
  /** '' = cluster-wide. */
  namespace: string;
  /** What needs it, for the message. */
  usedBy: string;
  /** Only some commands need it: a warning, not a failure. */
  optional?: boolean;
}

/** The generation-specific layers of `fluxctl check`, in order. */
export interface Diagnostics {
  /** Where Flux runs, in what state, and why this generation was chosen. */
  found(): Promise<Diagnosis>;
  /** The permissions the commands need, for one review each; empty when no Kubernetes access is used (--url). */
  permissions(): Promise<AccessRule[]>;
  /** Flux v1 only: the daemon's API answers through the tunnel. */
  api?(): Promise<Diagnosis>;
  /** The git repository can be fetched. */
  git(): Promise<Diagnosis>;
  /** What is fetched is applied. */
  sync(): Promise<Diagnosis>;
}

/** What fluxctl needs from a Flux installation, in our own terms. */
export interface Backend {
  readonly generation: FluxGeneration;
  /** Where Flux was found, for diagnostics: `pod flux/flux-7d…` or `GitRepository flux-system/flux-system`. */
  readonly describe: string;
  /** Why this generation was chosen (set by the selection; `fluxctl check` prints it). */
  why?: string;

  identity(regenerate: boolean): Promise<IdentityResult>;

  /** The repository to sync; fails when it cannot be synced now (not ready, suspended). */
  syncSource(): Promise<SyncSource>;
  requestSync(): Promise<SyncRequest>;
  /** Waits for the fetch the request started; returns the full revision it produced. */
  awaitRevision(request: SyncRequest, narrate: Narration): Promise<string>;
  /** Waits until `revision` is applied to the cluster. */
  awaitApplied(request: SyncRequest, revision: string, narrate: Narration): Promise<void>;
  /** The workloads a sync just applied (sync --watch follows the unsettled ones). */
  syncedWorkloads(request: SyncRequest): Promise<Workload[]>;

  /** '' = all namespaces; null when there are none (fluxctl prints JSON `null`). */
  listWorkloads(namespace: string): Promise<Workload[] | null>;
  /**
   * Optional: the same list as listWorkloads, with only what the piped table shows (cheaper
   * for a large cluster). JSON, YAML and the terminal table keep using listWorkloads.
   */
  listWorkloadRows?(namespace: string): Promise<WorkloadRow[] | null>;
  /** The named workloads, fresh (rollout watches poll this). */
  workloadsById(ids: readonly string[]): Promise<Workload[] | null>;
  listImages(query: ImagesQuery): Promise<ImageStatus[] | null>;
  /**
   * Optional: the same list as listImages, with only what the table shows (cheaper for many
   * workloads with long tag lists). JSON and YAML keep using listImages.
   */
  listImageTable?(query: ImagesQuery): Promise<ImageTableWorkload[] | null>;

  intervals(query: IntervalQuery): Promise<IntervalTarget>;

  /** The cluster's Flux-managed definitions as a multi-document YAML stream. */
  exportManifests(): Promise<string>;
  serverVersion(): Promise<string>;

  /**
   * Flux v2 only: suspend or resume the image automation covering a workload. Flux v1 does this
   * with a policy job on the daemon (see Context.fluxd), so it has no such method.
   */
  setAutomation?(workload: string, action: AutomationAction): Promise<AutomationOutcome[]>;

  diagnostics(): Diagnostics;
}
