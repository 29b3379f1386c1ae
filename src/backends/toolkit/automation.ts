import { CliError } from '../../errors.js';
import type { AutomationAction, AutomationOutcome } from '../types.js';
import { automationTargets, describeTarget, planStep, stepPatch, type Step, type TargetKind } from './automation-plan.js';
import { isConflict } from './client.js';
import type { AppKind } from './decode-apps.js';
import { indexImages } from './image-index.js';
import { workloadPolicies, type WorkloadPolicy } from './images.js';
import { listApps, listImageObjects, setAppList } from './listing-fetch.js';
import { parseRowId, type RowId } from './listing-ids.js';
import type { Session } from './session.js';
import { decodeWorkloadLists, type WorkloadLists } from './workload-lists.js';
import { buildWorkloads } from './workloads.js';

/*
 * automate, deautomate, lock and unlock on Flux v2: suspend or resume what moves a workload's
 * images (flux suspend/resume image policy|update). The workload and the image objects are read
 * in one go; every patch is first sent as a dry run, so a refusal (RBAC, validation) changes
 * nothing, then for real, each guarded by the resourceVersion it was planned from.
 */

const ATTEMPTS = 3;
const SETUP_HINT =
  'set it up in git: an ImageRepository and an ImagePolicy for the image, an ImageUpdateAutomation selecting the policy, ' +
  'and a marker on the image line of the manifest, e.g. `image: ghcr.io/org/app:1.0.0 # {"$imagepolicy": "flux-system:app"}` ' +
  '(https://fluxcd.io/flux/guides/image-update/)';

export async function setAutomation(s: Session, workload: string, action: AutomationAction): Promise<AutomationOutcome[]> {
  const row = parseRowId(workload);
  if (row === undefined || !isAppRow(row)) {
    throw new CliError(`${workload} has no containers Flux v2 can automate: only Deployments, StatefulSets, DaemonSets and CronJobs have images here`, {
      hint: 'name a workload as <namespace>:deployment/<name> (HelmRelease images are set in its values, in git)',
    });
  }
  const done = new Map<string, AutomationOutcome>();
  for (let attempt = 1; ; attempt++) {
    try {
      return await apply(s, row, action, done);
    } catch (e) {
      // Someone else changed an object between our read and our patch: read again and replan.
      if (!isConflict(e) || attempt >= ATTEMPTS) throw e;
      s.tk.debug(`conflict while changing the automation of ${workload} (attempt ${attempt}): reading again`);
    }
  }
}

type AppRow = RowId & { kind: AppKind };
const isAppRow = (row: RowId): row is AppRow => row.kind !== 'HelmRelease';

async function apply(s: Session, row: AppRow, action: AutomationAction, done: Map<string, AutomationOutcome>): Promise<AutomationOutcome[]> {
  const { covering, policySuspend } = await coveringPolicies(s, row);
  const steps = automationTargets(covering, action, policySuspend).map((t) => planStep(t, action));
  if (action === 'automate') requireWriter(row, covering);
  const changes = steps.filter((st) => st.change !== undefined && !done.has(describeTarget(st.target)));
  for (const st of changes) await patch(s, st, true);
  for (const st of changes) {
    await patch(s, st, false);
    done.set(describeTarget(st.target), outcome(st, policySuspend));
  }
  if (steps.length === 0) return covering.map((x) => notAutomated(x));
  return steps.map((st) => done.get(describeTarget(st.target)) ?? outcome(st, policySuspend));
}

function patch(s: Session, st: Step, dryRun: boolean): Promise<unknown> {
  const { kind, metadata } = st.target;
  return s.tk.patch(kind, metadata.namespace, metadata.name, stepPatch(st), { dryRun });
}

/** The ImagePolicies covering the workload's images, from one LIST of its kind and the image kinds. */
async function coveringPolicies(s: Session, row: AppRow): Promise<{ covering: WorkloadPolicy[]; policySuspend: boolean }> {
  const tk = s.tk;
  const [items, served, images] = await Promise.all([
    listApps(tk, row.kind, row.namespace, row.name),
    tk.servedKind('ImagePolicy'),
    listImageObjects(tk, [tk.namespace, row.namespace], true),
  ]);
  const lists: WorkloadLists = { ...images };
  setAppList(lists, row.kind, items);
  const objects = decodeWorkloadLists(lists);
  const workload = buildWorkloads({ ...objects, images: { repositories: [], policies: [], automations: [] } }).find((w) => w.ID === row.id);
  if (workload === undefined) {
    throw new CliError(`workload ${row.id} not found`, { hint: 'nothing was changed; list the workloads with: fluxctl list-workloads --all-namespaces' });
  }
  const covering = served === undefined ? [] : workloadPolicies(workload, indexImages(objects.images));
  if (covering.length === 0) {
    const imagesOf = (workload.Containers ?? []).map((c) => c.Current.ID).filter((i) => i !== '');
    const why = served === undefined ? 'the image automation APIs (image.toolkit.fluxcd.io) are not installed' : `no ImagePolicy covers its images (${imagesOf.join(', ') || 'none'})`;
    throw new CliError(`${row.id} has no image automation: ${why}; automation on Flux v2 is set up in git, not by fluxctl`, { hint: SETUP_HINT });
  }
  // spec.suspend on an ImagePolicy exists from image-reflector-controller v1.0, which serves v1.
  return { covering, policySuspend: served?.version === 'v1' };
}

/** automate with nothing to write the new tags to git would do nothing: say so before changing anything. */
function requireWriter(row: RowId, covering: readonly WorkloadPolicy[]): void {
  if (covering.some((x) => x.automations.length > 0)) return;
  const policies = covering.map((x) => `${x.policy.metadata.namespace}/${x.policy.metadata.name}`).join(', ');
  throw new CliError(`no ImageUpdateAutomation selects the ImagePolicy ${policies} covering ${row.id}, so nothing would write its new tags to git; automation on Flux v2 is set up in git`, {
    hint: `nothing was changed; an ImageUpdateAutomation selects policies of its own namespace (spec.policySelector): ${SETUP_HINT}`,
  });
}

const rowId = (kind: string, m: { namespace: string; name: string }): string => `${m.namespace}:${kind.toLowerCase()}/${m.name}`;
const containerList = (cs: readonly string[]): string => `${cs.length === 1 ? 'container' : 'containers'} ${cs.join(', ')}`;

const ROLES: Readonly<Record<TargetKind, string>> = { ImagePolicy: 'decides', ImageUpdateAutomation: 'writes', ImageRepository: 'scans' };
// An automation writes every policy it selects, a repository feeds every policy of its image:
// switching either affects other workloads too.
const SHARED: Readonly<Partial<Record<TargetKind, string>>> = {
  ImageUpdateAutomation: 'this affects every workload whose images it updates',
  ImageRepository: 'this affects every workload using this image',
};

function outcome(st: Step, policySuspend: boolean): AutomationOutcome {
  const { kind, metadata, containers } = st.target;
  const updates = [st.update];
  if (containers.length > 0) updates.push(`${ROLES[kind]} the image of ${containerList(containers)}`);
  const shared = SHARED[kind];
  if (shared !== undefined && st.change?.suspend !== undefined) updates.push(shared);
  if (kind === 'ImageUpdateAutomation' && !policySuspend && st.change?.suspend === true) updates.push('(ImagePolicy cannot be suspended before image-reflector-controller v1.0, Flux 2.7)');
  return { workload: rowId(kind, metadata), status: st.change === undefined ? 'skipped' : 'success', updates };
}

/** Before image-reflector v1.0, a policy no automation selects moves nothing: there is nothing to switch. */
function notAutomated(x: WorkloadPolicy): AutomationOutcome {
  return { workload: rowId('ImagePolicy', x.policy.metadata), status: 'skipped', updates: ['no ImageUpdateAutomation selects it: nothing writes its tags to git'] };
}
