import { arr, decodeCondition, decodeMeta, int, obj, optObj, str, type Condition, type Json, type ObjectMeta } from './decode.js';

/*
 * The workload kinds Flux v1 listed (apps/v1 Deployment, StatefulSet, DaemonSet; batch/v1
 * CronJob), reduced to what list-workloads needs: identity, pod template images, and the
 * status counters of the readiness rules.
 */

export type AppKind = 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'CronJob';

export interface PodContainer {
  name: string;
  /** The image exactly as written in the pod template. */
  image: string;
}

export type AppState =
  | {
      kind: 'Deployment';
      replicas: number;
      observedGeneration: number;
      statusReplicas: number;
      updatedReplicas: number;
      readyReplicas: number;
      availableReplicas: number;
      conditions: Condition[];
    }
  | {
      kind: 'StatefulSet';
      replicas: number;
      /** rollingUpdate.partition of a RollingUpdate strategy, else null. */
      partition: number | null;
      observedGeneration: number;
      readyReplicas: number;
      currentReplicas: number;
      updatedReplicas: number;
      currentRevision: string;
      updateRevision: string;
    }
  | {
      kind: 'DaemonSet';
      observedGeneration: number;
      desiredNumberScheduled: number;
      currentNumberScheduled: number;
      updatedNumberScheduled: number;
      numberReady: number;
      numberAvailable: number;
    }
  | { kind: 'CronJob' };

export interface AppObject {
  metadata: ObjectMeta;
  containers: PodContainer[];
  initContainers: PodContainer[];
  state: AppState;
}

/** API group of each kind, for inventory keys (`<ns>_<name>_<group>_<Kind>`). */
export const APP_GROUPS: Readonly<Record<AppKind, string>> = { Deployment: 'apps', StatefulSet: 'apps', DaemonSet: 'apps', CronJob: 'batch' };

function containers(v: unknown, path: string): PodContainer[] {
  return arr(v, path, (c, p) => {
    const o = obj(c, p);
    return { name: str(o.name, `${p}.name`), image: str(o.image, `${p}.image`) };
  });
}

function podSpec(spec: Json, path: string): Json {
  return obj(obj(spec.template, `${path}.template`).spec, `${path}.template.spec`);
}

function state(kind: AppKind, spec: Json, status: Json, path: string): AppState {
  const s = (f: string): number => int(status[f], `${path}.status.${f}`);
  const observedGeneration = s('observedGeneration');
  // The API server defaults replicas to 1, so a missing value only comes from a partial object.
  const replicas = int(spec.replicas, `${path}.spec.replicas`, 1);
  switch (kind) {
    case 'Deployment':
      return {
        kind, replicas, observedGeneration, statusReplicas: s('replicas'), updatedReplicas: s('updatedReplicas'),
        readyReplicas: s('readyReplicas'), availableReplicas: s('availableReplicas'),
        conditions: arr(status.conditions, `${path}.status.conditions`, decodeCondition),
      };
    case 'StatefulSet': {
      const strategy = obj(spec.updateStrategy, `${path}.spec.updateStrategy`);
      const rolling = optObj(strategy.rollingUpdate, `${path}.spec.updateStrategy.rollingUpdate`);
      const type = str(strategy.type, `${path}.spec.updateStrategy.type`) || 'RollingUpdate';
      const rawPartition = rolling?.partition;
      const partition = type === 'RollingUpdate' && rawPartition !== undefined && rawPartition !== null
        ? int(rawPartition, `${path}.spec.updateStrategy.rollingUpdate.partition`) : null;
      return {
        kind, replicas, partition, observedGeneration, readyReplicas: s('readyReplicas'), currentReplicas: s('currentReplicas'),
        updatedReplicas: s('updatedReplicas'), currentRevision: str(status.currentRevision, `${path}.status.currentRevision`),
        updateRevision: str(status.updateRevision, `${path}.status.updateRevision`),
      };
    }
    case 'DaemonSet':
      return {
        kind, observedGeneration, desiredNumberScheduled: s('desiredNumberScheduled'), currentNumberScheduled: s('currentNumberScheduled'),
        updatedNumberScheduled: s('updatedNumberScheduled'), numberReady: s('numberReady'), numberAvailable: s('numberAvailable'),
      };
    case 'CronJob':
      return { kind };
  }
}

/** A decoder for one kind's list items. */
export function decodeApp(kind: AppKind): (v: unknown, path: string) => AppObject {
  return (v, path) => {
    const o = obj(v, path);
    const spec = obj(o.spec, `${path}.spec`);
    // A CronJob's pods come from spec.jobTemplate.spec.template.
    const templateOwner = kind === 'CronJob' ? obj(obj(spec.jobTemplate, `${path}.spec.jobTemplate`).spec, `${path}.spec.jobTemplate.spec`) : spec;
    const templatePath = kind === 'CronJob' ? `${path}.spec.jobTemplate.spec` : `${path}.spec`;
    const pod = podSpec(templateOwner, templatePath);
    return {
      metadata: decodeMeta(o.metadata, path),
      containers: containers(pod.containers, `${templatePath}.template.spec.containers`),
      initContainers: containers(pod.initContainers, `${templatePath}.template.spec.initContainers`),
      state: state(kind, spec, obj(o.status, `${path}.status`), path),
    };
  };
}
