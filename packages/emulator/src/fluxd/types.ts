// The emulated daemon's state. Tests mutate it freely between requests; every handler reads
// it afresh, so a change is visible on the next request.

/** registry metadata of one image (image.Info). Times are RFC 3339 strings. */
export interface ImageInfo {
  id: string;
  digest?: string;
  imageId?: string;
  labels?: { buildDate?: string; created?: string };
  createdAt?: string;
  lastFetched?: string;
}

export interface Container {
  name: string;
  /** the image exactly as written in the manifest, e.g. `nginx:1.19` */
  image: string;
  /** init containers are listed after the regular ones */
  init?: boolean;
}

export interface Rollout {
  desired: number;
  updated: number;
  ready: number;
  available: number;
  outdated: number;
  messages: string[] | null;
}

/** One answer of a scripted rollout (release --watch tests): status and counters to report next. */
export interface RolloutStep {
  status: string;
  rollout?: Partial<Rollout>;
}

export type ReadOnlyReason = '' | 'NotInRepo' | 'System' | 'NoRepo' | 'NotReady' | 'ReadOnlyMode';

export interface Workload {
  /** `<namespace>:<kind>/<name>` with a lower-case kind */
  id: string;
  containers: Container[];
  status: string;
  rollout: Rollout;
  syncError: string;
  antecedent: string;
  labels: Record<string, string> | null;
  /** policies as written in the repo (annotations); reported only when the workload is in git */
  policies: Record<string, string>;
  /** false: the workload exists in the cluster only (ReadOnly NotInRepo/NotReady/NoRepo) */
  inRepo: boolean;
  /** forces ReadOnly, e.g. `System`; otherwise it is derived from inRepo and the git state */
  readOnly?: ReadOnlyReason;
  /** present in git but not in the cluster: release results say `not accessible in cluster` */
  notInCluster?: boolean;
  /** each /v6 or /v11 services answer that lists the workload first takes the next step */
  rolloutSteps?: RolloutStep[];
}

export type GitStatus = 'ready' | 'new' | 'cloned' | 'unconfigured' | 'unreachable';

export interface Fingerprint {
  hash: string;
  randomart: string;
}

export interface PublicKey {
  /** OpenSSH public key line including its trailing newline */
  key: string;
  md5: Fingerprint;
  sha256: Fingerprint;
}

export interface Commit {
  sha: string;
  message: string;
  /** false: the commit touches only files outside --git-path, so /v6/sync never lists it */
  touchesPath?: boolean;
  /** applied to the cluster state when the sync marker reaches this commit */
  onApply?: () => void;
}

export interface GitState {
  url: string;
  branch: string;
  path: string;
  status: GitStatus;
  errors: string;
  /** null: no keyring (HTTP(S) git URL) → `{"key":"","fingerprints":null}` */
  publicKey: PublicKey | null;
  /** newest first; commits[0] is the branch HEAD */
  commits: Commit[];
  /** the commit the flux-sync marker points at; null before the first sync */
  syncMarker: string | null;
  /** in-flight application of a revision by the daemon's sync loop (managed by the emulator) */
  applying?: { target: string; since: number; polls: number };
}

/** How `{"type":"sync"}` jobs and the following application behave. */
export interface SyncBehaviour {
  /** /v6/jobs polls answering queued/running before the job succeeds (default 0) */
  jobPolls?: number;
  /** alternatively: milliseconds before the job succeeds */
  jobMs?: number;
  /** fail the sync job with this Err text */
  jobError?: string;
  /** fail with the unverified-HEAD error; Result.revision is this last verified commit */
  unverifiedHead?: string;
  /** /v6/sync polls answering pending commits before the revision counts as applied */
  applyPolls?: number;
  /** alternatively: milliseconds after the job before the revision is applied */
  applyMs?: number;
  /** /v6/sync answers 422 with this error */
  applyError?: string;
  /** the revision is never applied */
  never?: boolean;
}

/** How release and policy jobs progress. */
export interface JobBehaviour {
  polls?: number;
  ms?: number;
  /** fail every release/policy job with this Err text */
  error?: string;
}

export interface JobStatusWire {
  result: unknown; // a Go-ordered job.Result object (already encodable)
  err: string;
  status: 'queued' | 'running' | 'failed' | 'succeeded';
}

export interface Job {
  id: string;
  type: string;
  /** the decoded update.Spec, as echoed in Result.spec */
  spec: unknown;
  createdAt: number;
  polls: number;
  polling: { polls: number; ms: number };
  /** runs once, when the job finishes; returns the final status */
  run: () => JobStatusWire;
  final?: JobStatusWire;
}

export interface Notification {
  kind: string;
  source: unknown;
}

export interface FluxdState {
  version: string;
  /** namespaces the daemon may see (exported as Namespace objects); derived from workloads when empty */
  namespaces: string[];
  workloads: Workload[];
  /** registry cache: repository name (image without tag) → known images */
  images: Record<string, ImageInfo[]>;
  git: GitState;
  sync: SyncBehaviour;
  jobBehaviour: JobBehaviour;
  /** the job status cache, oldest first (the daemon keeps the last 100) */
  jobs: Job[];
  notifications: Notification[];
  /** `--git-readonly`: every workload is ReadOnlyMode */
  gitReadonly: boolean;
  /** /v11/ping fails with this error (cluster unreachable) */
  pingError?: string;
  /** regenerating the SSH key fails with this error */
  regenerateError?: string;
}
