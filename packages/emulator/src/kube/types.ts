// Shapes of the objects the emulator stores. Only the fields the emulator itself reads or
// writes are typed; anything a patch adds rides along through the index signatures.

export type Labels = Record<string, string>;

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller: boolean;
  blockOwnerDeletion: boolean;
}

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid: string;
  resourceVersion: string;
  generation?: number;
  creationTimestamp: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Labels;
  annotations?: Labels;
  ownerReferences?: OwnerReference[];
  managedFields?: ManagedFieldsEntry[];
  [k: string]: unknown;
}

export interface ContainerPort {
  name?: string;
  containerPort: number;
  protocol?: string;
}

export interface Container {
  name: string;
  image: string;
  args?: string[];
  ports?: ContainerPort[];
  [k: string]: unknown;
}

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  lastProbeTime?: null;
  lastUpdateTime?: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export interface PodTemplate {
  metadata: { labels?: Labels; annotations?: Labels; [k: string]: unknown };
  spec: { containers: Container[]; [k: string]: unknown };
}

export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';

export interface ContainerStatus {
  name: string;
  state: {
    running?: { startedAt?: string };
    waiting?: { reason?: string; message?: string };
    terminated?: { exitCode: number; reason?: string; startedAt?: string; finishedAt?: string };
  };
  ready: boolean;
  restartCount: number;
  image: string;
  imageID: string;
  containerID?: string;
  started: boolean;
}

export interface Pod {
  metadata: ObjectMeta;
  spec: { containers: Container[]; nodeName?: string; [k: string]: unknown };
  status: {
    phase: PodPhase;
    conditions?: Condition[];
    hostIP?: string;
    podIP?: string;
    startTime?: string;
    containerStatuses?: ContainerStatus[];
    qosClass?: string;
  };
}

export interface ReplicaSet {
  metadata: ObjectMeta;
  spec: { replicas: number; selector: { matchLabels: Labels }; template: PodTemplate };
  status: {
    replicas: number;
    fullyLabeledReplicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    observedGeneration?: number;
  };
}

export interface DeploymentStatus {
  observedGeneration?: number;
  replicas?: number;
  updatedReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  unavailableReplicas?: number;
  conditions?: Condition[];
}

export interface Deployment {
  metadata: ObjectMeta;
  spec: {
    replicas: number;
    selector: { matchLabels: Labels };
    template: PodTemplate;
    strategy: { type: 'Recreate' | 'RollingUpdate'; rollingUpdate?: { maxUnavailable: string; maxSurge: string } };
    revisionHistoryLimit?: number;
    progressDeadlineSeconds?: number;
    paused?: boolean;
    [k: string]: unknown;
  };
  status: DeploymentStatus;
}

export interface Namespace {
  metadata: ObjectMeta;
  spec: { finalizers: string[] };
  status: { phase: 'Active' | 'Terminating' };
}

/** Any other stored object: Secrets, StatefulSets, DaemonSets, CronJobs, CRDs, custom resources. */
export interface GenericObject {
  metadata: ObjectMeta;
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
  [k: string]: unknown;
}

export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Update' | 'Apply';
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

export type KubeObject = Pod | ReplicaSet | Deployment | Namespace | GenericObject;
/**
 * A resource key: the plural for built-in resources (`pods`, `secrets`, `statefulsets`,
 * `customresourcedefinitions`…), `<plural>.<group>` for custom resources
 * (`gitrepositories.source.toolkit.fluxcd.io`), the way kubectl names them.
 */
export type Resource = string;
export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';
