import { describe, expect, it } from 'vitest';
import { rowsFor } from '../../src/commands/list-workloads.js';
import { decodeServices } from '../../src/daemon/types.js';
import { jsonDocument } from '../../src/output/render.js';
import { listToolkitWorkloads, type WorkloadLists } from '../../src/backends/toolkit/workloads.js';
import type { Workload } from '../../src/model/workload.js';
import {
  cond, deployment, helmReleaseV2, helmReleaseV2beta1, imagePolicyV1, imageRepository, imageUpdateAutomation, kustomization,
  kustomizationV1beta1, list,
} from './toolkit-objects.js';
import { withCpuTime } from '../helpers/cpu-time.js';

const KS_LABELS = { 'kustomize.toolkit.fluxcd.io/name': 'apps', 'kustomize.toolkit.fluxcd.io/namespace': 'flux-system' };
const one = (lists: WorkloadLists): Workload => {
  const rows = listToolkitWorkloads(lists);
  expect(rows).toHaveLength(1);
  return rows[0]!;
};

describe('the Flux v1 ControllerStatus shape', () => {
  it('encodes as fluxd did: Go field order, containers then init containers, `{}` policies', () => {
    const lists: WorkloadLists = {
      deployments: list('Deployment', [deployment({
        name: 'helloworld', namespace: 'default', image: 'quay.io/weaveworks/helloworld:master-a000001', labels: { app: 'helloworld', ...KS_LABELS },
        init: [{ name: 'migrate', image: 'quay.io/weaveworks/migrate:1' }],
      })]),
      kustomizations: list('Kustomization', [kustomization({ inventory: ['default_helloworld_apps_Deployment'] })]),
    };
    const json = jsonDocument(listToolkitWorkloads(lists));
    expect(json).toBe(
      '[{"ID":"default:deployment/helloworld","Containers":[' +
        '{"Name":"podinfod","Current":{"ID":"quay.io/weaveworks/helloworld:master-a000001","Labels":{}},"LatestFiltered":{"ID":"","Labels":{}}},' +
        '{"Name":"migrate","Current":{"ID":"quay.io/weaveworks/migrate:1","Labels":{}},"LatestFiltered":{"ID":"","Labels":{}}}],' +
        '"ReadOnly":"","Status":"ready","Rollout":{"Desired":2,"Updated":2,"Ready":2,"Available":2,"Outdated":0,"Messages":null},' +
        '"SyncError":"","Antecedent":"flux-system:kustomization/apps",' +
        '"Labels":{"app":"helloworld","kustomize.toolkit.fluxcd.io/name":"apps","kustomize.toolkit.fluxcd.io/namespace":"flux-system"},' +
        '"Automated":false,"Locked":false,"Ignore":false,"Policies":{}}]\n',
    );
    // The same objects the v1 decoder builds from those bytes, field for field.
    expect(listToolkitWorkloads(lists)).toStrictEqual(decodeServices(JSON.parse(json), ''));
  });

  it('reports a workload without labels as Labels null and one no Flux object applied as NotInRepo', () => {
    const w = one({ deployments: list('Deployment', [deployment()]) });
    expect(w).toMatchObject({ ID: 'podinfo:deployment/podinfo', ReadOnly: 'NotInRepo', Antecedent: '', Labels: null });
  });
});

describe('RELEASE status and rollout (Flux v1 semantics)', () => {
  const dep = (status: Record<string, unknown>, generation = 3) => one({ deployments: list('Deployment', [deployment({ generation, status })]) });

  it('walks a Deployment from started through updating to ready', () => {
    expect(dep({ observedGeneration: 2, replicas: 2, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2 }).Status).toBe('started');
    const updating = dep({ observedGeneration: 3, replicas: 3, updatedReplicas: 1, readyReplicas: 2, availableReplicas: 2 });
    expect(updating.Status).toBe('updating');
    expect(updating.Rollout).toEqual({ Desired: 2, Updated: 1, Ready: 2, Available: 2, Outdated: 2, Messages: null });
    expect(dep({ observedGeneration: 3, replicas: 2, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 1 }).Status).toBe('updating');
    expect(dep({ observedGeneration: 4, replicas: 2, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2 }).Status).toBe('ready');
  });

  it('marks a stuck Deployment rollout as error with the condition messages', () => {
    const stuck = {
      observedGeneration: 3, replicas: 3, updatedReplicas: 1, readyReplicas: 2, availableReplicas: 2, unavailableReplicas: 1,
      conditions: [
        { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' },
        { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "podinfo-6b8f" has timed out progressing.' },
        { type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'pods "podinfo-6b8f-x" is forbidden: exceeded quota' },
      ],
    };
    const w = dep(stuck);
    expect(w.Status).toBe('error');
    expect(w.Rollout.Messages).toEqual(['ReplicaSet "podinfo-6b8f" has timed out progressing.', 'pods "podinfo-6b8f-x" is forbidden: exceeded quota']);
    // Before the controller observes the new spec, v1 said started whatever the conditions.
    expect(dep({ ...stuck, observedGeneration: 2 }).Status).toBe('started');
  });

  it('counts DaemonSet pods by scheduling', () => {
    const ds = (status: Record<string, unknown>) => one({
      daemonSets: list('DaemonSet', [{
        metadata: { name: 'node-exporter', namespace: 'monitoring', generation: 2 },
        spec: { template: { spec: { containers: [{ name: 'exporter', image: 'quay.io/prometheus/node-exporter:v1.8.1' }] } } },
        status: { observedGeneration: 2, ...status },
      }]),
    });
    const rolling = ds({ desiredNumberScheduled: 3, currentNumberScheduled: 3, updatedNumberScheduled: 1, numberReady: 3, numberAvailable: 3 });
    expect(rolling).toMatchObject({ ID: 'monitoring:daemonset/node-exporter', Status: 'updating' });
    expect(rolling.Rollout).toEqual({ Desired: 3, Updated: 1, Ready: 3, Available: 3, Outdated: 2, Messages: null });
    expect(ds({ desiredNumberScheduled: 3, currentNumberScheduled: 3, updatedNumberScheduled: 3, numberReady: 3, numberAvailable: 3 }).Status).toBe('ready');
  });

  it('follows a StatefulSet partitioned rollout', () => {
    const sts = (status: Record<string, unknown>, partition?: number) => one({
      statefulSets: list('StatefulSet', [{
        metadata: { name: 'db', namespace: 'data', generation: 5 },
        spec: {
          replicas: 3, serviceName: 'db', template: { spec: { containers: [{ name: 'postgres', image: 'postgres:16.3' }] } },
          updateStrategy: partition === undefined ? { type: 'RollingUpdate', rollingUpdate: { partition: 0 } } : { type: 'RollingUpdate', rollingUpdate: { partition } },
        },
        status: { observedGeneration: 5, replicas: 3, readyReplicas: 3, ...status },
      }]),
    });
    // Partition 2: only the last pod is meant to update; when it has, the rollout is done.
    const canary = sts({ currentReplicas: 2, updatedReplicas: 1, currentRevision: 'db-1', updateRevision: 'db-2' }, 2);
    expect(canary.Status).toBe('ready');
    expect(canary.Rollout).toEqual({ Desired: 1, Updated: 1, Ready: 3, Available: 3, Outdated: 0, Messages: null });
    expect(sts({ currentReplicas: 2, updatedReplicas: 1, currentRevision: 'db-1', updateRevision: 'db-2' }).Status).toBe('updating');
    // Revisions equal: the rollout is complete and currentReplicas counts the updated pods.
    expect(sts({ currentReplicas: 3, updatedReplicas: 0, currentRevision: 'db-2', updateRevision: 'db-2' }).Rollout.Updated).toBe(3);
  });

  it('lists CronJob containers from the job template and always says ready', () => {
    const w = one({
      cronJobs: list('CronJob', [{
        metadata: { name: 'backup', namespace: 'data', generation: 1 },
        spec: { schedule: '0 3 * * *', jobTemplate: { spec: { template: { spec: { containers: [{ name: 'backup', image: 'restic/restic:0.16.4' }], initContainers: [{ name: 'wait', image: 'busybox:1.36' }] } } } } },
        status: {},
      }]),
    });
    expect(w.ID).toBe('data:cronjob/backup');
    expect(w.Status).toBe('ready');
    expect(w.Containers?.map((c) => `${c.Name}=${c.Current.ID}`)).toEqual(['backup=restic/restic:0.16.4', 'wait=busybox:1.36']);
  });
});

describe('managers (Antecedent, ReadOnly, SyncError)', () => {
  const managedDeployment = deployment({ labels: KS_LABELS });

  it('trusts the inventory alone when labels are missing', () => {
    const w = one({ deployments: list('Deployment', [deployment()]), kustomizations: list('Kustomization', [kustomization({ inventory: ['podinfo_podinfo_apps_Deployment'] })]) });
    expect(w).toMatchObject({ ReadOnly: '', Antecedent: 'flux-system:kustomization/apps' });
  });

  it('ignores a stale owner label when the owner\'s inventory no longer lists the object', () => {
    const w = one({ deployments: list('Deployment', [managedDeployment]), kustomizations: list('Kustomization', [kustomization({ inventory: ['podinfo_other_apps_Deployment'] })]) });
    expect(w).toMatchObject({ ReadOnly: 'NotInRepo', Antecedent: '' });
  });

  it('trusts labels when the owner is not listed or keeps no inventory (kustomize v1beta1)', () => {
    expect(one({ deployments: list('Deployment', [managedDeployment]) }).Antecedent).toBe('flux-system:kustomization/apps');
    const legacy = deployment({ labels: { 'kustomize.toolkit.fluxcd.io/name': 'legacy', 'kustomize.toolkit.fluxcd.io/namespace': 'flux-system' } });
    expect(one({ deployments: list('Deployment', [legacy]), kustomizations: list('Kustomization', [kustomizationV1beta1()]) }).Antecedent).toBe('flux-system:kustomization/legacy');
  });

  it('does not join on the inventory of a Kustomization that applies to another cluster', () => {
    const remote = kustomization({ name: 'edge', inventory: ['podinfo_podinfo_apps_Deployment'] });
    (remote.spec as Record<string, unknown>).kubeConfig = { secretRef: { name: 'edge-kubeconfig' } };
    expect(one({ deployments: list('Deployment', [deployment()]), kustomizations: list('Kustomization', [remote]) }).ReadOnly).toBe('NotInRepo');
  });

  it('names the HelmRelease that rendered a workload and reports its failure as SyncError', () => {
    const rendered = deployment({ labels: { 'helm.toolkit.fluxcd.io/name': 'podinfo', 'helm.toolkit.fluxcd.io/namespace': 'podinfo', 'app.kubernetes.io/managed-by': 'Helm' } });
    const failing = helmReleaseV2({ status: 'failed', conditions: [cond('Ready', 'False', 'UpgradeFailed', 'Helm upgrade failed for release podinfo/podinfo with chart podinfo@6.5.4: context deadline exceeded'), cond('Reconciling', 'True', 'ProgressingWithRetry', 'x')] });
    const rows = listToolkitWorkloads({ deployments: list('Deployment', [rendered]), helmReleases: list('HelmRelease', [failing]) });
    expect(rows.map((r) => r.ID)).toEqual(['podinfo:deployment/podinfo', 'podinfo:helmrelease/podinfo']);
    expect(rows[0]).toMatchObject({ Antecedent: 'podinfo:helmrelease/podinfo', ReadOnly: '', SyncError: 'Helm upgrade failed for release podinfo/podinfo with chart podinfo@6.5.4: context deadline exceeded' });
    expect(rows[1]).toMatchObject({ Status: 'failed', Antecedent: 'flux-system:kustomization/apps', Containers: [] });
  });
});

describe('HelmRelease rows', () => {
  it('shows the Helm status of the newest release, or the Ready reason on v2beta1', () => {
    const rows = listToolkitWorkloads({ helmReleases: list('HelmRelease', [helmReleaseV2(), helmReleaseV2beta1()]) });
    expect(rows.map((r) => [r.ID, r.Status, r.ReadOnly])).toEqual([
      ['cache:helmrelease/redis', 'ReconciliationSucceeded', 'NotInRepo'],
      ['podinfo:helmrelease/podinfo', 'deployed', ''],
    ]);
    expect(rows[0]!.Rollout).toEqual({ Desired: 0, Updated: 0, Ready: 0, Available: 0, Outdated: 0, Messages: null });
  });

  it('says unknown before the first release', () => {
    const w = one({ helmReleases: [{ metadata: { name: 'new', namespace: 'apps' }, spec: { interval: '5m' } }] });
    expect(w.Status).toBe('unknown');
  });
});

describe('POLICY flags', () => {
  const images = (o: { policy?: Parameters<typeof imagePolicyV1>[0]; automation?: Parameters<typeof imageUpdateAutomation>[0] | null; repo?: Parameters<typeof imageRepository>[0] } = {}): WorkloadLists => ({
    imageRepositories: list('ImageRepository', [imageRepository(o.repo)]),
    imagePolicies: list('ImagePolicy', [imagePolicyV1(o.policy)]),
    imageUpdateAutomations: list('ImageUpdateAutomation', o.automation === null ? [] : [imageUpdateAutomation(o.automation)]),
  });
  const flags = (w: Workload): string => rowsFor(w)[0]![4]!;

  it('is automated when an active policy follows the image and an active automation covers the policy', () => {
    const w = one({ deployments: list('Deployment', [deployment()]), ...images() });
    expect(flags(w)).toBe('automated');
    expect(w.Policies).toEqual(new Map([['imagepolicy.podinfod', 'flux-system:podinfo'], ['automated', 'true']]));
  });

  it('is locked when the policy, its repository or every covering automation is suspended', () => {
    expect(flags(one({ deployments: list('Deployment', [deployment()]), ...images({ policy: { suspend: true } }) }))).toBe('locked');
    expect(flags(one({ deployments: list('Deployment', [deployment()]), ...images({ automation: { suspend: true } }) }))).toBe('locked');
    expect(flags(one({ deployments: list('Deployment', [deployment()]), ...images({ repo: { suspend: true } }) }))).toBe('locked');
  });

  it('is neither without a covering automation (other namespace, or not selected)', () => {
    expect(flags(one({ deployments: list('Deployment', [deployment()]), ...images({ automation: null }) }))).toBe('');
    expect(flags(one({ deployments: list('Deployment', [deployment()]), ...images({ automation: { namespace: 'apps' } }) }))).toBe('');
    const selective = images({ policy: { labels: { team: 'web' } }, automation: { selector: { matchLabels: { team: 'data' } } } });
    expect(flags(one({ deployments: list('Deployment', [deployment()]), ...selective }))).toBe('');
    const selected = images({ policy: { labels: { team: 'web' } }, automation: { selector: { matchExpressions: [{ key: 'team', operator: 'In', values: ['web', 'api'] }] } } });
    expect(flags(one({ deployments: list('Deployment', [deployment()]), ...selected }))).toBe('automated');
  });

  it('matches Docker Hub short names through their canonical name', () => {
    const w = one({
      deployments: list('Deployment', [deployment({ image: 'nginx:1.25.4' })]),
      ...images({ repo: { image: 'docker.io/nginx', canonical: 'index.docker.io/library/nginx' } }),
    });
    expect(flags(w)).toBe('automated');
  });

  it('is ignore for reconcile-disabled or ssa-ignored objects and for suspended owners', () => {
    const annotated = deployment({ annotations: { 'kustomize.toolkit.fluxcd.io/reconcile': 'Disabled' } });
    expect(flags(one({ deployments: list('Deployment', [annotated]) }))).toBe('ignore');
    const labelled = deployment({ labels: { 'kustomize.toolkit.fluxcd.io/ssa': 'ignore' } });
    expect(flags(one({ deployments: list('Deployment', [labelled]) }))).toBe('ignore');
    const owned = one({ deployments: list('Deployment', [deployment({ labels: KS_LABELS })]), kustomizations: list('Kustomization', [kustomization({ suspend: true, inventory: ['podinfo_podinfo_apps_Deployment'] })]), ...images({ policy: { suspend: true } }) });
    expect(flags(owned)).toBe('ignore,locked');
    expect(owned.Policies?.get('ignore')).toBe('true');
    const hr = listToolkitWorkloads({ helmReleases: list('HelmRelease', [helmReleaseV2({ suspend: true })]) })[0]!;
    expect(hr.Ignore).toBe(true);
  });
});

describe('scope and scale', () => {
  it('lists only the namespace asked for, while owners may live elsewhere', () => {
    const rows = listToolkitWorkloads({
      deployments: list('Deployment', [deployment({ namespace: 'a', labels: KS_LABELS }), deployment({ namespace: 'b' })]),
      helmReleases: list('HelmRelease', [helmReleaseV2({ namespace: 'b' })]),
      kustomizations: list('Kustomization', [kustomization({ inventory: ['a_podinfo_apps_Deployment'] })]),
    }, { namespace: 'a' });
    expect(rows.map((r) => [r.ID, r.Antecedent])).toEqual([['a:deployment/podinfo', 'flux-system:kustomization/apps']]);
  });

  it('joins 10,000 Deployments with 100 Kustomizations in one pass', () => {
    const n = 10_000;
    const deployments = Array.from({ length: n }, (_, i) => deployment({ name: `app-${i}`, namespace: `ns-${i % 100}`, image: `ghcr.io/acme/app-${i % 50}:1.0.${i}` }));
    const kustomizations = Array.from({ length: 100 }, (_, k) =>
      kustomization({ name: `ks-${k}`, inventory: Array.from({ length: n / 100 }, (_, j) => `ns-${k}_app-${j * 100 + k}_apps_Deployment`) }));
    const repos = Array.from({ length: 50 }, (_, r) => imageRepository({ name: `app-${r}`, image: `ghcr.io/acme/app-${r}` }));
    const policies = Array.from({ length: 50 }, (_, r) => imagePolicyV1({ name: `app-${r}`, repo: `app-${r}` }));
    const { value: rows, cpuMs } = withCpuTime(() => listToolkitWorkloads({
      deployments: list('Deployment', deployments), kustomizations: list('Kustomization', kustomizations),
      imageRepositories: list('ImageRepository', repos), imagePolicies: list('ImagePolicy', policies),
      imageUpdateAutomations: list('ImageUpdateAutomation', [imageUpdateAutomation()]),
    }));
    expect(rows).toHaveLength(n);
    expect(rows.every((r) => r.Antecedent === `flux-system:kustomization/ks-${r.ID.slice(3, r.ID.indexOf(':'))}` && r.Automated)).toBe(true);
    // A quadratic join would take tens of seconds here; one pass takes well under one.
    expect(cpuMs).toBeLessThan(3000);
  });
});
