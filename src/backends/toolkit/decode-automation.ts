import { arr, bool, decodeRef, decodeReconcileStatus, fluxParts, obj, optObj, str, strList, strMap, type ObjectMeta, type ObjectRef, type ReconcileStatus } from './decode.js';

/*
 * ImageUpdateAutomation (image.toolkit.fluxcd.io v1beta1, v1beta2, v1): the git side of image
 * automation. Its policySelector picks the ImagePolicies of its own namespace it writes; absent,
 * it takes them all (image-automation-controller).
 */

export interface LabelSelectorRequirement {
  key: string;
  operator: string;
  values: string[];
}

export interface LabelSelector {
  matchLabels: Map<string, string> | null;
  matchExpressions: LabelSelectorRequirement[];
}

export interface ImageUpdateAutomation {
  metadata: ObjectMeta;
  spec: {
    interval: string;
    suspend: boolean;
    sourceRef: ObjectRef | null;
    /** null: every policy in the automation's namespace. */
    policySelector: LabelSelector | null;
    updatePath: string;
    checkoutBranch: string;
    pushBranch: string;
  };
  status: ReconcileStatus & { lastAutomationRunTime: string; lastPushCommit: string; lastPushTime: string };
}

function decodeSelector(v: unknown, path: string): LabelSelector | null {
  const s = optObj(v, path);
  if (s === null) return null;
  return {
    matchLabels: strMap(s.matchLabels, `${path}.matchLabels`),
    matchExpressions: arr(s.matchExpressions, `${path}.matchExpressions`, (e, p) => {
      const r = obj(e, p);
      return { key: str(r.key, `${p}.key`), operator: str(r.operator, `${p}.operator`), values: strList(r.values, `${p}.values`) };
    }),
  };
}

export function decodeImageUpdateAutomation(v: unknown, path: string): ImageUpdateAutomation {
  const { metadata, spec, status } = fluxParts(v, path);
  const git = obj(spec.git, `${path}.spec.git`);
  const checkoutRef = obj(obj(git.checkout, `${path}.spec.git.checkout`).ref, `${path}.spec.git.checkout.ref`);
  const st = (f: string): string => `${path}.status.${f}`;
  return {
    metadata,
    spec: {
      interval: str(spec.interval, `${path}.spec.interval`),
      suspend: bool(spec.suspend, `${path}.spec.suspend`),
      sourceRef: decodeRef(spec.sourceRef, `${path}.spec.sourceRef`, metadata.namespace),
      policySelector: decodeSelector(spec.policySelector, `${path}.spec.policySelector`),
      updatePath: str(obj(spec.update, `${path}.spec.update`).path, `${path}.spec.update.path`),
      checkoutBranch: str(checkoutRef.branch, `${path}.spec.git.checkout.ref.branch`),
      pushBranch: str(obj(git.push, `${path}.spec.git.push`).branch, `${path}.spec.git.push.branch`),
    },
    status: {
      ...decodeReconcileStatus(status, path),
      lastAutomationRunTime: str(status.lastAutomationRunTime, st('lastAutomationRunTime')),
      lastPushCommit: str(status.lastPushCommit, st('lastPushCommit')),
      lastPushTime: str(status.lastPushTime, st('lastPushTime')),
    },
  };
}
