import { UnreachableError } from '../errors.js';
import { goQuote } from '../util/go-quote.js';
import type { KubeApi } from './api.js';
import { fluxFallbackSelector, formatMatchLabels } from './label-selector.js';

interface PodJson {
  metadata?: { name?: string; namespace?: string; deletionTimestamp?: string; labels?: Record<string, string>; ownerReferences?: OwnerReference[] };
  spec?: { nodeName?: string };
  status?: {
    phase?: string;
    conditions?: Array<{ type?: string; status?: string }>;
    containerStatuses?: Array<{ state?: { waiting?: { reason?: string } } }>;
  };
}

export interface OwnerReference {
  kind?: string;
  name?: string;
  controller?: boolean;
}

export interface DaemonPod {
  name: string;
  namespace: string;
  ownerReferences: OwnerReference[];
  /** The selector that found it, formatted as Kubernetes does. */
  selector: string;
}

const terminating = (p: PodJson): boolean => p.metadata?.deletionTimestamp !== undefined;
const ready = (p: PodJson): boolean => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
const podName = (p: PodJson): string => p.metadata?.name ?? '';

async function listPods(api: KubeApi, namespace: string, labelSelector: string, running: boolean): Promise<PodJson[]> {
  const query: Record<string, string> = { labelSelector };
  if (running) query.fieldSelector = 'status.phase=Running';
  const list = (await api.request('GET', `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`, { query })) as { items?: PodJson[] | null };
  return list.items ?? [];
}

/**
 * Picks the daemon's pod as fluxctl does: the label selector first, then the fallback
 * `name in (…)`; Running pods only; more than one is ambiguous (no fallback then). Unlike
 * fluxctl, a Terminating pod next to a live one is skipped, and Ready pods are preferred.
 */
export async function findDaemonPod(api: KubeApi, namespace: string, labels: ReadonlyMap<string, string>, options: { explain?: boolean } = {}): Promise<DaemonPod> {
  const selectors = [formatMatchLabels(labels), fluxFallbackSelector];
  for (const selector of selectors) {
    let pods = await listPods(api, namespace, selector, true);
    if (pods.some((p) => !terminating(p))) pods = pods.filter((p) => !terminating(p));
    if (pods.length > 1 && pods.some(ready)) pods = pods.filter(ready);
    if (pods.length > 1) {
      const names = pods.map(podName).sort();
      throw new UnreachableError(
        `Ambiguous pod: found more than one pod for selector: labels ${goQuote(selector)}\n${names.map((n) => `  ${n}`).join('\n')}`,
        { hint: `narrow the selector with --k8s-fwd-labels (e.g. ${selector},release=<name>), or pass --url` },
      );
    }
    const pod = pods[0];
    if (pod !== undefined) {
      return { name: podName(pod), namespace, ownerReferences: pod.metadata?.ownerReferences ?? [], selector };
    }
  }
  // Without `explain`, the caller may look elsewhere first (Flux v2) and ask for the reasons only if it must.
  if (options.explain === false) throw new NoPodError(`No pod found in namespace ${goQuote(namespace)}`, {}, namespace, selectors);
  throw await explainNoPod(api, namespace, selectors);
}

/** No Running pod matches the selectors (fluxctl's "No pod found" message). */
export class NoPodError extends UnreachableError {
  constructor(
    message: string,
    options: { hint?: string },
    readonly namespace: string,
    readonly selectors: readonly string[],
  ) {
    super(message, options);
  }
}

/** fluxctl's "No pod found" text, plus the pods that match but are not Running (a second look without the phase filter). */
export async function explainNoPod(api: KubeApi, namespace: string, selectors: readonly string[]): Promise<NoPodError> {
  const ns = goQuote(namespace);
  const lines = [
    `No pod found in namespace ${ns} using the following selectors:`,
    ...selectors.map((s) => `  ${s}`),
    '',
    `Make sure Flux is running in namespace ${ns}.`,
    'If Flux is running in another different namespace, please supply it to --k8s-fwd-ns.',
  ];
  const notRunning: string[] = [];
  for (const selector of selectors) {
    for (const p of await listPods(api, namespace, selector, false)) {
      const waiting = p.status?.containerStatuses?.map((c) => c.state?.waiting?.reason).find((r) => r !== undefined);
      const phase = p.status?.phase ?? 'Unknown';
      notRunning.push(`  ${podName(p)} (${phase}${waiting === undefined ? '' : `: ${waiting}`})`);
    }
  }
  if (notRunning.length > 0) lines.push('', 'Pods that match but are not Running:', ...notRunning);
  return new NoPodError(
    lines.join('\n'),
    { hint: `searched with kubeconfig context "${api.contextName}"; set --k8s-fwd-ns and --k8s-fwd-labels, or pass --url` },
    namespace,
    selectors,
  );
}
